"""Table-driven vocabulary: what printed header words, row labels and phrases mean.

All patterns match the accent-folded lowercase form (`normalizer.text.fold`) so that
damaged text ("Chsố", "ci cách") and unaccented text still match.
"""
from __future__ import annotations

import re

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
NAME_HEADER = re.compile(r"linh vuc|tieu chi|noi dung|^chi so$|ten (?:don vi|chi so)|^don vi$|dia phuong|^chi so thanh phan")
NOTE_HEADER = re.compile(r"ghi chu|co quan|chiu trach nhiem|phu trach|tham muu|nguyen nhan")
YEAR_ROW_HEADER = re.compile(r"^nam(?: danh gia)?$")

# Row labels (no code printed) that name an aggregate. Checked in this order.
AGGREGATES: list[tuple[str, re.Pattern]] = [
    ("TOTAL", re.compile(r"^tong\b|ket qua tong hop|^chi so (?:par ?index|cchc|cai cach)|^par ?index|^diem chi so|^tong cong")),
    ("SURVEY", re.compile(r"dieu tra|dtxhh|\bxhh\b|khao sat")),
    ("ASSESSED", re.compile(r"diem danh gia|tham dinh|hdtd|tu danh gia va|diem tu cham")),
]

# Which framework a phrase names. PCI and PAPI are out of scope and recognised only to be refused.
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

# Frameworks whose results are printed as percentages (go to `percent`, not `score`).
PERCENT_FRAMEWORKS = {"SIPAS", "DTI"}

UNIT_PREFIXES = [
    ("district", r"thị xã|thành phố|huyện|quận|tp\.?"),
    ("commune", r"xã|phường|thị trấn|đặc khu"),
    ("department", r"sở|ban quản lý|ban"),
    ("province", r"tỉnh"),
]
