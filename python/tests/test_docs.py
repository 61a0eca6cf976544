"""docs/python.md: every ```python snippet block runs, and its stdout equals the ```text output
block after it (the Python side of the docs' compiled-snippet convention)."""

import pathlib
import re
import subprocess
import sys

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "python.md"
BLOCK = re.compile(r"```python snippet\n(.*?)```\s*(?:```text output\n(.*?)```)?", re.S)


def test_docs_python_snippets_run_and_print_what_the_page_shows():
    blocks = BLOCK.findall(DOC.read_text())
    assert blocks, "docs/python.md has no python snippet"
    for code, expected in blocks:
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stderr
        if expected:
            assert run.stdout == expected
