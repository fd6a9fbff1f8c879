"""The import graph between parindex's folders, one line per edge with how many imports
make it, and the edges that go against the stages' order (there should be none).

    .venv/bin/python scripts/import_graph.py

The stages' folders in order: a folder may import the folders before it, never one
after it. `schemas/` (the data contract) and `vietnamese/` (text primitives) are leaves.
"""

from __future__ import annotations

import ast
import collections
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
# discover -> extract -> normalize (and match) -> audit -> write, wired by flows, used by
# the command line and the Python API in parindex/
LEAVES = ("schemas", "vietnamese")  # import no other folder
LAYERS = ("schemas", "vietnamese", "discover", "extractors", "normalizer", "audit", "writer", "flows", "parindex")


def folder_of(module: str) -> str | None:
    """The folder a `parindex.*` module lives in (`parindex.writer.cache` -> writer)."""
    parts = module.split(".")
    if parts[0] != "parindex":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "parindex"


def imports(path: pathlib.Path) -> list[str]:
    """The parindex modules a file imports (at any depth: inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from parindex import flows` imports parindex.flows; `from parindex.x import y`, parindex.x
            names = [f"{node.module}.{a.name}" for a in node.names if node.module == "parindex"]
            found += names or [node.module]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return [m for m in found if m.split(".")[0] == "parindex"]


def edges() -> dict[tuple[str, str], list[str]]:
    """(from folder, to folder) -> the 'file -> module' imports that make the edge."""
    graph: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            for module in imports(path):
                target = folder_of(module)
                if target and target != layer:
                    graph[(layer, target)].append(f"{path.relative_to(ROOT)} -> {module}")
    return graph


def against_the_flow(graph) -> list[tuple[str, str]]:
    """Edges from a folder to one after it in LAYERS, and any edge out of a leaf."""
    rank = {name: i for i, name in enumerate(LAYERS)}
    return sorted((a, b) for a, b in graph if rank[b] > rank[a] or a in LEAVES)


def summary(graph) -> str:
    """One line per folder: the folders it imports, in stage order; then the edges
    against the flow (docs/architecture.md shows this, and a test compares it)."""
    lines = []
    for a in LAYERS:
        targets = [b for b in LAYERS if (a, b) in graph]
        if targets:
            lines.append(f"{a:>10} -> {', '.join(targets)}")
    bad = against_the_flow(graph)
    lines.append("against the flow: " + (", ".join(f"{a} -> {b}" for a, b in bad) if bad else "none"))
    return "\n".join(lines)


def main() -> None:
    graph = edges()
    rank = {name: i for i, name in enumerate(LAYERS)}
    for (a, b), found in sorted(graph.items(), key=lambda kv: (rank[kv[0][0]], rank[kv[0][1]])):
        print(f"{a:>10} -> {b:<10} {len(found):>3} imports")
    print()
    print(summary(graph))


if __name__ == "__main__":
    main()
