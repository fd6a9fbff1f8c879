"""Each audit rule with a failing and a passing case (audit/rules/)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.audit import Audit, AuditSettings, agree, audit, audit_across
from parindex.audit.rules.conflict import most_backed


def ob(code, year=2023, table=1, row=None, doc="d1", unit="Ba Tơ", fw="PAR_INDEX", **values):
    return {
        "document_id": doc,
        "source": f"{doc}.pdf",
        "page": 2,
        "table": table,
        "row": row or 1,
        "unit": unit,
        "year": year,
        "framework": fw,
        "code": code,
        "source_kind": "table" if table else "narrative",
        **values,
    }


def rules(observations, settings=None, rule=None):
    flags = audit(observations, settings)
    return [f for f in flags if rule is None or f["rule"] == rule]


# ---------------------------------------------------------------- sum_mismatch


def test_sum_mismatch_flags_a_parent_that_is_not_the_sum_of_its_children():
    flags = rules(
        [ob("1", score=9.39, row=5), ob("1.1", score=1.0), ob("1.2", score=4.0), ob("1.3", score=4.91)],
        rule="sum_mismatch",
    )
    assert len(flags) == 1
    f = flags[0]
    assert (f["codes"], f["expected"], f["found"], f["row"], f["severity"]) == ("1", "9.91", "9.39", 5, "error")
    assert f["tolerance"] == pytest.approx(0.033)


def test_sum_mismatch_allows_rounding_that_grows_with_the_children():
    # Phong Thổ: scoring software rounds each sub-criterion; 4 children may drift by 0.04
    kids = [ob(f"1.{i}", score=v) for i, v in enumerate([2.33, 2.33, 2.34, 2.34], start=1)]
    assert rules([ob("1", score=9.38), *kids], rule="sum_mismatch") == []  # 9.34 vs 9.38: 0.04 <= 4 x 0.011
    assert len(rules([ob("1", score=9.39), *kids], rule="sum_mismatch")) == 1  # 0.05 > 0.044


def test_sum_mismatch_uses_the_mean_for_sipas():
    kids = [ob(f"1.{i}", fw="SIPAS", percent=v) for i, v in enumerate([80.0, 90.0], start=1)]
    assert rules([ob("1", fw="SIPAS", percent=85.0), *kids], rule="sum_mismatch") == []
    assert len(rules([ob("1", fw="SIPAS", percent=170.0), *kids], rule="sum_mismatch")) == 1


def test_sum_mismatch_compares_within_one_table_and_year():
    obs = [ob("1", score=5.0, table=1), ob("1.1", score=2.0, table=2), ob("1.2", score=2.0, table=2, year=2024)]
    assert rules(obs, rule="sum_mismatch") == []


# ---------------------------------------------------------------- score_above_max


def test_score_above_max_flags_achieved_and_self_assessed_scores():
    flags = rules(
        [ob("1", max_score=11.5, score=6.73), ob("2", table=0, max_score=11.5, self_score=111.5)],
        rule="score_above_max",
    )
    assert [(f["codes"], f["expected"], f["found"]) for f in flags] == [("2", "<= 11.5", "111.5")]


def test_score_above_max_uses_the_max_printed_elsewhere_for_the_same_criterion():
    flags = rules(
        [ob("1", max_score=11.5, score=6.0), ob("1", table=0, row=9, self_score=12.0)], rule="score_above_max"
    )
    assert len(flags) == 1 and flags[0]["row"] == 9


def test_score_equal_to_max_is_fine():
    assert rules([ob("1", max_score=5.0, score=5.0)], rule="score_above_max") == []


# ---------------------------------------------------------------- rank_out_of_range


def test_rank_out_of_range():
    assert len(rules([ob("TOTAL", rank=14, rank_of=13)], rule="rank_out_of_range")) == 1
    assert len(rules([ob("TOTAL", rank=0, rank_of=13)], rule="rank_out_of_range")) == 1
    assert rules([ob("TOTAL", rank=13, rank_of=13)], rule="rank_out_of_range") == []


# ---------------------------------------------------------------- total_mismatch


def test_total_mismatch_total_against_the_domains():
    # Tây Sơn: domains sum to 79,24 while the total prints 80,24
    doms = [ob(str(i), score=v) for i, v in enumerate([10.0, 20.0, 30.0, 19.24], start=1)]
    flags = rules([ob("TOTAL", score=80.24), *doms], rule="total_mismatch")
    assert [(f["expected"], f["found"]) for f in flags] == [("79.24", "80.24")]
    assert rules([ob("TOTAL", score=79.24), *doms], rule="total_mismatch") == []


def test_total_mismatch_total_against_assessed_plus_survey():
    obs = [ob("TOTAL", score=72.77), ob("ASSESSED", score=56.23), ob("SURVEY", score=16.54)]
    assert rules(obs, rule="total_mismatch") == []
    obs[0]["score"] = 73.77
    flags = rules(obs, rule="total_mismatch")
    assert [(f["expected"], f["found"]) for f in flags] == [("72.77", "73.77")]


# ---------------------------------------------------------------- delta_mismatch


def test_delta_mismatch_printed_change_against_the_values():
    obs = [ob("6", year=2022, score=5.0), ob("6", year=2023, score=6.49, delta=-1.49)]
    flags = rules(obs, rule="delta_mismatch")
    assert [(f["expected"], f["found"]) for f in flags] == [("1.49", "-1.49")]
    obs[1]["delta"] = 1.49
    assert rules(obs, rule="delta_mismatch") == []


def test_delta_mismatch_rank_change():
    obs = [ob("TOTAL", year=2022, rank=8, rank_of=11), ob("TOTAL", year=2023, rank=5, rank_of=11, rank_delta=3)]
    assert rules(obs, rule="delta_mismatch") == []
    obs[1]["rank_delta"] = 2
    assert len(rules(obs, rule="delta_mismatch")) == 1


# ---------------------------------------------------------------- percent_mismatch


def test_percent_mismatch_printed_percent_against_score_over_max():
    # Tam Đường: 9,52/13,50 điểm (bằng 70,5%)
    assert rules([ob("1", table=0, score=9.52, max_score=13.5, percent=70.5)], rule="percent_mismatch") == []
    flags = rules([ob("1", table=0, score=9.52, max_score=13.5, percent=75.5)], rule="percent_mismatch")
    assert [(f["expected"], f["found"]) for f in flags] == [("70.52", "75.5")]


# ---------------------------------------------------------------- conflict


def test_conflict_same_criterion_printed_twice_differently():
    # Ba Tơ: criterion 1 for 2023 is 9,91 in the summary table and 9,39 in the detail
    flags = rules([ob("1", score=9.91, table=1), ob("1", score=9.39, table=3)], rule="conflict")
    assert len(flags) == 1 and "9.91 (table [1]), 9.39 (table [3])" in flags[0]["found"]


@pytest.mark.parametrize(
    "a, b, conflicting",
    [
        (7.4, 7.409, False),
        (7.4, 7.36, False),
        (2.53, 2.5371, False),
        (5.5, 5.55, True),
        (9.91, 9.39, True),
        (5.5, 5.6, True),
    ],
)
def test_conflict_values_that_agree_once_rounded_do_not_conflict(a, b, conflicting):
    flags = rules([ob("1", score=a, table=1), ob("1", score=b, table=2)], rule="conflict")
    assert bool(flags) is conflicting


def test_conflict_a_sentence_ranks_a_unit_in_the_country_and_in_its_region():
    # An Giang 2019: "xếp thứ 11/63 ... đứng thứ 3/13 tỉnh vùng ĐBSCL": two rankings, not one rank printed twice
    national = ob("TOTAL", table=0, row=5, rank=11, rank_of=63, rank_delta=-3)
    regional = ob("TOTAL", table=0, row=7, rank=3, rank_of=13, rank_delta=1)
    assert rules([national, regional], rule="conflict") == []
    # two tables that print the unit's rank of different group sizes do conflict
    flags = rules([ob("2", table=1, rank=1, rank_of=13), ob("2", table=3, rank=45, rank_of=63)], rule="conflict")
    assert [f["message"] for f in flags] == [
        "rank printed as 1 (table [1]), 45 (table [3])",
        "rank_of printed as 13 (table [1]), 63 (table [3])",
    ]
    # ... and so do two sentences of one group size
    assert len(rules([national, ob("TOTAL", table=0, row=9, rank=12, rank_of=63)], rule="conflict")) == 1


def test_agree_rounding_and_truncation():
    assert agree(7.4, 7.409) and agree(2.53, 2.5371) and not agree(9.91, 9.39)
    assert not agree(5.5, 5.56)  # a 1-decimal value is not a truncation of 5.56


def test_conflict_across_documents_names_both_sources():
    flags = rules([ob("TOTAL", score=80.24, doc="a"), ob("TOTAL", score=81.24, doc="b")], rule="conflict")
    assert len(flags) == 1 and "a.pdf" in flags[0]["message"] and "b.pdf" in flags[0]["message"]
    assert rules([ob("TOTAL", score=80.24, doc="a"), ob("TOTAL", score=80.24, doc="b")], rule="conflict") == []


def test_conflict_across_many_documents_is_one_flag_at_the_dissenting_document():
    printed = [ob("TOTAL", score=80.24, doc=d, row=3) for d in "abcd"] + [ob("TOTAL", score=81.24, doc="e", row=7)]
    flags = rules(printed, rule="conflict")
    assert len(flags) == 1
    assert flags[0]["document_id"] == "e" and flags[0]["row"] == 7
    assert (flags[0]["expected"], flags[0]["found"]) == ("80.24", "81.24")
    assert "e.pdf" in flags[0]["message"] and "a.pdf" in flags[0]["message"] and "1 more" in flags[0]["message"]


values = st.sampled_from([80.24, 80.2, 80.0, 81.24, 7.4, 7.409, 7.36, 0.0])


@given(st.lists(st.lists(values, min_size=1, max_size=3), min_size=1, max_size=12))
def test_most_backed_is_the_first_value_the_most_documents_agree_with(printed):
    # counted once per distinct value, the same answer as counting every document's value
    def backers(v):
        return sum(1 for vs in printed if any(agree(v, x) for x in vs))

    firsts = [vs[0] for vs in printed]
    assert most_backed(firsts, printed) == max(firsts, key=backers)


def test_conflict_across_documents_keeps_units_of_one_name_in_different_provinces_apart():
    """Châu Thành is a district of seven provinces: the same name is not the same unit."""
    an_giang = ob("TOTAL", score=80.24, doc="a", unit="Châu Thành") | {"province": "An Giang"}
    tien_giang = ob("TOTAL", score=75.10, doc="b", unit="Châu Thành") | {"province": "Tiền Giang"}
    assert rules([an_giang, tien_giang], rule="conflict") == []
    again = ob("TOTAL", score=75.10, doc="c", unit="Châu Thành") | {"province": "An Giang"}
    assert len(rules([an_giang, tien_giang, again], rule="conflict")) == 1


def test_panel_keeps_units_of_one_name_in_different_provinces_apart():
    from parindex.writer.panel import build_panel

    rows = build_panel(
        [
            ob("TOTAL", score=80.24, doc="a", unit="Châu Thành") | {"province": "An Giang"},
            ob("TOTAL", score=75.10, doc="b", unit="Châu Thành") | {"province": "Tiền Giang"},
        ]
    )
    assert sorted((r["province"], r["score"], r["n_disagree"]) for r in rows) == [
        ("An Giang", 80.24, 0),
        ("Tiền Giang", 75.10, 0),
    ]


# ---------------------------------------------------------------- code_gap


def test_code_gap_a_skipped_number_in_a_sequence():
    flags = rules([ob("8.3", score=1.0), ob("8.5", score=1.0, row=7)], rule="code_gap")
    assert [(f["codes"], f["row"], f["severity"]) for f in flags] == [("8.4", 7, "info")]
    assert rules([ob("8.3", score=1.0), ob("8.4", score=1.0)], rule="code_gap") == []


# ---------------------------------------------------------------- max_change


def test_max_change_within_one_catalog_version():
    cid = "PAR_INDEX.par-district-laichau-2023.1"  # version covers 2022-2023 with a max of 13.5
    obs = [ob("1", year=2022, max_score=13.5, criterion_id=cid), ob("1", year=2023, max_score=12.0, criterion_id=cid)]
    flags = rules(obs, rule="max_change")
    assert [(f["expected"], f["found"], f["year"]) for f in flags] == [("13.5", "12", 2023)]
    obs[1]["max_score"] = 13.5
    assert rules(obs, rule="max_change") == []


LAICHAU = ("PAR_INDEX.par-district-laichau-2023.1", "PAR_INDEX.par-district-laichau-2023.2")  # 2022-2023
printings = st.lists(
    st.tuples(
        st.sampled_from(["Ba Tơ", "Sơn Tịnh"]),
        st.sampled_from([2021, 2022, 2023, 2024]),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(LAICHAU),
        st.sampled_from([13.5, 12.0, 10.0]),
        st.sampled_from([None, 9.5, 9.52]),
    ),
    min_size=1,
    max_size=40,
)


@given(printings, st.randoms(use_true_random=False))
def test_a_unit_audited_a_few_years_at_a_time_gets_the_same_flags(printed, rnd):
    # bulk imports audit a unit printed in hundreds of documents a few years at a time
    obs = [
        ob(cid.rsplit(".", 1)[1], year=y, doc=d, unit=u, row=i + 1, criterion_id=cid, max_score=mx, score=sc)
        for i, (u, y, d, cid, mx, sc) in enumerate(printed)
    ]
    pairs = sorted({(o["unit"], o["year"]) for o in obs})
    rnd.shuffle(pairs)
    cut = sorted(rnd.sample(range(1, len(pairs)), rnd.randint(0, len(pairs) - 1))) if len(pairs) > 1 else []
    auditor, flags = Audit(), []
    for chunk in (pairs[a:b] for a, b in zip([0] + cut, cut + [len(pairs)])):
        flags += auditor.unit_years([o for o in obs if (o["unit"], o["year"]) in chunk])
    flags += auditor.finished_units()

    def by_id(fs):
        return sorted(fs, key=lambda f: f["flag_id"])

    assert by_id(flags) == by_id(audit_across(obs)) == by_id(whole_unit_flags(obs))


def whole_unit_flags(obs):
    """The rules across documents as written before units were audited by years: every
    observation of the unit at once."""
    from collections import Counter, defaultdict

    from parindex.audit.core import FlagSink, audit_unit, fmt, printed_order, val
    from parindex.audit.rules.conflict import cross_document_conflict
    from parindex.normalizer.criteria import load_catalog

    sink = FlagSink(AuditSettings())
    obs = sorted(obs, key=lambda o: (str(o.get("document_id")),) + printed_order(o))
    cross_document_conflict(obs, sink)
    by_id = {c.criterion_id: c for c in load_catalog().criteria}
    groups = defaultdict(lambda: defaultdict(list))
    for o in obs:
        crit, mx, year = by_id.get(o.get("criterion_id") or ""), val(o, "max_score"), o.get("year")
        if crit is None or crit.max_score is None or mx is None or not year or crit.year_from is None:
            continue
        groups[(audit_unit(o), o.get("framework"), crit.criterion_id)][int(year)].append((mx, o))
    for (unit, fw, cid), years in groups.items():
        crit = by_id[cid]
        lo, hi = crit.year_from, crit.year_to or 9999
        ordered = sorted(y for y in years if lo <= y <= hi)
        for y1, y2 in zip(ordered, ordered[1:]):
            m1 = Counter(v for v, _ in years[y1]).most_common(1)[0][0]
            m2 = Counter(v for v, _ in years[y2]).most_common(1)[0][0]
            if not agree(m1, m2):
                at = next(o for v, o in years[y2] if v == m2)
                sink.add(
                    "max_change",
                    at,
                    [crit.code],
                    m1,
                    m2,
                    f"max of {crit.code} printed {fmt(m1)} for {y1} and {fmt(m2)} for {y2}, but catalog version "
                    f"{crit.version} ({lo}-{crit.year_to or ''}) applies to both",
                    year=y2,
                    extra_key=str(y1),
                )
    return sink.flags


# ---------------------------------------------------------------- settings


def test_settings_turn_a_rule_off_or_change_its_severity():
    obs = [ob("TOTAL", rank=14, rank_of=13)]
    off = AuditSettings()
    off.enabled["rank_out_of_range"] = False
    assert rules(obs, off, rule="rank_out_of_range") == []
    soft = AuditSettings()
    soft.severity["rank_out_of_range"] = "warning"
    assert rules(obs, soft, rule="rank_out_of_range")[0]["severity"] == "warning"
    loose = AuditSettings(per_child_tolerance=0.5)
    assert rules([ob("1", score=5.5), ob("1.1", score=2.5), ob("1.2", score=2.5)], loose, rule="sum_mismatch") == []


def test_every_flag_carries_provenance_and_a_stable_id():
    flags = audit([ob("1", score=9.39, row=5), ob("1.1", score=5.0), ob("1.2", score=4.91)])
    again = audit([ob("1", score=9.39, row=5), ob("1.1", score=5.0), ob("1.2", score=4.91)])
    assert [f["flag_id"] for f in flags] == [f["flag_id"] for f in again]
    f = flags[0]
    assert (f["source"], f["page"], f["table"], f["row"], f["unit"]) == ("d1.pdf", 2, 1, 5, "Ba Tơ")


def test_sum_mismatch_mean_tolerance_is_per_child_too():
    # Tây Sơn SIPAS targets: group I's children average 83.4875 against 83,50 (rounding, no flag);
    # group II's average 83.994 against 84,19 (flagged)
    kids = [ob(f"I.{i}", fw="SIPAS", target=v) for i, v in enumerate([82.91, 83.5, 83.55, 83.99], start=1)]
    assert rules([ob("I", fw="SIPAS", target=83.5), *kids], rule="sum_mismatch") == []
    kids = [ob(f"II.{i}", fw="SIPAS", target=v) for i, v in enumerate([83.97, 84.018], start=1)]
    flags = rules([ob("II", fw="SIPAS", target=84.19), *kids], rule="sum_mismatch")
    assert [(f["expected"], f["found"]) for f in flags] == [("83.994", "84.19")]


# ---------------------------------------------------------------- documents about many units

# Tây Ninh 2023 (2729/QĐ-UBND): the departments' block of one table. Maxima differ (71.5,
# 96.5, 100), so the table orders the percent ("Tỷ lệ đạt"), not the score: Văn phòng
# UBND tỉnh (69.25 of 71.5) stands above Sở Thông tin và Truyền thông (94.43 of 100).
TAY_NINH_2023 = [
    ("Văn phòng UBND tỉnh", 71.5, 69.25, 96.85, "Tốt"),
    ("Thanh tra tỉnh", 71.5, 69.0, 96.5, "Tốt"),
    ("Sở Thông tin và Truyền thông", 100.0, 94.43, 94.43, "Tốt"),
    ("Sở Tài chính", 96.5, 91.0, 94.3, "Tốt"),
    ("Sở Tư pháp", 100.0, 94.0, 94.0, "Tốt"),
    ("Sở Nội vụ", 96.5, 90.32, 93.6, "Tốt"),
    ("Sở Giáo dục và Đào tạo", 100.0, 90.0, 90.0, "Tốt"),
    ("Sở Khoa học và Công nghệ", 100.0, 87.43, 87.43, "Tốt"),
    ("Sở Lao động - Thương binh và Xã hội", 100.0, 86.84, 86.84, "Tốt"),
    ("Sở Văn hóa, Thể thao và Du lịch", 96.5, 83.59, 86.62, "Tốt"),
    ("Sở Nông nghiệp và Phát triển nông thôn", 100.0, 86.25, 86.25, "Tốt"),
    ("Ban Quản lý Khu kinh tế tỉnh", 100.0, 86.05, 86.05, "Tốt"),
    ("Sở Ngoại vụ", 71.5, 61.0, 85.31, "Tốt"),
    ("Sở Công Thương", 100.0, 84.75, 84.75, "Tốt"),
    ("Sở Xây dựng", 100.0, 83.78, 83.78, "Tốt"),
    ("Sở Giao thông vận tải", 100.0, 82.38, 82.38, "Tốt"),
    ("Sở Kế hoạch và Đầu tư", 96.5, 78.84, 81.7, "Tốt"),
    ("Sở Tài nguyên và Môi trường", 100.0, 78.49, 78.49, "Khá"),
    ("Sở Y Tế", 100.0, 49.07, 49.07, "Kém"),
]
# ... and the first districts of its second block ("II UBND huyện, thị xã, thành phố")
TAY_NINH_2023_DISTRICTS = [
    ("Hòa Thành", 88.35),
    ("Gò Dầu", 87.68),
    ("Tây Ninh", 86.98),
    ("Tân Biên", 86.27),
    ("Châu Thành", 86.02),
    ("Trảng Bàng", 84.92),
]


def unit_row(name, row, level="department", code="TOTAL", **values):
    """One unit's row of a ranking table of Tây Ninh's document."""
    return ob(code, row=row, unit=name, doc="tn", **values) | {
        "printed_unit": name,
        "unit_level": level,
        "province": "Tây Ninh",
    }


def departments(ranked=True):
    """The departments' block as rows 2..20 of table 1, ranked 1..19 of 19 by percent."""
    return [
        unit_row(
            name,
            i + 2,
            max_score=mx,
            score=sc,
            percent=pct,
            grade=grade,
            **({"rank": i + 1, "rank_of": 19} if ranked else {}),
        )
        for i, (name, mx, sc, pct, grade) in enumerate(TAY_NINH_2023)
    ]


def districts(first_row=22, rank_of=6):
    return [
        unit_row(
            name,
            first_row + i,
            level="district",
            max_score=100.0,
            score=sc,
            percent=sc,
            grade="Tốt",
            rank=i + 1,
            rank_of=rank_of,
        )
        for i, (name, sc) in enumerate(TAY_NINH_2023_DISTRICTS)
    ]


def by_rule(flags):
    return sorted((f["rule"], f["row"]) for f in flags)


def test_a_ranking_table_of_19_departments_with_totals_raises_nothing():
    # every unit prints TOTAL: neither a conflict between units nor a gap in their codes;
    # the scores are out of order (Sở Ngoại vụ 61.00 above Sở Công Thương 84.75) but the
    # table ranks the percent, and the district block (the page ends after six districts,
    # and the block prints no size: the reader counts its rows) is its own
    assert audit(departments() + districts()) == []
    assert audit(departments(ranked=False)) == []


def test_two_departments_with_the_same_code_in_one_table_are_two_units():
    a = unit_row("Sở Tư pháp", 5, score=94.0, rank=5, rank_of=19)
    b = unit_row("Sở Nội vụ", 6, score=90.32, rank=6, rank_of=19)
    assert rules([a, b], rule="conflict") == []
    again = unit_row("Sở Tư pháp", 30, score=93.0) | {"table": 2}  # the same unit printed again, differently
    flags = rules([a, b, again], rule="conflict")
    assert [(f["unit"], f["found"]) for f in flags] == [("Sở Tư pháp", "94 (table [1]), 93 (table [2])")]


def test_a_province_and_its_city_of_one_name_are_two_units():
    # "Tây Ninh" is the province and the district-level city (UBND thành phố Tây Ninh)
    city = unit_row("Tây Ninh", 24, level="district", score=86.98)
    province = unit_row("Tây Ninh", 3, level="province", score=80.1) | {"table": 2}
    assert rules([city, province], rule="conflict") == []


def test_sums_and_totals_are_checked_per_unit():
    # two units' domains in one table: only Sở Y Tế's total is not the sum of its domains
    rows = [
        unit_row("Sở Tư pháp", 2, score=94.0),
        unit_row("Sở Tư pháp", 3, code="1", score=50.0),
        unit_row("Sở Tư pháp", 4, code="2", score=44.0),
        unit_row("Sở Y Tế", 5, score=49.07),
        unit_row("Sở Y Tế", 6, code="1", score=30.0),
        unit_row("Sở Y Tế", 7, code="2", score=20.0),
    ]
    flags = rules(rows, rule="total_mismatch")
    assert [(f["unit"], f["row"], f["expected"], f["found"]) for f in flags] == [("Sở Y Tế", 5, "50", "49.07")]
    rows += [unit_row("Sở Y Tế", 8, code="1.1", score=10.0), unit_row("Sở Y Tế", 9, code="1.2", score=15.0)]
    assert [(f["unit"], f["row"]) for f in rules(rows, rule="sum_mismatch")] == [("Sở Y Tế", 6)]


def test_code_gap_is_per_unit_and_a_ranking_table_has_none():
    rows = [
        unit_row("Sở Tư pháp", 2, code="1", score=1.0),
        unit_row("Sở Tư pháp", 3, code="2", score=1.0),
        unit_row("Sở Nội vụ", 4, code="1", score=1.0),
        unit_row("Sở Nội vụ", 5, code="3", score=1.0),
    ]
    flags = rules(rows, rule="code_gap")
    assert [(f["unit"], f["codes"], f["row"]) for f in flags] == [("Sở Nội vụ", "2", 5)]
    assert rules(departments(), rule="code_gap") == []


def test_delta_and_percent_are_checked_against_the_units_own_values():
    rows = [
        unit_row("Sở Tư pháp", 2, year=2022, score=90.0),
        unit_row("Sở Tư pháp", 2, score=94.0, delta=4.0),
        unit_row("Sở Nội vụ", 3, year=2022, score=80.0),
        unit_row("Sở Nội vụ", 3, score=90.32, delta=4.0),
    ]
    flags = rules(rows, rule="delta_mismatch")
    assert [(f["unit"], f["expected"], f["found"]) for f in flags] == [("Sở Nội vụ", "10.32", "4")]
    assert rules(departments(), rule="percent_mismatch") == []


def test_group_rows_of_two_blocks_do_not_conflict():
    # "Trung bình" under each block of one table: two groups' averages, not one value printed twice
    avg = [unit_row("Trung bình", 21, level="group", score=82.4), unit_row("Trung bình", 31, level="group", score=86.7)]
    assert audit(departments() + avg) == []
    # Hải Phòng DDCI 2023: "Điểm trung bình" of the departments, then of the districts, in two sentences
    said = [
        unit_row("Điểm trung bình", 3, level="group", score=76.59, delta=0.2) | {"table": 0},
        unit_row("Điểm trung bình", 4, level="group", score=83.44, delta=2.66) | {"table": 0},
    ]
    assert rules(said, rule="conflict") == []


# ---------------------------------------------------------------- rank_order


def score_ranked(scores, ranks=None, rank_of=None, level="department", first_row=2):
    """A block of units with maxima of 100 and no percent printed: ranked by score."""
    names = [name for name, *_ in TAY_NINH_2023]
    return [
        unit_row(names[i], first_row + i, level=level, max_score=100.0, score=s, rank=r, rank_of=rank_of or len(scores))
        for i, (s, r) in enumerate(zip(scores, ranks or range(1, len(scores) + 1)))
    ]


def test_rank_order_flags_a_higher_score_ranked_lower():
    rows = score_ranked([96.85, 96.5, 94.43, 90.32, 94.0, 90.0], ranks=[1, 2, 3, 4, 5, 6])
    rows[3]["printed_unit"] = rows[3]["unit"] = "Sở Nội vụ"
    rows[4]["printed_unit"] = rows[4]["unit"] = "Sở Tư pháp"
    flags = rules(rows, rule="rank_order")
    assert [(f["row"], f["expected"], f["found"], f["severity"]) for f in flags] == [(6, "< 4", "5", "warning")]
    assert flags[0]["message"] == "table 1 rows 5 and 6: Sở Tư pháp 94.00 ranked 5 below Sở Nội vụ 90.32 ranked 4"
    assert flags[0]["unit"] == "Sở Tư pháp" and flags[0]["codes"] == "TOTAL"


def test_rank_order_one_flag_for_one_misplaced_unit_at_its_row():
    # rank 6 prints a score that belongs at the top: one flag, at its row
    flags = rules(score_ranked([95.0, 94.0, 93.0, 92.0, 91.0, 99.0, 89.0]), rule="rank_order")
    assert [(f["row"], f["expected"], f["found"]) for f in flags] == [(7, "< 5", "6")]
    # rank 2 prints a score that belongs at the bottom: the flag is on rank 2's row, not its neighbour's
    flags = rules(score_ranked([95.0, 70.0, 93.0, 92.0, 91.0, 90.0]), rule="rank_order")
    assert [(f["row"], f["expected"], f["found"]) for f in flags] == [(3, "> 3", "2")]


def test_rank_order_uses_the_percent_when_the_table_ranks_it():
    rows = departments()
    assert rules(rows, rule="rank_order") == []  # scores out of order, percents in order
    rows[4]["rank"], rows[5]["rank"] = 6, 5  # Sở Tư pháp 94.00% and Sở Nội vụ 93.60% swapped
    flags = rules(rows, rule="rank_order")
    assert [(f["row"], f["message"]) for f in flags] == [
        (6, "table 1 rows 6 and 7: Sở Tư pháp 94.00% ranked 6 below Sở Nội vụ 93.60% ranked 5")
    ]


def test_rank_order_equal_scores_may_share_a_rank_or_not():
    assert rules(score_ranked([95.0, 90.0, 90.0, 85.0], ranks=[1, 2, 2, 4]), rule="rank_order") == []
    assert rules(score_ranked([95.0, 90.0, 90.0, 85.0], ranks=[1, 3, 2, 4]), rule="rank_order") == []


def test_rank_order_compares_within_a_block():
    # departments and districts of one table, each ranked from 1: no unit of one block is
    # compared with a unit of the other
    deps = score_ranked([96.0, 90.0, 80.0], level="department")
    dists = score_ranked([88.0, 87.0, 86.0], level="district", first_row=6)
    assert audit(deps + dists) == []
    # two blocks of one level (sở, then ngành dọc) under two headers: ranks start again at 1
    vertical = score_ranked([98.0, 91.0], first_row=8)
    for o, name in zip(vertical, ["Cục Thuế", "Kho bạc Nhà nước"]):
        o["unit"] = o["printed_unit"] = name
    assert audit(deps + vertical) == []
    dists[2]["score"] = 87.5  # rank 3 of the districts above rank 2
    assert [(f["rule"], f["row"]) for f in audit(deps + dists)] == [("rank_order", 8)]


def test_group_rows_take_no_part_in_ranking():
    rows = score_ranked([95.0, 90.0, 85.0])
    average = unit_row("Trung bình các sở", 5, level="group", max_score=100.0, score=99.0, rank=3, rank_of=3)
    assert audit(rows + [average]) == []


# ---------------------------------------------------------------- duplicate_rank


def test_duplicate_rank_flags_a_tie_without_equal_scores():
    flags = rules(score_ranked([95.0, 90.0, 89.5, 85.0], ranks=[1, 2, 2, 4]), rule="duplicate_rank")
    assert [(f["row"], f["expected"], f["found"], f["severity"]) for f in flags] == [(4, "90", "89.5", "warning")]
    assert flags[0]["message"] == (
        "table 1 rows 3 and 4: Sở Thông tin và Truyền thông 89.50 shares rank 2 with Thanh tra tỉnh 90.00"
    )


def test_duplicate_rank_a_tie_with_equal_scores_is_fine():
    assert rules(score_ranked([95.0, 90.0, 90.0, 85.0], ranks=[1, 2, 2, 4]), rule="duplicate_rank") == []


def test_duplicate_rank_two_blocks_each_have_their_first():
    deps = score_ranked([96.0, 90.0], level="department")
    dists = score_ranked([88.0, 87.0], level="district", first_row=5)
    assert rules(deps + dists, rule="duplicate_rank") == []


# ---------------------------------------------------------------- block_size


def test_block_size_more_units_than_the_block_ranks():
    rows = score_ranked([95.0, 94.0, 93.0, 92.0, 91.0, 90.0], rank_of=5, ranks=[1, 2, 3, 4, 5, 5])
    rows[5]["score"] = 91.0
    flags = rules(rows, rule="block_size")
    assert [(f["row"], f["expected"], f["found"], f["severity"]) for f in flags] == [(7, "5", "6", "warning")]
    assert flags[0]["message"] == "table 1 row 7 (Sở Nội vụ): unit 6 ranked in a block its rows say ranks 5 (6 units)"


def test_block_size_a_row_that_prints_another_group_size():
    rows = departments()
    rows[7]["rank_of"] = 18
    flags = rules(rows, rule="block_size")
    assert [(f["row"], f["expected"], f["found"]) for f in flags] == [(9, "19", "18")]


def test_block_size_a_complete_block_whose_ranks_leave_a_place_empty():
    # five units of five: ranks 1, 2, 4, 4, 5 leave 3 to nobody (a tie at 2 would have)
    flags = rules(score_ranked([95.0, 94.0, 93.0, 93.0, 92.0], ranks=[1, 2, 4, 4, 5]), rule="block_size")
    assert [(f["row"], f["expected"], f["found"]) for f in flags] == [(4, "3", "4")]


@pytest.mark.parametrize("ranks", [[1, 2, 2, 4, 5], [1, 2, 2, 3, 4], [1, 1, 3, 4, 5]])
def test_block_size_ties_in_a_complete_block_are_fine(ranks):
    scores = [100.0 - r for r in ranks]
    assert rules(score_ranked(scores, ranks=ranks), rule="block_size") == []


def test_block_size_a_quote_of_the_top_three_in_sentences_is_fine():
    quote = [o | {"table": 0} for o in score_ranked([96.0, 95.0, 94.0], rank_of=19)]
    assert rules(quote, rule="block_size") == []
    top_and_last = [o | {"table": 0} for o in score_ranked([96.0, 95.0, 94.0, 49.07], ranks=[1, 2, 3, 19], rank_of=19)]
    assert audit(top_and_last) == []
    assert audit(districts()) == []  # six districts, no size printed: the reader counted six


def test_block_size_fewer_units_than_printed_is_not_flagged():
    # "II. UBND huyện, thị xã, thành phố (9 đơn vị)" over six rows: a cut page, or units
    # printed without figures, are not told apart from a missing unit by the rows alone
    assert rules(districts(rank_of=9), rule="block_size") == []


# ---------------------------------------------------------------- grade_band


def test_grade_band_a_better_class_with_a_lower_index():
    rows = departments()
    rows[17]["grade"] = "Tốt"  # Sở Tài nguyên và Môi trường 78.49% Tốt above ...
    rows[16]["grade"] = "Khá"  # ... Sở Kế hoạch và Đầu tư 81.70% Khá
    flags = rules(rows, rule="grade_band")
    assert [(f["row"], f["expected"], f["found"], f["severity"]) for f in flags] == [
        (18, "Tốt or better", "Khá", "warning")
    ]
    assert flags[0]["message"] == (
        "table 1 rows 18 and 19: Sở Kế hoạch và Đầu tư 81.70% graded Khá below "
        "Sở Tài nguyên và Môi trường 78.49% graded Tốt"
    )


def test_grade_band_the_documents_own_classes_are_fine():
    # Tây Ninh grades Tốt from 81.70% to 96.85% (no Xuất sắc), Khá 78.49%, Kém 49.07%;
    # by score Sở Ngoại vụ (61.00, Tốt) would be below Sở Tài nguyên (78.49, Khá): the percent is the index
    assert rules(departments(), rule="grade_band") == []
    assert rules(departments(ranked=False), rule="grade_band") == []


def test_grade_band_blocks_have_their_own_bands():
    # Nam Định: a department is in group I from 90%, a district from 80%
    deps = [unit_row("Sở Tư pháp", 2, percent=88.0, grade="Khá"), unit_row("Sở Nội vụ", 3, percent=91.0, grade="Tốt")]
    dists = [unit_row("Giao Thủy", 5, level="district", percent=82.0, grade="Tốt")]
    assert rules(deps + dists, rule="grade_band") == []


def test_grade_band_bands_given_by_the_settings():
    from parindex.schemas.columns import COMMON_GRADE_BANDS

    settings = AuditSettings(grade_bands=COMMON_GRADE_BANDS)
    assert rules(departments(), rule="grade_band") == []  # bands are not assumed
    flags = rules(departments(), settings, rule="grade_band")
    # Tây Ninh's Tốt above 90% would be Xuất sắc in the common bands
    assert [f["row"] for f in flags] == [2, 3, 4, 5, 6, 7, 8]
    assert (flags[0]["expected"], flags[0]["found"]) == ("80–<90", "96.85")
    assert flags[0]["message"] == "table 1 row 2 (Văn phòng UBND tỉnh): graded Tốt at 96.85%, outside its band 80–<90"


# ---------------------------------------------------------------- rank_out_of_range in a ranking table


def test_rank_out_of_range_on_a_units_row():
    rows = departments()
    rows[18]["rank"] = 20
    rows[0]["rank"] = 0
    flags = rules(rows, rule="rank_out_of_range")
    assert [(f["row"], f["unit"], f["expected"], f["found"]) for f in flags] == [
        (2, "Văn phòng UBND tỉnh", "1..19", "0"),
        (20, "Sở Y Tế", "1..19", "20"),
    ]
    assert flags[1]["message"] == "table 1 row 20: rank 20 of 19"


# ---------------------------------------------------------------- consistent rankings raise nothing

scores_2dp = st.integers(min_value=4000, max_value=10000).map(lambda n: n / 100)


@given(st.lists(scores_2dp, min_size=2, max_size=25), st.integers(min_value=0, max_value=25), st.booleans())
def test_a_consistent_ranking_raises_no_flag(scores, quoted, with_size):
    """Scores ranked from the highest (ties share a rank, the next rank skips), printed
    whole or as a quote of the top units: no ranking rule has anything to say."""
    scores = sorted(scores, reverse=True)
    ranks = [1 + sum(1 for t in scores if t > s) for s in scores]
    keep = quoted if 0 < quoted < len(scores) else len(scores)
    rows = [
        unit_row(f"Unit {i}", i + 2, max_score=100.0, score=s, rank=r, rank_of=len(scores) if with_size else None)
        | ({"table": 0} if keep < len(scores) else {})  # a quote of the top units is a sentence's
        for i, (s, r) in enumerate(zip(scores, ranks))
    ][:keep]
    assert audit(rows) == []


def test_two_units_with_the_same_inconsistency_get_a_flag_each():
    # the same message for two units of one table: two flags (the unit is part of a flag's id)
    rows = [
        unit_row(name, row + i, code=code, score=v)
        for row, name in ((2, "Sở Tư pháp"), (6, "Sở Nội vụ"))
        for i, (code, v) in enumerate([("1", 9.39), ("1.1", 5.0), ("1.2", 4.91)])
    ]
    flags = rules(rows, rule="sum_mismatch")
    assert [(f["unit"], f["row"]) for f in flags] == [("Sở Tư pháp", 2), ("Sở Nội vụ", 6)]
    assert len({f["flag_id"] for f in flags}) == 2


def test_ranking_rules_are_turned_off_and_graded_like_the_others():
    from parindex.cli import audit_settings, build_parser

    args = build_parser().parse_args(
        ["run", "x", "--rule-off", "rank_order", "--rule-severity", "duplicate_rank=error"]
    )
    settings = audit_settings(args)
    rows = score_ranked([95.0, 90.0, 89.5, 91.0], ranks=[1, 2, 2, 4])
    assert rules(rows, rule="rank_order") and not rules(rows, settings, rule="rank_order")
    assert {f["severity"] for f in rules(rows, settings, rule="duplicate_rank")} == {"error"}
