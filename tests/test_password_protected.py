"""Encrypted Word and Excel files are told as password-protected, not as an unsupported
format (extractors/__init__.py); a large plain text file that exceeds the memory limit
is not called a decompression bomb (extractors/isolation.py)."""

from __future__ import annotations

import struct

import pytest

from parindex.extractors import ExtractionError, extract

FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(
    name: str, kind: int, right: int = NOSTREAM, child: int = NOSTREAM, start: int = END, size: int = 0
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB3I", len(encoded), kind, 1, NOSTREAM, right, child)
        + b"\0" * 16
        + struct.pack("<I2QIQ", 0, 0, 0, start, size)
    )


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding `streams`, each
    padded to 4,096 bytes so that it lives in regular sectors."""
    streams = {k: v.ljust(4096, b"\0") for k, v in streams.items()}
    fat, data, entries = [FATSECT, END], b"", []
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    for i, name in enumerate(names):
        start = len(fat)
        sectors = (len(streams[name]) + 511) // 512
        fat += list(range(start + 1, start + sectors)) + [END]
        data += streams[name].ljust(sectors * 512, b"\0")
        entries.append(
            _entry(name, 2, right=i + 2 if i + 1 < len(names) else NOSTREAM, start=start, size=len(streams[name]))
        )
    directory = _entry("Root Entry", 5, child=1) + b"".join(entries)
    directory = directory.ljust(512 * ((len(directory) + 511) // 512), b"\0")
    assert len(directory) == 512 and len(fat) <= 128
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *[FREE] * 108)
    )
    fat_sector = struct.pack(f"<{128}I", *(fat + [FREE] * (128 - len(fat))))
    return header + fat_sector + directory + data


def encrypted_ooxml() -> bytes:  # how Word and Excel save a .docx or .xlsx with a password
    return ole_file(
        {
            "EncryptionInfo": struct.pack("<HHI", 4, 4, 0x40) + b"\0" * 64,
            "EncryptedPackage": struct.pack("<Q", 5000) + bytes(range(256)) * 8,
        }
    )


def encrypted_doc() -> bytes:  # Word 97-2003: the FIB's fEncrypted bit
    fib = struct.pack("<6H", 0xA5EC, 0xC1, 0, 0x0409, 0, 0x0100 | 0x0200)  # flags at offset 10
    return ole_file({"WordDocument": fib, "1Table": b"\0" * 64})


def encrypted_xls() -> bytes:  # Excel 97-2003: a FILEPASS record right after BOF
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)
    filepass = struct.pack("<HH", 0x002F, 6) + struct.pack("<HHH", 1, 1, 2)
    return ole_file({"Workbook": bof + filepass})


@pytest.mark.parametrize(
    "name, data",
    [
        ("protected.docx", encrypted_ooxml),
        ("protected.xlsx", encrypted_ooxml),
        ("protected.doc", encrypted_doc),
        ("protected.xls", encrypted_xls),
    ],
)
def test_an_encrypted_office_file_is_password_protected(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data())
    with pytest.raises(ExtractionError) as failed:
        extract(path)
    assert "password-protected" in str(failed.value) and name in str(failed.value)
    assert "unsupported format" not in str(failed.value)


def test_a_large_text_file_past_the_memory_limit_is_not_called_a_bomb(tmp_path):
    from parindex.extractors.isolation import Limits, extract_isolated

    path = tmp_path / "huge.txt"
    line = "Chỉ số cải cách hành chính năm 2023 của huyện Phong Thổ đạt 79,24 điểm.\n".encode("utf-8")
    path.write_bytes(line * (60 * 1024 * 1024 // len(line)))
    with pytest.raises(ExtractionError) as failed:
        extract_isolated(path, "text", Limits(seconds=60, memory_mb=512))
    message = str(failed.value)
    assert "memory limit of 512 MB" in message and "inflate" not in message and "compressed" not in message
