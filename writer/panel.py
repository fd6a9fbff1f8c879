"""The longitudinal panel: one row per unit x year x framework x criterion.

A unit is its identity (`normalizer.units.unit_identity`), not the name a document
prints: "Sở TT&TT" and "Sở Thông tin và Truyền thông" of one province are one line, and
each row carries the unit's name, code, level and province in that year. A group's value
("trung bình các sở") is a line of its own per label.

Precedence when sources disagree (documented in README): an official decision, then an
appendix table, then a narrative sentence; ties go to the value most sources print, then
to the earliest document/table/row. Each row counts agreeing and disagreeing sources and
links back to every observation ("document_id:table:row").
"""

from __future__ import annotations

from collections import Counter, defaultdict

from parindex.audit import agree
from parindex.normalizer.units import observed_identity, unit_identity
from parindex.schemas.columns import SOURCE_KIND_PRECEDENCE, VALUE_FIELDS

HEADLINE_FIELDS = ("score", "percent", "self_score", "target", "rank") + VALUE_FIELDS


def _present(v) -> bool:
    return v is not None and v == v


def unit_fields(obs: list[dict], year: int) -> dict:
    """The unit of a panel row, from its first observation in order of precedence: its
    code, level and province in `year` as the units catalog knows them (a code printed by
    any observation when the catalog has none), and its name as the observations carry it.
    That name is the canonical one (the normalizer writes `canonical_unit`'s), and it is
    the key the writer (writer/layout.py) files and replaces a unit's panel rows by, so the panel never
    names a unit otherwise than its observations do."""
    first = obs[0]
    ident = observed_identity(
        first.get("unit"), first.get("unit_code"), first.get("unit_level"), first.get("province"), int(year)
    )
    return {
        "unit": first["unit"],
        "province": ident.province,
        "unit_level": ident.unit_level,
        "unit_code": ident.unit_code or next((o.get("unit_code") for o in obs if o.get("unit_code")), None),
    }


def build_panel(observations: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for o in observations:
        if o.get("code") and o.get("year") and o.get("unit"):
            groups[(unit_identity(o), o["year"], o.get("framework"), o["code"])].append(o)
    rows = []
    for (_, year, fw, code), obs in sorted(groups.items(), key=lambda kv: tuple(str(x) for x in kv[0])):
        obs = sorted(
            obs,
            key=lambda o: (
                SOURCE_KIND_PRECEDENCE.get(o.get("source_kind") or "table", 1),
                str(o.get("source")),
                o.get("table") or 0,
                o.get("row") or 0,
            ),
        )
        row = {
            **unit_fields(obs, year),
            "year": year,
            "framework": fw,
            "code": code,
            "criterion_id": next((o.get("criterion_id") for o in obs if o.get("criterion_id")), None),
            "criterion_name": next((o.get("criterion_name") for o in obs if o.get("criterion_name")), None),
        }
        disagreeing: set[int] = set()
        notes = []
        chosen: dict[str, dict] = {}
        for f in VALUE_FIELDS:
            cands = [(o.get(f), i, o) for i, o in enumerate(obs) if _present(o.get(f))]
            if not cands:
                row[f] = None
                continue
            if len(cands) == 1:  # most values are printed once: nothing to choose between
                value, chosen[f] = cands[0][0], cands[0][2]
            else:
                best_rank = SOURCE_KIND_PRECEDENCE.get(cands[0][2].get("source_kind") or "table", 1)
                top = [
                    c for c in cands if SOURCE_KIND_PRECEDENCE.get(c[2].get("source_kind") or "table", 1) == best_rank
                ]
                counts = Counter(c[0] for c in top)
                value = max(top, key=lambda c: (counts[c[0]], -c[1]))[0]
                chosen[f] = next(c[2] for c in top if c[0] == value)
            row[f] = value
            for v, i, o in cands:
                if not agree(float(v), float(value)):
                    disagreeing.add(i)
                    notes.append(
                        f"{f}: {v:g} ({o.get('source')} {'t' + str(o.get('table')) if o.get('table') else 'text'} r{o.get('row')}) vs chosen {value:g}"
                    )
        # the source named is the one whose headline value (score, else percent, ...) was chosen
        chosen_obs = next((chosen[f] for f in HEADLINE_FIELDS if f in chosen), obs[0])
        row.update(
            {
                "n_sources": len(obs),
                "n_disagree": len(disagreeing),
                "n_agree": len(obs) - len(disagreeing),
                "chosen_source": chosen_obs.get("source"),
                "chosen_kind": chosen_obs.get("source_kind") or "table",
                "disagreements": "; ".join(notes) or None,
                "observation_keys": ";".join(f"{o.get('document_id')}:{o.get('table')}:{o.get('row')}" for o in obs),
            }
        )
        rows.append(row)
    return rows
