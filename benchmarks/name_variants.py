"""Build benchmarks/data/name_variants.csv: printed criterion names as the sample reports
print them (the catalog's names and aliases, seeded from the samples) plus realistic
damage, each labelled with the criterion it must match.

    .venv/bin/python benchmarks/name_variants.py       # rewrites the CSV (deterministic)

Damage kinds: `as_printed`, `no_accents` (typed without diacritics), `dropped_letters`
(a web page that lost its accented letters, like the Tây Sơn sample), `abbreviated`
(CCHC, TTHC, QPPL, ...), `word_order`, `typo` (one letter deleted or two swapped),
`office_note` (a responsible office in brackets), `upper` (a heading in capitals).
Half the variants carry the printed code, half only the name.
"""

from __future__ import annotations

import csv
import pathlib
import random
import re
import sys
import unicodedata

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parindex.normalizer.criteria import load_catalog  # noqa: E402
from parindex.normalizer.matching import normalize_name  # noqa: E402

OUT = ROOT / "benchmarks" / "data" / "name_variants.csv"
# the catalog versions the five samples use
VERSIONS = (
    "par-district-quangngai-673-2023",
    "par-district-laichau-2023",
    "par-district-binhdinh-2023",
    "par-commune-quangngai-673-2023",
    "sipas-2022",
    "ddci-district-binhdinh-2023",
    "dti-district-binhdinh-2023",
)
OFFICES = ("Phòng Nội vụ", "Văn phòng HĐND và UBND huyện", "Phòng Tư pháp", "Phòng Tài chính - Kế hoạch")
AGGREGATES = ("TOTAL", "ASSESSED", "SURVEY")


def no_accents(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if unicodedata.category(ch) != "Mn")


def dropped_letters(s: str, rng: random.Random) -> str:
    # the web sample lost letters carrying two marks or a dot below: "Chỉ số" -> "Chsố", "đấu" -> "đu"
    return "".join(ch for ch in s if not (ord(ch) > 0x1E00 and rng.random() < 0.7))


def abbreviated(s: str, expansions: list[tuple[str, str]]) -> str | None:
    for long, short in expansions:
        pat = re.compile(re.escape(long), re.IGNORECASE)
        if pat.search(s):
            return pat.sub(short, s, count=1)
    return None


def word_order(s: str) -> str | None:
    for sep in (", ", " và "):
        if sep in s:
            a, b = s.split(sep, 1)
            return f"{b}{sep}{a}"
    words = s.split()
    if len(words) >= 4:
        return " ".join(words[2:] + words[:2])
    return None


def typo(s: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(s) if ch.isalpha()]
    i = rng.choice(letters[1:-1] or letters)
    if rng.random() < 0.5:
        return s[:i] + s[i + 1 :]
    return s[:i] + s[i + 1] + s[i] + s[i + 2 :] if i + 2 <= len(s) else s


def main() -> None:
    catalog = load_catalog()
    rng = random.Random(20261123)
    expansions = []
    with (ROOT / "normalizer" / "catalog" / "abbreviations.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if len(r["expansion"]) > 8:
                expansions.append((r["expansion"], r["abbreviation"]))
    expansions.sort(key=lambda e: -len(e[0]))
    rows = []
    for version in VERSIONS:
        crits = [c for c in catalog.criteria if c.version == version and c.code not in AGGREGATES]
        # names that normalize the same under two criteria need their code to be told apart
        norm_count: dict[str, int] = {}
        for c in crits:
            for n in {c.name, *c.aliases}:
                k = normalize_name(n, catalog.abbreviations)
                norm_count[k] = norm_count.get(k, 0) + 1
        for c in crits:
            for name in sorted({c.name, *c.aliases}):
                ambiguous = norm_count[normalize_name(name, catalog.abbreviations)] > 1
                variants = [
                    ("as_printed", name),
                    ("no_accents", no_accents(name)),
                    ("dropped_letters", dropped_letters(name, rng)),
                    ("abbreviated", abbreviated(name, expansions)),
                    ("word_order", word_order(name)),
                    ("typo", typo(name, rng)),
                    ("office_note", f"{name} ({rng.choice(OFFICES)})"),
                    ("upper", name.upper()),
                ]
                for kind, printed in variants:
                    if not printed or printed == name and kind != "as_printed":
                        continue
                    with_code = ambiguous or rng.random() < 0.5
                    rows.append(
                        {
                            "printed_name": printed,
                            "code": c.code if with_code else "",
                            "framework": c.framework,
                            "level": c.level,
                            "province": c.province,
                            "year": c.year_from or "",
                            "expected_criterion_id": c.criterion_id,
                            "damage": kind,
                        }
                    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} labelled variants -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
