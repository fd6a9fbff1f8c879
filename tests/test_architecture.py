"""The folders follow the stages: discover -> extract -> normalize -> match -> audit ->
write, wired by flows/, driven from parindex/ (the command line and the Python API)."""

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
import_graph = importlib.util.module_from_spec(spec)
spec.loader.exec_module(import_graph)


def test_no_folder_imports_a_later_stage_and_the_leaves_import_nothing():
    graph = import_graph.edges()
    bad = import_graph.against_the_flow(graph)
    assert not bad, "\n".join(f"{a} -> {b}: {graph[(a, b)]}" for a, b in bad)


def test_extraction_never_imports_the_normalizer():
    assert ("extractors", "normalizer") not in import_graph.edges()


def test_only_the_command_line_and_the_python_api_import_the_flows():
    importers = {
        line.split(" -> ")[0]
        for (source, target), found in import_graph.edges().items()
        if target == "flows"
        for line in found
    }
    assert importers <= {"parindex/cli.py", "parindex/api.py"}, importers


def test_the_check_sees_a_backward_import():
    """The graph check itself: an import of the writer from the normalizer is against
    the flow, and one from a leaf is too."""
    assert import_graph.against_the_flow({("normalizer", "writer"): ["x"], ("writer", "normalizer"): ["y"]}) == [
        ("normalizer", "writer")
    ]
    assert import_graph.against_the_flow({("vietnamese", "schemas"): ["x"]}) == [("vietnamese", "schemas")]
    assert import_graph.folder_of("parindex.writer.cache") == "writer"
    assert import_graph.folder_of("parindex.cli") == "parindex"


def test_no_two_modules_of_the_stage_folders_share_a_name():
    """A name says which module it is: no `tables.py` in two folders."""
    seen: dict[str, str] = {}
    clashes = []
    for layer in import_graph.LAYERS:
        for path in sorted((ROOT / layer).glob("*.py")):
            if path.name != "__init__.py" and path.name in seen:
                clashes.append(f"{seen[path.name]} and {layer}/{path.name}")
            seen.setdefault(path.name, f"{layer}/{path.name}")
    assert not clashes, clashes


def test_the_architecture_page_shows_the_graph_as_it_is():
    page = (ROOT / "docs" / "architecture.md").read_text()
    assert import_graph.summary(import_graph.edges()) in page
