"""Table-driven vocabulary: what printed header words, row labels and phrases mean.

All patterns match the accent-folded lowercase form (`vietnamese.folding.fold`) so that
damaged text ("Chsố", "ci cách") and unaccented text still match.
"""

from __future__ import annotations

import re

from parindex.vietnamese.codes import criterion_code
from parindex.vietnamese.folding import collapse, fold
from parindex.vietnamese.numbers import looks_numeric

# Header text -> measure (field of an observation). First match wins, leaf to root.
MEASURES: list[tuple[str, re.Pattern]] = [
    ("delta", re.compile(r"chenh lech|tang\s*/\s*giam|muc do tang|so voi nam|thay doi")),
    ("max_score", re.compile(r"diem chuan|toi da|thang diem")),
    ("self_score", re.compile(r"tu danh gia|tu cham")),
    ("target", re.compile(r"chi tieu|muc tieu|ke hoach")),
    ("rank", re.compile(r"xep hang|vi thu|thu hang|xep thu|\bhang\b")),
    ("percent", re.compile(r"^ty le\b|^%$")),
    ("score", re.compile(r"diem dat|tham dinh|ket qua|diem danh gia|hdtd|\bdiem\b|chi so|par ?index|sipas|ddci|dti")),
]

CODE_HEADER = re.compile(r"^(?:so\s*)?(?:stt|tt)\b|^ma\b|^so thu tu")
NAME_HEADER = re.compile(
    r"linh vuc|tieu chi|noi dung|^chi so$|ten (?:don vi|chi so)|^don vi$|dia phuong|^chi so thanh phan"
)
NOTE_HEADER = re.compile(r"ghi chu|co quan|chiu trach nhiem|phu trach|tham muu|nguyen nhan")
YEAR_ROW_HEADER = re.compile(r"^nam(?: danh gia)?$")

# Row labels (no code printed) that name an aggregate. Checked in this order.
AGGREGATES: list[tuple[str, re.Pattern]] = [
    (
        "TOTAL",
        re.compile(
            r"^tong\b|ket qua tong hop|^chi so (?:par ?index|cchc|cai cach)|^par ?index|^diem chi so|^tong cong"
        ),
    ),
    ("SURVEY", re.compile(r"dieu tra|dtxhh|\bxhh\b|khao sat")),
    ("ASSESSED", re.compile(r"diem danh gia|tham dinh|hdtd|tu danh gia va|diem tu cham")),
]

# Which framework a phrase names. PCI and PAPI are out of scope: recognised only to be
# refused (REFUSED_FRAMEWORKS), so their figures are not read as another index's.
REFUSED_FRAMEWORKS = ("PCI", "PAPI")
FRAMEWORK_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("SIPAS", re.compile(r"\bsipas\b|(?:chi so|muc do) hai long cua nguoi dan")),
    ("DDCI", re.compile(r"\bddci\b|nang luc canh tranh cap (?:huyen|so|dia phuong|quan)")),
    ("DTI", re.compile(r"\bdti\b|(?:bo )?chi so (?:danh gia )?chuyen doi so")),
    ("PCI", re.compile(r"\bpci\b|nang luc canh tranh cap tinh")),
    ("PAPI", re.compile(r"\bpapi\b|hieu qua quan tri va hanh chinh cong")),
    ("PAR_INDEX", re.compile(r"par ?index|cai cach hanh chinh|\bcchc\b|\bci cach hanh chinh")),
]

# How a parent relates to its children, per framework (catalog rows may override).
AGGREGATION = {"PAR_INDEX": "sum", "SIPAS": "mean", "DDCI": "weighted", "DTI": "weighted"}

# Frameworks whose results are printed as percentages (go to `percent`, not `score`); a
# DTI value on its 0-1 scale is a score.
PERCENT_FRAMEWORKS = {"SIPAS", "DTI"}

# --- Unit prefixes: the words printed before a unit's name that say its level, one table
# for every reader of unit names (table rows, sentences, a document's own unit).

# As printed (NFC, lower case; match them case-insensitively).
UNIT_PREFIXES: dict[str, tuple[str, ...]] = {
    "district": ("thị xã", "thành phố", "huyện", "quận"),
    "commune": ("xã", "phường", "thị trấn", "đặc khu"),
    "province": ("tỉnh",),
}
# Their abbreviations, printed with a dot and often glued to the name ("H.Cẩm Mỹ",
# "TP. Biên Hòa", "P.3"); a few also without the dot ("TP Huế").
UNIT_PREFIX_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "district": ("tp", "tx", "h", "q"),
    "commune": ("p", "tt", "x"),
}
UNDOTTED_ABBREVIATIONS = ("tp",)
# The people's committee of a unit, printed before its prefix ("UBND huyện Châu Thành").
COMMITTEE_PREFIXES = ("UBND", "Ủy ban nhân dân", "Uỷ ban nhân dân")
# "xã" also starts "xã hội" (society: "Cộng hòa xã hội chủ nghĩa", "kinh tế - xã hội").
_NOT_SOCIETY = r"(?!\s+h[ộo]i\b)"
_NOT_SOCIETY_FOLDED = r"(?!\s+hoi\b)"


def unit_prefix_words(levels: tuple[str, ...] = tuple(UNIT_PREFIXES), folded: bool = False) -> str:
    """The prefix words of `levels` as a regex alternation (accent-folded when `folded`),
    "xã" only where it does not start "xã hội"."""
    out = []
    for level in levels:
        for word in UNIT_PREFIXES[level]:
            guard = (_NOT_SOCIETY_FOLDED if folded else _NOT_SOCIETY) if word == "xã" else ""
            out.append((fold(word) if folded else word) + guard)
    return "|".join(out)


def unit_prefix_level(word: str) -> str | None:
    """The level a prefix word says ("Thị xã" -> district), None for another word."""
    key = word.lower()
    return next((level for level, words in UNIT_PREFIXES.items() if key in words), None)


# --- Ranking tables: tables whose rows are units (a province's departments and districts,
# the national ranking of provinces or ministries). Matched on the folded text.

# Header of the column that names the units. A parenthesised note is removed first.
UNIT_HEADER = re.compile(
    r"^(?:ten\s+)?(?:cac\s+)?(?:"
    r"don vi(?! tinh\b)(?: hanh chinh)?|co quan(?:\s*[,/-]\s*don vi)?|dia phuong|tinh|"
    r"(?:tinh|huyen|quan|xa|phuong|so|bo)\s*[,/-]\s*[\w ,/-]+|"
    r"bo\s+nganh|so\s+nganh"
    r")$"
)
# Name-column headers that say the rows are criteria, never units.
CRITERIA_HEADER = re.compile(r"linh vuc|tieu chi|noi dung|chi so thanh phan|chi tieu")
# Columns whose cells may be unit names without the rows being units (who leads a task).
RESPONSIBLE_HEADER = re.compile(r"chu tri|phu trach|chiu trach nhiem|tham muu|phoi hop|thuc hien")
# Texts that start like a unit ("Ban", "Bộ", "Xã", "Thành phố") but are criteria or things.
NOT_A_UNIT = re.compile(
    r"^(?:ban hanh|bo chi so|bo tieu chi|bo phan|bo may|hoi nghi|co quan (?:chu tri|phoi hop)|"
    r"xa hoi|thanh pho thong minh|do thi thong minh)\b"
)

# A block's header row ("I. Các sở, ban, ngành tỉnh") -> the level of the units under it.
# Checked in this order: "sở, ban, ngành tỉnh" names departments, not provinces.
BLOCK_LEVELS: list[tuple[str, re.Pattern]] = [
    ("ministry", re.compile(r"\bbo\s*,|\bcac bo\b|\bkhoi bo\b|co quan ngang bo|\bbo nganh\b")),
    (
        "department",
        re.compile(
            r"\bso\s*,\s*ban|\bcac so\b|\bkhoi so\b|\bcap so\b|\bso\s*,\s*nganh|"
            r"ban\s*,\s*nganh|co quan chuyen mon|co quan hanh chinh cap tinh"
        ),
    ),
    ("district", re.compile(r"\bhuyen\b|\bkhoi quan\b|\bcap quan\b|thi xa\s*,\s*thanh pho")),
    (
        "commune",
        re.compile(
            r"\bxa\s*,\s*(?:phuong|thi tran)|\bphuong\s*,\s*xa|\bkhoi xa\b|\bcap xa\b|\bcac xa\b|"
            r"\bkhoi phuong\b"
        ),
    ),
    ("province", re.compile(r"\btinh\s*,\s*thanh pho|\bcac tinh\b|\bkhoi tinh\b|\bcac dia phuong\b")),
]

# How many units a block header says it holds: "II. Khối huyện (09 đơn vị)", "(gồm 21 sở, ngành)".
BLOCK_SIZE = re.compile(r"\(\s*(?:gom\s+)?(\d{1,3})\s+(?:don vi|co quan|so|huyen|quan|xa|phuong|dia phuong|tinh|bo)\b")

# Row labels of a group's value in a ranking table (unit_level "group").
GROUP_LABELS = re.compile(
    r"^(?:diem |gia tri |chi so |muc )?(?:trung binh|binh quan)\b|^ca nuoc\b|^tong cong\b|^toan tinh\b|"
    r"^trung vi\b|^chung\b|^(?:diem )?(?:cao nhat|thap nhat)$"
)

# A ranking table's column that names its index: "Chỉ số hài lòng" is SIPAS's (beside
# FRAMEWORK_PATTERNS, which need "... của người dân" in running text).
SATISFACTION_HEADER = re.compile(r"\bhai long\b")
# A ranking table's rank column beyond MEASURES' rank words ("Vị trí").
RANK_POSITION_HEADER = re.compile(r"^vi tri\b")
# The "Xếp loại" column: a printed class, kept as text.
GRADE_HEADER = re.compile(r"xep loai|phan loai|muc xep loai")
# Printed classes, as the last words of a row printed on one line.
GRADE_WORDS = re.compile(
    r"^(?:xuat sac|tot|kha|trung binh|yeu|kem|dat|khong dat|"
    r"hoan thanh(?: xuat sac| tot)?(?: nhiem vu)?|chua hoan thanh(?: nhiem vu)?)$"
)

# Which part of the index a ranking table's value column holds (leaf to root of its header).
RANKING_PARTS: list[tuple[str, re.Pattern]] = [
    ("SURVEY", re.compile(r"dieu tra|dtxhh|\bxhh\b|khao sat")),
    ("ASSESSED", re.compile(r"tham dinh|diem danh gia|\bhdtd\b|tu danh gia|tu cham")),
]
# "Lĩnh vực 1", "LV1", "Chỉ số thành phần 2", "Trụ cột I": one column per domain, its code printed.
DOMAIN_COLUMN = re.compile(
    r"^(?:linh vuc|lv|chi so thanh phan|cstp|tru cot|nhom chi so)\s*\.?\s*"
    r"(?P<code>\d{1,2}|[ivx]{1,4})$"
)
# Header words of the total (the index itself, its percentage, its rank and class).
TOTAL_COLUMN = re.compile(
    r"^tong\b|^chi so(?: cchc| cai cach hanh chinh| par ?index| sipas| ddci| dti| hai long(?: chung)?)?$|"
    r"par ?index|^sipas|^ddci|^dti|^ket qua|^diem(?: dat(?: duoc)?| so| tong hop)?$|^ty le|^xep hang|^xep loai|"
    r"^vi thu|^vi tri|^thu hang|^thu tu|toi da|^diem chuan|^thang diem|^tang|^giam|^chenh lech|^so voi|^thay doi|"
    r"^hang$|^%$|^diem (?:trung binh|tong)$|^(?:muc do|ty le) hai long"
)

# Header cells of a ranking table printed on one line ("STT TÊN CƠ QUAN Điểm tối đa ..."):
# the phrases a header line is cut into. A cell may end in a parenthesised note, a year
# ("năm 2023") or "%".
HEADER_PHRASES = frozenset(
    {
        "stt",
        "tt",
        "so tt",
        "so thu tu",
        "ten co quan",
        "ten don vi",
        "co quan, don vi",
        "co quan/don vi",
        "ten co quan, don vi",
        "don vi",
        "co quan",
        "dia phuong",
        "ten dia phuong",
        "tinh, thanh pho",
        "tinh/thanh pho",
        "tinh, tp",
        "ten tinh",
        "huyen, thi xa, thanh pho",
        "huyen/thi xa/thanh pho",
        "quan, huyen",
        "xa, phuong, thi tran",
        "so, ban, nganh",
        "bo, nganh",
        "bo, co quan ngang bo",
        "don vi hanh chinh",
        "diem toi da",
        "diem chuan",
        "thang diem",
        "diem tham dinh",
        "diem danh gia",
        "diem tu danh gia",
        "diem tu cham",
        "diem dtxhh",
        "dtxhh",
        "diem dieu tra xhh",
        "dieu tra xhh",
        "diem dieu tra xa hoi hoc",
        "dieu tra xa hoi hoc",
        "diem khao sat",
        "ty le dat",
        "ty le",
        "ty le dat duoc",
        "xep loai",
        "muc xep loai",
        "xep hang",
        "vi thu",
        "thu hang",
        "thu tu xep hang",
        "hang",
        "tong diem",
        "tong so diem",
        "tong",
        "chi so",
        "chi so cchc",
        "chi so par index",
        "par index",
        "chi so sipas",
        "sipas",
        "chi so ddci",
        "ddci",
        "chi so dti",
        "dti",
        "diem",
        "diem so",
        "ket qua",
        "diem dat",
        "diem dat duoc",
        "tang/giam",
        "tang, giam",
        "ghi chu",
        "chi so hai long",
        "muc do hai long",
        "ty le hai long",
        "diem trung binh",
        "diem tong",
        "tong cong",
        "diem thuong",
        "diem tru",
        "vi tri",
        "so voi",
        "tang/giam so voi",
        "tang, giam so voi",
        "thay doi",
        "ten bo, nganh",
        "huyen, thanh pho",
        "huyen, thi xa",
        "huyen/thanh pho",
        "so, nganh",
        "don vi, dia phuong",
        "xa, phuong",
        "phuong, xa",
        "xa, thi tran",
        "quan, huyen, thi xa",
        "diem chi so",
        "diem chi so cchc",
        "diem chi so par index",
        "diem par index",
        "chi so cai cach hanh chinh",
        "diem chi so cai cach hanh chinh",
        "ket qua chi so",
        "ket qua chi so cchc",
        "ket qua xep loai",
        "ket qua xep hang",
        "tong diem dat",
        "tong diem dat duoc",
        "diem danh gia cua hoi dong tham dinh",
        "diem hoi dong tham dinh",
    }
)
# "1", "2 (9)", "III": a domain column headed by its number alone.
DOMAIN_NUMBER = re.compile(r"^(?P<code>\d{1,2}|[ivx]{1,4})$")
HEADER_PHRASE_PATTERNS = [DOMAIN_COLUMN, DOMAIN_NUMBER]
# A last column the rows of a table printed one row per line may leave out.
BLANK_COLUMN_HEADER = re.compile(r"^ghi chu")
# A unit named by a number after its prefix ("Quận 1", "Phường 3"): the number is its name.
NUMBERED_UNIT_WORD = re.compile(r"(?:^|\s)(?:quan|phuong)$")
# How a unit's name starts when printed with its prefix (for layout: a row of a ranking table).
UNIT_NAME_START = re.compile(
    r"^(?:ubnd|uy ban nhan dan|so|van phong|thanh tra|ban|bo|huyen|quan|thi xa|thanh pho|"
    r"tp|tx|thi tran|xa|phuong|tinh)\b"
)


def is_year_only(t: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", collapse(t)))


def header_row_count(rows: list[list[str]]) -> int:
    """Rows at the top that carry no figures (years alone do not count as figures)."""
    n = 0
    for row in rows:
        cells = [collapse(t) for t in row]
        figures = [t for t in cells[1:] if looks_numeric(t) and not is_year_only(t)]
        if figures or (cells and criterion_code(cells[0]) and any(cells[1:2])):
            break
        n += 1
        if n >= 4:
            break
    return n if n < len(rows) else 0
