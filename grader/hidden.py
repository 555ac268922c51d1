"""Keeping hidden tests hidden.

An nbgrader source notebook carries tests between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS``: they grade the work but a student must never read them. nbgrader
strips them from the released notebook, yet feedback shows them verbatim (and even with its
``ClearHiddenTests`` preprocessor, the traceback of a failing hidden assert quotes the line).
This module finds the secret lines of an assignment, scrubs them from feedback, and checks
released and feedback files for any that slipped through.
"""

from __future__ import annotations

import contextlib
import html
import re
from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"
# nbgrader matches the delimiters exactly; the checks here are looser on purpose, so a
# misspelt marker (``### Begin hidden test``) that nbgrader would NOT strip is still caught.
_BEGIN_ANY = re.compile(r"BEGIN\s+HIDDEN\s+TESTS?", re.IGNORECASE)
_END_ANY = re.compile(r"END\s+HIDDEN\s+TESTS?", re.IGNORECASE)

_TAG = re.compile(r"<[^>]+>")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def hidden_lines(source: str) -> list[str]:
    """The lines between the hidden-test delimiters of one cell's source (stripped, non-empty).

    >>> hidden_lines("a = 1\\n### BEGIN HIDDEN TESTS\\nassert a == 1\\n### END HIDDEN TESTS")
    ['assert a == 1']
    """
    lines, inside = [], False
    for line in source.splitlines():
        if _BEGIN_ANY.search(line):
            inside = True
        elif _END_ANY.search(line):
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


def secret_lines(source_dir: Path) -> set[str]:
    """Hidden-test lines of every source notebook in ``source_dir`` that appear nowhere else.

    A hidden line that also appears outside the hidden blocks (say ``import awskit``) is not a
    secret: finding it in a released notebook proves nothing, so it is left out.
    """
    hidden: set[str] = set()
    public: set[str] = set()
    for path in sorted(Path(source_dir).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            inside_lines = hidden_lines(cell.source)
            hidden.update(inside_lines)
            public.update(
                line.strip()
                for line in cell.source.splitlines()
                if line.strip() and line.strip() not in inside_lines
            )
    return {line for line in hidden - public if len(line) > 3}


def visible_text(markup: str) -> str:
    """What a reader of an HTML (or notebook JSON) file sees: tags, ANSI colours and escapes gone.

    Syntax highlighting splits a line of code into many ``<span>``s; dropping the tags joins it
    back so a hidden line can be found however it was rendered.
    """
    return html.unescape(_ANSI.sub("", _TAG.sub("", markup)))


def leaks(path: Path, secrets: set[str], *, allowed: set[str] = frozenset()) -> list[str]:
    """The delimiters and secret lines found in one file, as short descriptions (empty: clean)."""
    raw = Path(path).read_text(encoding="utf-8", errors="replace")
    found = [
        f"marker {m.group(0)!r}" for rx in (_BEGIN_ANY, _END_ANY) for m in [rx.search(raw)] if m
    ]
    texts = [raw, visible_text(raw)]
    if path.suffix == ".ipynb":
        # JSON escapes quotes and newlines; read the cells as the student would see them.
        with contextlib.suppress(ValueError):  # a damaged notebook is still scanned as text
            nb = nbformat.reads(raw, as_version=4)
            texts.append("\n".join(cell.source for cell in nb.cells))
    for line in sorted(secrets - set(allowed)):
        if any(line in text for text in texts):
            found.append(f"hidden line {line!r}")
    return found


def scan(
    folder: Path, secrets: set[str], *, allowed: set[str] = frozenset()
) -> dict[Path, list[str]]:
    """Every text file under ``folder`` that shows hidden-test text, with what it shows."""
    report: dict[Path, list[str]] = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and path.suffix in {".ipynb", ".html", ".py", ".md", ".txt", ".json"}:
            found = leaks(path, secrets, allowed=allowed)
            if found:
                report[path] = found
    return report


class HideHiddenTests(ClearHiddenTests):
    """Feedback preprocessor: drop hidden-test source AND what its failures print.

    nbgrader's ``ClearHiddenTests`` removes the hidden block from the cell's source, but the
    cell's error output still holds a traceback that quotes the failing hidden line. Here, in a
    cell that held hidden tests, every traceback is cut down to its last line
    (``AssertionError: message``), so the student learns that the check failed and the message
    the instructor wrote, not the check itself.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        had_hidden = cell.cell_type == "code" and BEGIN in cell.source
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if had_hidden and utils.is_grade(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
                    summary = f"{ename}: {evalue}" if evalue else ename
                    output["traceback"] = [
                        summary + "  (this cell holds hidden tests: the traceback is not shown)"
                    ]
        return cell, resources
