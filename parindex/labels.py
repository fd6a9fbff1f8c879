"""What the report and the workbook call things, in Vietnamese or English, and how they
write numbers: a decimal comma and two decimals in Vietnamese ("83,34"), a decimal point
in English ("83.34").

The language is chosen by the reader (`--lang vi|en`); without a choice it is Vietnamese
when the documents are (their printed names carry Vietnamese letters), which is the case
for every report this project reads, and English otherwise (an empty dataset).
"""

from __future__ import annotations

import math
import re
import unicodedata

LANGUAGES = ("vi", "en")

# Letters only Vietnamese text carries (with its tone marks): one is enough to tell.
VIETNAMESE_LETTERS = re.compile("[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.IGNORECASE)

FRAMEWORK_NAMES = {"PAR_INDEX": "PAR INDEX"}

TEXT = {
    "en": {
        "title": "parindex report: {name}",
        "summary": "{documents} documents, {values} values read, {units} units, {flags} flags "
        "({error} error, {warning} warning, {info} info)",
        "nav.documents": "Documents",
        "nav.trends": "Trends",
        "nav.compare": "Units of one province",
        "nav.flags": "Flags",
        "documents.title": "Documents",
        "documents.count": "{n} documents, {not_ok} not ok.",
        "col.file": "file",
        "col.format": "format",
        "col.status": "status",
        "col.unit": "unit",
        "col.level": "level",
        "col.province": "province",
        "col.years": "years",
        "col.pages": "pages",
        "col.tables": "tables",
        "col.values": "values",
        "col.note": "error or note",
        "col.where": "where",
        "col.year": "year",
        "col.framework": "framework",
        "col.codes": "codes",
        "col.expected": "expected",
        "col.found": "found",
        "col.message": "detail",
        "col.printed": "printed row or sentence",
        "col.criterion": "criterion",
        "col.rank": "rank",
        "col.rule": "rule",
        "col.total": "total",
        "col.severity": "severity",
        "col.flags_of": "⚑ {severity}",
        "trends.title": "Trends per unit",
        "trends.intro": "One value per unit, year, framework and criterion (the panel). A unit with several years "
        "is drawn as lines, one with a single year as labelled bars. A ringed point or a marked bar "
        "carries a flag; a hollow point is another value printed for the same year. Each value "
        "links to its file at its page.",
        "trends.filter": "Find a unit or province",
        "trends.no_province": "province unknown",
        "trends.total": "Total ({measure})",
        "trends.domains": "Domains ({measure})",
        "trends.no_measure": "No score or percentage printed; what was printed:",
        "trends.no_total": "no total printed",
        "trends.no_domains": "no domain scores printed",
        "trends.values": "values ({measure}), with where each was printed",
        "compare.title": "Units of one province in one year",
        "compare.intro": "Units of one province (provinces and ministries: of the country), year, framework and "
        "level; groups (averages, the whole country) are shown beside them, not ranked.",
        "compare.pick": "Show",
        "compare.units": "{n} units",
        "compare.national": "whole country",
        "compare.none": "No units to compare.",
        "compare.no_total": "no total printed for these units",
        "compare.chart": "total ({measure}), {title}",
        "flags.title": "Flags",
        "flags.none": "No inconsistencies found.",
        "flags.intro": "{n} inconsistencies in the printed numbers, by severity and rule; beside each, the row or "
        "sentence it points at as printed, and a link to the file at its page.",
        "flags.not_found": "not found in observations",
        "value.source": "Printed in: {where}",
        "value.also": "Also printed: {values}",
        "value.flags": "Flags: {flags}",
        "value.also_short": "also printed",
        "where.page": "p. {page}",
        "where.table": "table {table}, row {row}",
        "where.sentence": "paragraph {row}",
        "measure.score": "score",
        "measure.percent": "%",
        "group": "group",
        "no_values": "no values",
        "no_panel": "No panel rows.",
        "open": "open the file at this page",
    },
    "vi": {
        "title": "Báo cáo parindex: {name}",
        "summary": "{documents} tài liệu, {values} giá trị đọc được, {units} đơn vị, {flags} sai lệch "
        "({error} lỗi, {warning} cảnh báo, {info} thông tin)",
        "nav.documents": "Tài liệu",
        "nav.trends": "Diễn biến theo năm",
        "nav.compare": "Đơn vị cùng tỉnh",
        "nav.flags": "Sai lệch",
        "documents.title": "Tài liệu",
        "documents.count": "{n} tài liệu, {not_ok} tài liệu đọc chưa trọn vẹn.",
        "col.file": "tệp",
        "col.format": "định dạng",
        "col.status": "trạng thái",
        "col.unit": "đơn vị",
        "col.level": "cấp",
        "col.province": "tỉnh",
        "col.years": "năm",
        "col.pages": "trang",
        "col.tables": "bảng",
        "col.values": "giá trị",
        "col.note": "lỗi hoặc ghi chú",
        "col.where": "vị trí",
        "col.year": "năm",
        "col.framework": "bộ chỉ số",
        "col.codes": "mã",
        "col.expected": "tính được / kỳ vọng",
        "col.found": "in trong tài liệu",
        "col.message": "chi tiết (tiếng Anh)",
        "col.printed": "dòng hoặc câu được in",
        "col.criterion": "tiêu chí",
        "col.rank": "xếp hạng",
        "col.rule": "quy tắc",
        "col.total": "tổng",
        "col.severity": "mức độ",
        "col.flags_of": "⚑ {severity}",
        "trends.title": "Diễn biến theo năm của từng đơn vị",
        "trends.intro": "Mỗi đơn vị, năm, bộ chỉ số và tiêu chí một giá trị (bảng panel). Đơn vị có nhiều năm được vẽ "
        "thành đường, đơn vị chỉ có một năm thành cột ngang có ghi số. Điểm có vòng tròn hoặc cột có "
        "dấu ⚑ là giá trị có sai lệch; điểm rỗng là một giá trị khác được in cho cùng năm. Mỗi giá trị "
        "dẫn tới tệp gốc, đúng trang.",
        "trends.filter": "Tìm đơn vị hoặc tỉnh",
        "trends.no_province": "chưa rõ tỉnh",
        "trends.total": "Tổng ({measure})",
        "trends.domains": "Các lĩnh vực ({measure})",
        "trends.no_measure": "Không in điểm hay tỷ lệ; các giá trị được in:",
        "trends.no_total": "không in tổng điểm",
        "trends.no_domains": "không in điểm các lĩnh vực",
        "trends.values": "bảng giá trị ({measure}) và nơi in từng giá trị",
        "compare.title": "Các đơn vị của một tỉnh trong một năm",
        "compare.intro": "Các đơn vị cùng tỉnh (cấp tỉnh và bộ, ngành: cả nước), cùng năm, bộ chỉ số và cấp; các nhóm "
        "(giá trị trung bình, cả nước) được ghi kèm để đối chiếu, không xếp hạng.",
        "compare.pick": "Xem",
        "compare.units": "{n} đơn vị",
        "compare.national": "cả nước",
        "compare.none": "Không có đơn vị để so sánh.",
        "compare.no_total": "các đơn vị này không có tổng điểm",
        "compare.chart": "tổng ({measure}), {title}",
        "flags.title": "Sai lệch trong số liệu công bố",
        "flags.none": "Không thấy sai lệch nào.",
        "flags.intro": "{n} sai lệch trong các con số được công bố, theo mức độ và quy tắc; bên cạnh mỗi sai lệch là "
        "dòng hoặc câu được in, và liên kết tới tệp gốc đúng trang.",
        "flags.not_found": "không tìm thấy trong các giá trị đọc được",
        "value.source": "In tại: {where}",
        "value.also": "Cũng in: {values}",
        "value.flags": "Sai lệch: {flags}",
        "value.also_short": "cũng in",
        "where.page": "tr. {page}",
        "where.table": "bảng {table}, dòng {row}",
        "where.sentence": "đoạn {row}",
        "measure.score": "điểm",
        "measure.percent": "%",
        "group": "nhóm",
        "no_values": "không có giá trị",
        "no_panel": "Chưa có dữ liệu panel.",
        "open": "mở tệp gốc tại trang này",
    },
}

SEVERITY_NAMES = {"vi": {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}}
STATUS_NAMES = {"vi": {"ok": "đọc được", "partial": "một phần", "failed": "không đọc được", "duplicate": "trùng lặp"}}
LEVEL_NAMES = {
    "vi": {
        "department": "sở, ban, ngành",
        "ministry": "bộ, ngành",
        "district": "cấp huyện",
        "commune": "cấp xã",
        "province": "cấp tỉnh",
        "group": "nhóm",
    }
}
# How each printed value is named beside a flag: field -> label.
VALUE_NAMES = {
    "en": {
        "max_score": "max",
        "score": "score",
        "self_score": "self",
        "target": "target",
        "percent": "%",
        "rank": "rank",
        "delta": "Δ",
        "rank_delta": "Δ rank",
        "deduction": "deducted",
    },
    "vi": {
        "max_score": "tối đa",
        "score": "điểm",
        "self_score": "tự chấm",
        "target": "chỉ tiêu",
        "percent": "%",
        "rank": "hạng",
        "delta": "tăng/giảm",
        "rank_delta": "tăng/giảm hạng",
        "deduction": "điểm trừ",
    },
}


def missing(v) -> bool:
    """None, NaN or pandas' NA (pandas imported only when needed: the CLI imports this)."""
    if v is None or isinstance(v, str):
        return v is None
    import pandas as pd

    return bool(pd.isna(v))


def detect_language(*texts) -> str:
    """ "vi" when any of the texts (strings or columns of strings) is Vietnamese, else "en"."""
    for t in texts:
        values = t.dropna().astype(str).head(5000) if hasattr(t, "dropna") else [t]
        if any(isinstance(v, str) and VIETNAMESE_LETTERS.search(v) for v in values):
            return "vi"
    return "en"


def sort_key(text) -> str:
    """A name as a Vietnamese reader orders it, near enough: without tone marks, Đ as D."""
    plain = unicodedata.normalize("NFD", "" if missing(text) else str(text)).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def decimal(v: float, places: int, lang: str) -> str:
    """`v` with `places` decimals, a decimal comma in Vietnamese; no "-0"."""
    text = f"{float(v):.{places}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace(".", ",") if lang == "vi" else text


def trimmed(v: float, lang: str, places: int = 2) -> str:
    """At most `places` decimals, without trailing zeros: a maximum printed as "10,5", "1"."""
    text = decimal(v, places, lang)
    sep = "," if lang == "vi" else "."
    return text.rstrip("0").rstrip(sep) if sep in text else text


def grouped(n: int, lang: str) -> str:
    """A count with thousands grouped: "1.234" in Vietnamese, "1,234" in English."""
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "vi" else text


class Labels:
    """The words and number formats of one language: `labels("flags.title")`,
    `labels.rule("conflict")`, `labels.value(83.344)` -> "83,34"."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"language {lang!r}: one of {', '.join(LANGUAGES)}")
        self.lang = lang

    def __call__(self, key: str, **fields) -> str:
        text = TEXT[self.lang].get(key) or TEXT["en"][key]
        return text.format(**fields) if fields else text

    def _named(self, table: dict, v) -> str:
        return "" if missing(v) else table.get(self.lang, {}).get(str(v), str(v))

    def severity(self, s) -> str:
        return self._named(SEVERITY_NAMES, s)

    def status(self, s) -> str:
        return self._named(STATUS_NAMES, s)

    def level(self, s) -> str:
        return self._named(LEVEL_NAMES, s)

    def rule(self, r) -> str:
        """A rule's description in the report's language (each rule carries both,
        `parindex.audit.registry.Rule`); a rule no longer registered, by its name."""
        from parindex.audit import RULES

        if missing(r):
            return ""
        rule = RULES.get(str(r))
        if rule is None:
            return str(r)
        return rule.vietnamese if self.lang == "vi" else rule.description

    def field(self, f: str) -> str:
        return VALUE_NAMES[self.lang].get(f, f)

    @staticmethod
    def framework(fw) -> str:
        return "" if missing(fw) else FRAMEWORK_NAMES.get(str(fw), str(fw))

    def value(self, v, places: int = 2) -> str:
        """A measured value (score, percent, change) as reports print it: two decimals."""
        if missing(v):
            return ""
        if isinstance(v, float) and not math.isfinite(v):
            return str(v)
        return decimal(v, places, self.lang)

    def short(self, v) -> str:
        """A maximum or an axis tick: no trailing zeros ("10,5", "25")."""
        return "" if missing(v) else trimmed(v, self.lang)

    def count(self, n) -> str:
        return "" if missing(n) else grouped(n, self.lang)

    def numbers_in(self, text) -> str:
        """A flag's expected or found values ("79.24 (table [1]), 79.27 (table [0])") with
        this language's decimal mark and word for a table."""
        if missing(text):
            return ""
        if self.lang != "vi":
            return str(text)
        text = re.sub(r"\btable \[0\]", "lời văn", str(text))
        text = re.sub(r"\btable \[(\d+)\]", r"bảng \1", text)
        return re.sub(r"(?<![\d.])(-?\d+)\.(\d+)(?![\d.])", r"\1,\2", text)
