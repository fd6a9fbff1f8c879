"""Discover: the files under the paths given, hashed, their format told from their bytes
(`formats.py`), `.parindexignore` applied (`files.py`)."""

from parindex.discover.files import SourceFile, discover

__all__ = ["SourceFile", "discover"]
