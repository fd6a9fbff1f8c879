"""Which files an import reads: .parindexignore with git's semantics (discover/files.py)."""

from __future__ import annotations

import pathlib

import pytest

from parindex.discover import discover


def tree(root: pathlib.Path, files: list[str], ignore: dict[str, str]) -> pathlib.Path:
    for f in files:
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        (root / f).write_text(f"Chỉ số cải cách hành chính {f}", encoding="utf-8")
    for folder, text in ignore.items():
        (root / folder / ".parindexignore").write_text(text, encoding="utf-8")
    return root


def names(root: pathlib.Path) -> list[str]:
    return [pathlib.Path(f.path).relative_to(root).as_posix() for f in discover([root])]


FILES = ["a.txt", "drafts/d.txt", "2023/drafts/e.txt", "2023/b.txt", "2023/keep.tmp", "2023/x.tmp", "top.tmp"]


@pytest.mark.parametrize("pattern", ["drafts/", "drafts", "drafts/*", "**/drafts"])
def test_a_folder_pattern_skips_the_folder_at_any_depth(tmp_path, pattern):
    root = tree(tmp_path, FILES, {".": pattern + "\n"})
    got = names(root)
    assert "drafts/d.txt" not in got
    assert ("2023/drafts/e.txt" in got) == (pattern == "drafts/*")  # "drafts/*" is anchored: it has a slash


def test_negation_and_anchors(tmp_path):
    root = tree(tmp_path, FILES, {".": "*.tmp\n!keep.tmp\n/a.txt\n# a comment\n"})
    assert names(root) == ["2023/b.txt", "2023/drafts/e.txt", "2023/keep.tmp", "drafts/d.txt"]


def test_a_deeper_ignore_file_overrides_and_is_relative_to_its_folder(tmp_path):
    root = tree(tmp_path, FILES, {".": "*.tmp\n", "2023": "!x.tmp\ndrafts/\n"})
    assert names(root) == ["2023/b.txt", "2023/x.tmp", "a.txt", "drafts/d.txt"]


def test_hidden_files_and_output_folders_are_never_read(tmp_path):
    root = tree(tmp_path, ["a.txt", ".secret.txt", "out/observations.csv", "out/parindex.duckdb"], {})
    assert names(root) == ["a.txt"]
