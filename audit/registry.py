"""The audit's rules, registered by name: each rule module in `audit/rules/` builds one
`Rule` and calls `register` when imported. Everything that lists rules reads it from
here: the default severities (`AuditSettings`), the rules the CLI accepts, the order
reports list them in, and the rules `Audit` runs in each scope.

A scope is what a check is handed and compares:

- row: each printed row or sentence on its own (it may look up what the document
  prints elsewhere for the same criterion);
- table: the rows of one table (its sums, its totals, its numbering, its rankings);
- document: the printings of one criterion anywhere in one document;
- unit-year: the documents about one unit and year;
- across years: a unit's years, through a summary of each unit-year (`AcrossYears`),
  so a unit printed by hundreds of documents is audited a few years at a time.

Row, table and document checks take one document's observations and run together, in
registry order; so do unit-year checks for the observations of whole unit-years.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parindex.schemas.columns import SEVERITIES
from parindex.vietnamese.codes import parent_code

if TYPE_CHECKING:
    from parindex.audit.core import FlagSink

SCOPES = ("row", "table", "document", "unit-year", "across years")
ROW, TABLE, DOCUMENT, UNIT_YEAR, ACROSS_YEARS = SCOPES
DOCUMENT_SCOPES = (ROW, TABLE, DOCUMENT)  # the scopes whose checks take one document's observations

Check = Callable[[list[dict], "FlagSink"], None]


@dataclass(frozen=True)
class AcrossYears:
    """A check across a unit's years, in two parts. `summarize` takes the observations of
    whole unit-years and returns what the check needs of each: a dict whose keys each
    belong to one unit-year and start with the unit's `audit_unit` key, so the summaries
    of chunks merge by `dict.update` and `Audit` knows when a unit is finished. `check`
    takes the merged summaries of every year of some units and raises the flags."""

    summarize: Callable[[list[dict]], dict[tuple, Any]]
    check: Callable[[dict[tuple, Any], FlagSink], None]


def involves_codes(flag: dict, o: dict) -> bool:
    """Whether the printing `o` is among the values `flag` was built on: the criterion
    the flag names or a child of it (the default of `Rule.involves`)."""
    codes = (flag.get("codes") or "").split(",")
    return o.get("code") in codes or parent_code(o.get("code")) in codes


@dataclass(frozen=True)
class Rule:
    """One audit rule. `checks` maps each scope the rule runs in to its check: a
    function (observations, sink) for row, table, document and unit-year scopes, an
    `AcrossYears` for across years. `involves(flag, o)` says whether a printing of the
    flag's unit, framework, year (and document and table, unless the rule compares
    documents) is one the flag was built on: a flag built on a value read from a scan in
    doubt is dropped (`audit.doubt`)."""

    name: str
    severity: str
    description: str
    checks: Mapping[str, Check | AcrossYears]
    involves: Callable[[dict, dict], bool] = field(default=involves_codes)
    vietnamese: str = ""  # the description as Vietnamese reports print it

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(s for s in SCOPES if s in self.checks)


# name -> rule, in registry order: the order reports list rules in and checks run in
RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule to the registry (a rule module calls it once, when imported)."""
    if rule.name in RULES:
        raise ValueError(f"audit rule {rule.name!r} is registered twice")
    if rule.severity not in SEVERITIES:
        raise ValueError(f"audit rule {rule.name!r}: severity {rule.severity!r} is not one of {SEVERITIES}")
    unknown = set(rule.checks) - set(SCOPES)
    if unknown or not rule.checks:
        raise ValueError(f"audit rule {rule.name!r}: scopes {sorted(unknown)} not among {SCOPES}")
    if not (rule.description and rule.vietnamese):
        raise ValueError(f"audit rule {rule.name!r}: needs a description in English and in Vietnamese")
    if ACROSS_YEARS in rule.checks and not isinstance(rule.checks[ACROSS_YEARS], AcrossYears):
        raise ValueError(f"audit rule {rule.name!r}: its check across years must be an AcrossYears")
    RULES[rule.name] = rule
    return rule


def default_severity() -> dict[str, str]:
    return {name: rule.severity for name, rule in RULES.items()}


def report_order() -> list[str]:
    """The rules as reports list them: errors first, then warnings, then info (by default
    severity), each group in registry order."""
    return sorted(RULES, key=lambda name: SEVERITIES.index(RULES[name].severity))


def checks_in(*scopes: str) -> list[tuple[Rule, Any]]:
    """(rule, check) for every check of these scopes, in registry order (within a rule,
    in scope order)."""
    return [(rule, rule.checks[s]) for rule in RULES.values() for s in SCOPES if s in scopes and s in rule.checks]
