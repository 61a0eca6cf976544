"""Shared paths for the margincall pytest suite (run by CTest as python/pytest)."""

import os
import pathlib

import pytest

_ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def reference_dir() -> pathlib.Path:
    """tests/reference: the fixtures and independent-tool outputs the C++ tests use."""
    return pathlib.Path(os.environ.get("MARGINCALL_REFERENCE_DIR", _ROOT / "tests" / "reference"))


@pytest.fixture(scope="session")
def corpus_dir() -> pathlib.Path:
    """tests/io/corpus: real venue answers and the sample account book."""
    return pathlib.Path(os.environ.get("MARGINCALL_IO_CORPUS", _ROOT / "tests" / "io" / "corpus"))
