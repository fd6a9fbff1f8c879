"""A text file that mixes UTF-8 lines and Windows-1258 lines (one report pasted into
another) is decoded line by line (extractors/encoding.py), and its unit is found."""

from __future__ import annotations

import sys

from conftest import ROOT

from parindex.extractors.encoding import decode_text
from parindex.extractors.plaintext import extract_text
from parindex.normalizer.normalize import normalize_document
from parindex.vietnamese.folding import nfc

sys.path.insert(0, str(ROOT / "tests" / "bad"))
from build import to_cp1258  # noqa: E402

HEADING = "Kết quả Chỉ số cải cách hành chính năm 2023 của huyện Tam Đường, tỉnh Lai Châu"
BODY = "Chỉ số PAR INDEX của huyện đạt 78,12 điểm, xếp vị trí thứ 4/8 huyện, thành phố."


def mixed() -> bytes:
    return HEADING.encode("utf-8") + b"\r\n" + to_cp1258(BODY) + b"\r\n" + "Ghi chú: số liệu năm 2023".encode("utf-8")


def test_each_line_is_decoded_in_its_own_encoding():
    text, warnings = decode_text(mixed())
    assert text.splitlines() == [nfc(HEADING), nfc(BODY), nfc("Ghi chú: số liệu năm 2023")]
    assert any("mixed" in w and "Windows-1258" in w and "UTF-8" in w for w in warnings)


def test_the_unit_of_a_mixed_file_is_found():
    ctx = normalize_document(extract_text(mixed(), "mixed.txt")).context
    assert ctx.unit == "Tam Đường" and ctx.province == "Lai Châu" and ctx.year == 2023


def test_a_file_in_one_legacy_encoding_is_still_read_whole():
    text, warnings = decode_text(to_cp1258(HEADING + "\n" + BODY))
    assert text.splitlines() == [nfc(HEADING), nfc(BODY)]
    assert warnings == ["not UTF-8; decoded as Windows-1258"]
