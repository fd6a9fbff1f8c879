"""The audit's rule registry (audit/registry.py): every rule registered once, from its
own module, and everything that lists rules (settings, CLI, report, run summary) reads
the registry, so a rule added there is run, can be turned off and is reported."""

from __future__ import annotations

import importlib
from collections import Counter

import pandas as pd
import pytest

from parindex.audit import RULES, SCOPES, AcrossYears, Audit, AuditSettings, Rule, audit, register
from parindex.audit.core import audit_unit
from parindex.audit.rules import MODULES
from parindex.schemas.columns import FLAG_COLUMNS, OBSERVATION_COLUMNS, SEVERITIES

REGISTRY_ORDER = """
score_above_max rank_out_of_range sum_mismatch total_mismatch code_gap
delta_mismatch percent_mismatch conflict max_change rank_order
duplicate_rank block_size grade_band ocr_uncertain
""".split()


def test_every_rule_is_registered_once_by_its_own_module():
    assert list(RULES) == REGISTRY_ORDER
    assert [name for name, rule in RULES.items() if name != rule.name] == []
    for module in MODULES:
        registered = importlib.import_module(f"parindex.audit.rules.{module}").RULE
        assert registered is RULES[module]


def test_every_rule_has_a_severity_a_scope_and_a_description():
    for rule in RULES.values():
        assert rule.severity in SEVERITIES, rule.name
        assert rule.scopes and set(rule.scopes) <= set(SCOPES), rule.name
        assert rule.description and "\n" not in rule.description, rule.name
    assert {n: r.severity for n, r in RULES.items() if r.severity == "error"} == {
        "score_above_max": "error",
        "rank_out_of_range": "error",
        "sum_mismatch": "error",
        "total_mismatch": "error",
    }
    assert SCOPES == ("row", "table", "document", "unit-year", "across years")
    # one rule, two scopes: a value printed twice differently in a document, and by two documents
    assert RULES["conflict"].scopes == ("document", "unit-year")
    assert RULES["max_change"].scopes == ("across years",)
    assert isinstance(RULES["max_change"].checks["across years"], AcrossYears)
    assert {n for n, r in RULES.items() if r.scopes == ("table",)} == {
        "sum_mismatch",
        "total_mismatch",
        "code_gap",
        "rank_order",
        "duplicate_rank",
        "block_size",
        "grade_band",
    }


def test_settings_default_to_the_registry():
    settings = AuditSettings()
    assert settings.severity == {n: r.severity for n, r in RULES.items()}
    assert settings.enabled == dict.fromkeys(REGISTRY_ORDER, True)


def _noop(obs, sink):
    return None


@pytest.mark.parametrize(
    "rule, complaint",
    [
        (Rule("conflict", "warning", "again", {"row": _noop}, vietnamese="lại"), "registered twice"),
        (Rule("new_rule", "fatal", "bad severity", {"row": _noop}, vietnamese="x"), "severity 'fatal'"),
        (Rule("new_rule", "info", "bad scope", {"page": _noop}, vietnamese="x"), "scopes ['page']"),
        (Rule("new_rule", "info", "no scope", {}, vietnamese="x"), "scopes []"),
        (Rule("new_rule", "info", "no Vietnamese", {"row": _noop}), "in English and in Vietnamese"),
        (Rule("new_rule", "info", "not two parts", {"across years": _noop}, vietnamese="x"), "must be an AcrossYears"),
    ],
)
def test_register_refuses_a_rule_it_cannot_run(rule, complaint):
    with pytest.raises(ValueError, match=complaint.replace("[", r"\[").replace("]", r"\]")):
        register(rule)
    assert list(RULES) == REGISTRY_ORDER


def test_the_cli_rejects_an_unknown_rule_listing_the_registered_ones(capsys):
    from parindex.cli import audit_settings, build_parser, main

    assert main(["flags", "no-such-folder", "--rule", "sum_mismatc"]) == 2
    assert capsys.readouterr().err.strip() == (
        "parindex: unknown rule 'sum_mismatc' (one of " + ", ".join(REGISTRY_ORDER) + ")"
    )
    args = build_parser().parse_args(["run", "x", "--rule-off", "sum_mismatc"])
    with pytest.raises(ValueError) as refused:
        audit_settings(args)
    assert str(refused.value) == "unknown rule 'sum_mismatc' (one of " + ", ".join(REGISTRY_ORDER) + ")"
    args = build_parser().parse_args(["run", "x", "--rule-severity", "sum_mismatc=info"])
    with pytest.raises(ValueError, match="--rule-severity wants RULE=error|warning|info"):
        audit_settings(args)


def _flags(rules: list[str]) -> list[dict]:
    """One flag of each rule, all at one printing: only the order of rules tells them apart."""
    return [
        dict.fromkeys(FLAG_COLUMNS)
        | {"flag_id": f"f{i}", "rule": r, "severity": "warning", "source": "a.pdf", "table": 1, "row": 2}
        for i, r in enumerate(rules)
    ]


REPORT_ORDER = """
score_above_max rank_out_of_range sum_mismatch total_mismatch delta_mismatch
percent_mismatch conflict rank_order duplicate_rank block_size
grade_band code_gap max_change ocr_uncertain
""".split()  # errors, warnings, info; registry order within each


def test_the_report_and_the_run_summary_list_errors_first_then_warnings_then_info():
    from parindex.labels import Labels
    from parindex.report import Context, flags_section
    from parindex.report_sources import SourceLinks, ValueOrigins
    from parindex.writer.summary import summary_markdown

    listed = [*reversed(REGISTRY_ORDER), "a_rule_of_an_older_version"]
    flags = pd.DataFrame(_flags(listed))
    observations = pd.DataFrame(columns=list(OBSERVATION_COLUMNS))
    ctx = Context(Labels("en"), SourceLinks("."), ValueOrigins(observations, flags))
    html = flags_section(ctx, flags, observations)
    groups = [part.split('"', 1)[0] for part in html.split('class="flag-group" data-rule="')[1:]]
    assert groups == [*REPORT_ORDER, "a_rule_of_an_older_version"]

    markdown = summary_markdown([], Counter({(r, "warning"): 1 for r in listed}))
    rows = [line.split(" | ")[0].removeprefix("| ") for line in markdown.splitlines() if line.startswith("| ")]
    assert rows[rows.index("rule") + 1 :] == [*REPORT_ORDER, "a_rule_of_an_older_version", "**total**"]


# ---------------------------------------------------------------- a rule added from a test


@pytest.fixture
def registered():
    """Register rules for one test and forget them after it."""
    added: list[Rule] = []

    def add(rule: Rule) -> Rule:
        added.append(register(rule))
        return rule

    yield add
    for rule in added:
        del RULES[rule.name]


def unlucky_score(doc_obs, sink):
    """A row rule: a score of 13."""
    for o in doc_obs:
        if o.get("score") == 13.0:
            sink.add("unlucky_score", o, [o["code"]], "not 13", o["score"], "score 13")


def first_printing(obs):
    """A summary of each unit-year: its first printing."""
    firsts = {}
    for o in obs:
        firsts.setdefault((audit_unit(o), o["year"]), o)
    return firsts


def year_missing(firsts, sink):
    """Across years: a year left out between two years a unit is printed for."""
    years: dict = {}
    for (unit, year), o in firsts.items():
        years.setdefault(unit, {})[year] = o
    for unit, printed in years.items():
        ordered = sorted(printed)
        for a, b in zip(ordered, ordered[1:]):
            if b > a + 1:
                sink.add("year_missing", printed[b], ["TOTAL"], a + 1, b, f"no {a + 1}", extra_key=str(a))


def ob(unit, year, score, doc="d"):
    return {
        "document_id": doc,
        "source": f"{doc}.pdf",
        "page": 1,
        "table": 1,
        "row": 2,
        "unit": unit,
        "year": year,
        "framework": "PAR_INDEX",
        "code": "TOTAL",
        "score": score,
    }


def test_a_registered_rule_is_run_set_and_offered_by_the_cli(registered, capsys):
    from parindex.cli import audit_settings, build_parser

    registered(Rule("unlucky_score", "info", "a score of 13", {"row": unlucky_score}, vietnamese="điểm 13"))
    assert list(RULES)[-1] == "unlucky_score"
    assert AuditSettings().severity["unlucky_score"] == "info"
    assert AuditSettings().enabled["unlucky_score"] is True

    flags = audit([ob("Ba Tơ", 2023, 13.0), ob("Ba Tơ", 2022, 12.0, doc="e")])
    assert [(f["rule"], f["severity"], f["document_id"], f["found"]) for f in flags] == [
        ("unlucky_score", "info", "d", "13")
    ]

    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--help"])
    assert "grade_band, ocr_uncertain, unlucky_score" in " ".join(capsys.readouterr().out.split())
    parser = build_parser()
    settings = audit_settings(parser.parse_args(["run", "x", "--rule-off", "unlucky_score"]))
    assert settings.enabled["unlucky_score"] is False and settings.enabled["sum_mismatch"] is True
    assert audit([ob("Ba Tơ", 2023, 13.0)], settings) == []
    settings = audit_settings(parser.parse_args(["run", "x", "--rule-severity", "unlucky_score=error"]))
    assert [f["severity"] for f in audit([ob("Ba Tơ", 2023, 13.0)], settings)] == ["error"]


def test_audit_carries_the_summaries_of_a_registered_rule_across_years(registered):
    registered(
        Rule(
            "year_missing",
            "warning",
            "a year left out",
            {"across years": AcrossYears(first_printing, year_missing)},
            vietnamese="thiếu một năm",
        )
    )
    printed = [ob("Ba Tơ", 2020, 80.0), ob("Ba Tơ", 2022, 81.0), ob("Sơn Tịnh", 2021, 70.0), ob("Sơn Tịnh", 2022, 71.0)]
    auditor = Audit()
    assert auditor.unit_years([o for o in printed if o["year"] == 2020]) == []
    assert auditor.unit_years([o for o in printed if o["year"] > 2020]) == []
    # Ba Tơ sorts before "Bb": its years are compared now, Sơn Tịnh's once every unit is done
    finished = auditor.finished_units(before="Bb")
    assert [(f["rule"], f["unit"], f["year"], f["expected"], f["found"]) for f in finished] == [
        ("year_missing", "Ba Tơ", 2022, "2021", "2022")
    ]
    assert auditor.finished_units() == []
    assert auditor.finished_units() == []
    assert [f["rule"] for f in audit(printed)] == ["year_missing"]


def test_reports_name_a_rule_by_the_description_it_registered_in_their_language():
    from parindex.labels import Labels

    assert Labels("vi").rule("sum_mismatch") == "các mục con cộng lại khác mục cha"
    assert Labels("en").rule("sum_mismatch") == "children do not add up to their parent"
    assert Labels("vi").rule("ocr_uncertain") == "giá trị đọc từ bản quét chưa đủ tin cậy để kiểm tra"
    assert Labels("vi").rule("a_rule_of_an_older_version") == "a_rule_of_an_older_version"
