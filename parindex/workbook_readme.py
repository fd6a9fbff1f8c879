"""The workbook's first sheet: what each sheet holds, what the colours mean, how the
columns are laid out and what the main columns are, in Vietnamese or English.

`readme_rows` gives (kind, cells) rows; `parindex.export` styles them by kind: "title",
"head" (bold), "text", a severity ("error", "warning", "info": the first cell filled
with its colour).
"""

from __future__ import annotations

SHEET_TEXT = {
    "vi": {
        "panel": "Mỗi đơn vị, năm, bộ chỉ số và tiêu chí một giá trị: khi các nguồn in khác nhau, giá trị được chọn "
        "theo thứ tự quyết định công bố > bảng phụ lục > lời văn; n_disagree đếm số nguồn in khác, "
        "disagreements liệt kê chúng.",
        "observations": "Từng giá trị đúng như được in: tệp (source), trang (page), bảng (table; 0 là lời văn), "
        "dòng (row), đơn vị, năm, mã và tên tiêu chí, điểm, tỷ lệ, thứ hạng…",
        "flags": "Từng sai lệch tìm thấy trong số liệu công bố: mức độ, quy tắc, nơi in, giá trị tính được "
        "(expected) và giá trị in (found).",
        "documents": "Từng tệp đã đọc: trạng thái, đơn vị, cấp, tỉnh, các năm, số trang, số bảng, số giá trị, lỗi.",
    },
    "en": {
        "panel": "One value per unit, year, framework and criterion: where sources print different values, the "
        "one chosen by precedence decision > appendix table > narrative; n_disagree counts the others, "
        "disagreements lists them.",
        "observations": "Each value as printed: file (source), page, table (0 for a sentence), row, unit, year, "
        "criterion code and name, score, percentage, rank…",
        "flags": "Each inconsistency found in the published numbers: severity, rule, where it was printed, the "
        "value computed (expected) and the value printed (found).",
        "documents": "Each file read: status, unit, level, province, years, pages, tables, values, error.",
    },
}

TEXT = {
    "vi": {
        "title": "parindex: Chỉ số cải cách hành chính (PAR INDEX, SIPAS, DDCI, DTI) từ các báo cáo đã công bố",
        "sheets": ("Trang tính", "Nội dung", "Số dòng"),
        "colours": "Màu nền của dòng: mức độ sai lệch nặng nhất của dòng đó",
        "error": "lỗi: các con số mâu thuẫn nhau (tổng không khớp, điểm vượt tối đa, thứ hạng sai)",
        "warning": "cảnh báo: cùng một giá trị được in khác nhau, mức tăng giảm không khớp…",
        "info": "thông tin: thiếu một mục trong đánh số, điểm tối đa đổi giữa các năm",
        "layout": "Cách đọc",
        "notes": (
            "Cột flags (cột đầu của panel và observations) liệt kê các sai lệch của dòng: lọc cột này để xem các "
            "dòng có sai lệch. Mã của từng sai lệch (flag_ids) ở cuối dòng, tra trong trang flags.",
            "Các con số được lưu dưới dạng số, hiển thị hai chữ số thập phân.",
            "Các cột người đọc cần trước nằm ở đầu; các cột mã định danh (document_id, flag_id, sha256, "
            "observation_keys) ở cuối.",
            "Khi in: khổ A4 ngang, các cột đầu (đến cột mã chi tiết như grade, chosen_source, message, error) "
            "vừa chiều rộng trang, dòng tiêu đề lặp lại ở mỗi trang; các cột sau chỉ xem trên màn hình.",
        ),
        "columns": "Các cột chính",
    },
    "en": {
        "title": "parindex: administrative reform indices (PAR INDEX, SIPAS, DDCI, DTI) from published reports",
        "sheets": ("Sheet", "What it holds", "Rows"),
        "colours": "A row's background: the most severe flag on it",
        "error": "error: numbers that contradict each other (sums, a score above its maximum, a rank)",
        "warning": "warning: one value printed differently, a change that does not add up…",
        "info": "info: a number missing in the numbering, a maximum that changes between years",
        "layout": "How to read it",
        "notes": (
            "The flags column (first on panel and observations) names the flags of the row: filter it to see the "
            "flagged rows. Their ids (flag_ids) are at the end of the row, to look up on the flags sheet.",
            "Numbers are stored as numbers and shown with two decimals.",
            "The columns a reader checks first are in front; identifiers (document_id, flag_id, sha256, "
            "observation_keys) at the end.",
            "Printing: A4 landscape, the front columns (up to grade, chosen_source, message or error) fitted to the "
            "page width, the header row repeated on every page; the columns after them are for the screen.",
        ),
        "columns": "Main columns",
    },
}

COLUMNS = {
    "vi": (
        ("unit, printed_unit", "đơn vị (tên chuẩn) và tên như được in"),
        (
            "unit_level",
            "cấp: province (tỉnh), ministry (bộ, ngành), department (sở, ban, ngành), district "
            "(huyện), commune (xã), group (nhóm: giá trị trung bình, cả nước)",
        ),
        ("framework", "bộ chỉ số: PAR_INDEX, SIPAS, DDCI, DTI"),
        (
            "code, criterion_name",
            "mã và tên tiêu chí; TOTAL tổng điểm, ASSESSED điểm thẩm định, SURVEY điểm điều tra xã hội học",
        ),
        ("max_score, score", "điểm tối đa, điểm đạt được"),
        ("percent", "tỷ lệ % (chỉ số)"),
        ("rank, rank_of", "thứ hạng trên số đơn vị được xếp hạng"),
        ("delta, rank_delta", "mức tăng/giảm điểm và thứ hạng so với năm trước (hoặc năm delta_from)"),
        ("self_score, target, deduction", "điểm tự đánh giá, chỉ tiêu, điểm trừ"),
        ("grade", "xếp loại được in"),
    ),
    "en": (
        ("unit, printed_unit", "the unit (canonical name) and its name as printed"),
        ("unit_level", "province, ministry, department, district, commune, or group (an average, the country)"),
        ("framework", "PAR_INDEX, SIPAS, DDCI, DTI"),
        ("code, criterion_name", "criterion code and name; TOTAL, ASSESSED (appraisal), SURVEY (sociological survey)"),
        ("max_score, score", "maximum and score"),
        ("percent", "percentage (index)"),
        ("rank, rank_of", "rank out of the units ranked"),
        ("delta, rank_delta", "change of score and rank from the previous year (or the year delta_from)"),
        ("self_score, target, deduction", "self-assessed score, target, deduction"),
        ("grade", "class as printed"),
    ),
}


def readme_rows(lang: str, counts: dict[str, int]) -> list[tuple[str, tuple]]:
    """The README sheet's rows in `lang`, with each sheet's row count."""
    t = TEXT[lang]
    rows: list[tuple[str, tuple]] = [("title", (t["title"],)), ("text", ()), ("head", t["sheets"])]
    rows += [("text", (name, SHEET_TEXT[lang][name], counts.get(name, 0))) for name in SHEET_TEXT[lang]]
    rows += [("text", ()), ("head", (t["colours"],))]
    rows += [(sev, (sev, t[sev])) for sev in ("error", "warning", "info")]
    rows += [("text", ()), ("head", (t["layout"],))]
    rows += [("text", ("", note)) for note in t["notes"]]
    rows += [("text", ()), ("head", (t["columns"],))]
    rows += [("text", pair) for pair in COLUMNS[lang]]
    return rows
