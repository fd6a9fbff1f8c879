"""Each audit rule with a failing and a passing case (normalizer/audit.py)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizer.audit import (AuditSettings, agree, audit, audit_across, audit_across_years, max_change_flags,
                              most_backed)


def ob(code, year=2023, table=1, row=None, doc="d1", unit="Ba Tơ", fw="PAR_INDEX", **values):
    return {"document_id": doc, "source": f"{doc}.pdf", "page": 2, "table": table, "row": row or 1, "unit": unit,
            "year": year, "framework": fw, "code": code, "source_kind": "table" if table else "narrative", **values}


def rules(observations, settings=None, rule=None):
    flags = audit(observations, settings)
    return [f for f in flags if rule is None or f["rule"] == rule]


# ---------------------------------------------------------------- sum_mismatch

def test_sum_mismatch_flags_a_parent_that_is_not_the_sum_of_its_children():
    flags = rules([ob("1", score=9.39, row=5), ob("1.1", score=1.0), ob("1.2", score=4.0), ob("1.3", score=4.91)],
                  rule="sum_mismatch")
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
    flags = rules([ob("1", max_score=11.5, score=6.73), ob("2", table=0, max_score=11.5, self_score=111.5)],
                  rule="score_above_max")
    assert [(f["codes"], f["expected"], f["found"]) for f in flags] == [("2", "<= 11.5", "111.5")]


def test_score_above_max_uses_the_max_printed_elsewhere_for_the_same_criterion():
    flags = rules([ob("1", max_score=11.5, score=6.0), ob("1", table=0, row=9, self_score=12.0)], rule="score_above_max")
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


@pytest.mark.parametrize("a, b, conflicting", [(7.4, 7.409, False), (7.4, 7.36, False), (2.53, 2.5371, False),
                                               (5.5, 5.55, True), (9.91, 9.39, True), (5.5, 5.6, True)])
def test_conflict_values_that_agree_once_rounded_do_not_conflict(a, b, conflicting):
    flags = rules([ob("1", score=a, table=1), ob("1", score=b, table=2)], rule="conflict")
    assert bool(flags) is conflicting


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
    from normalizer.panel import build_panel

    rows = build_panel([ob("TOTAL", score=80.24, doc="a", unit="Châu Thành") | {"province": "An Giang"},
                        ob("TOTAL", score=75.10, doc="b", unit="Châu Thành") | {"province": "Tiền Giang"}])
    assert sorted((r["province"], r["score"], r["n_disagree"]) for r in rows) == [("An Giang", 80.24, 0),
                                                                                ("Tiền Giang", 75.10, 0)]


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
printings = st.lists(st.tuples(st.sampled_from(["Ba Tơ", "Sơn Tịnh"]), st.sampled_from([2021, 2022, 2023, 2024]),
                               st.sampled_from(["a", "b", "c"]), st.sampled_from(LAICHAU),
                               st.sampled_from([13.5, 12.0, 10.0]), st.sampled_from([None, 9.5, 9.52])),
                     min_size=1, max_size=40)


@given(printings, st.randoms(use_true_random=False))
def test_a_unit_audited_a_few_years_at_a_time_gets_the_same_flags(printed, rnd):
    # bulk imports audit a unit printed in hundreds of documents a few years at a time
    obs = [ob(cid.rsplit(".", 1)[1], year=y, doc=d, unit=u, row=i + 1, criterion_id=cid, max_score=mx, score=sc)
           for i, (u, y, d, cid, mx, sc) in enumerate(printed)]
    pairs = sorted({(o["unit"], o["year"]) for o in obs})
    rnd.shuffle(pairs)
    cut = sorted(rnd.sample(range(1, len(pairs)), rnd.randint(0, len(pairs) - 1))) if len(pairs) > 1 else []
    flags, maxima = [], {}
    for chunk in (pairs[a:b] for a, b in zip([0] + cut, cut + [len(pairs)])):
        f, m = audit_across_years([o for o in obs if (o["unit"], o["year"]) in chunk])
        flags += f
        maxima.update(m)
    flags += max_change_flags(maxima)
    def by_id(fs):
        return sorted(fs, key=lambda f: f["flag_id"])
    assert by_id(flags) == by_id(audit_across(obs)) == by_id(whole_unit_flags(obs))


def whole_unit_flags(obs):
    """The rules across documents as written before units were audited by years: every
    observation of the unit at once."""
    from collections import Counter, defaultdict

    from normalizer.audit import FlagSink, _fmt, _v, cross_document_conflict, printed_order, unit_identity
    from normalizer.criteria import load_catalog

    sink = FlagSink(AuditSettings())
    obs = sorted(obs, key=lambda o: (str(o.get("document_id")),) + printed_order(o))
    cross_document_conflict(obs, sink)
    by_id = {c.criterion_id: c for c in load_catalog().criteria}
    groups = defaultdict(lambda: defaultdict(list))
    for o in obs:
        crit, mx, year = by_id.get(o.get("criterion_id") or ""), _v(o, "max_score"), o.get("year")
        if crit is None or crit.max_score is None or mx is None or not year or crit.year_from is None:
            continue
        groups[(unit_identity(o), o.get("framework"), crit.criterion_id)][int(year)].append((mx, o))
    for (unit, fw, cid), years in groups.items():
        crit = by_id[cid]
        lo, hi = crit.year_from, crit.year_to or 9999
        ordered = sorted(y for y in years if lo <= y <= hi)
        for y1, y2 in zip(ordered, ordered[1:]):
            m1 = Counter(v for v, _ in years[y1]).most_common(1)[0][0]
            m2 = Counter(v for v, _ in years[y2]).most_common(1)[0][0]
            if not agree(m1, m2):
                at = next(o for v, o in years[y2] if v == m2)
                sink.add("max_change", at, [crit.code], m1, m2,
                         f"max of {crit.code} printed {_fmt(m1)} for {y1} and {_fmt(m2)} for {y2}, but catalog version "
                         f"{crit.version} ({lo}-{crit.year_to or ''}) applies to both", year=y2, extra_key=str(y1))
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
