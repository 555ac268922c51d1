#!/usr/bin/env python3
"""Strip outputs, execution counts and saved widget state from notebooks, in place.

Course notebooks and nbgrader sources are committed clean, so a diff shows only what a
person wrote and every student starts from the same page. Cell metadata is kept (nbgrader
stores its cell ids, points and locks there).

    python scripts/clear_outputs.py                  # notebooks/ and exercises/
    python scripts/clear_outputs.py notebooks/02-vpc.ipynb
    python scripts/clear_outputs.py --check          # list dirty notebooks, exit 1 if any
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIRS = ("notebooks", "exercises")
WIDGET_STATE = "widgets"


def notebook_paths(targets: list[Path]) -> list[Path]:
    """Every .ipynb under the given files/folders, skipping .ipynb_checkpoints."""
    found: list[Path] = []
    for target in targets:
        if target.is_dir():
            found += [
                p for p in sorted(target.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts
            ]
        elif target.suffix == ".ipynb" and target.exists():
            found.append(target)
    return found


def dirty_cells(nb: nbformat.NotebookNode) -> list[str]:
    """Why this notebook is not clean: one line per problem, empty when clean."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {index} has {len(cell.outputs)} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index} has execution count {cell.execution_count}")
    if WIDGET_STATE in nb.metadata:
        problems.append("notebook metadata holds saved widget state")
    return problems


def clear(nb: nbformat.NotebookNode) -> None:
    """Remove outputs, execution counts and saved widget state (in place)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)  # per-cell timings some front ends add
    nb.metadata.pop(WIDGET_STATE, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks or folders")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if dirty")
    args = parser.parse_args(argv)
    targets = args.paths or [ROOT / d for d in DEFAULT_DIRS]
    dirty = 0
    for path in notebook_paths(targets):
        nb = nbformat.read(path, as_version=4)
        problems = dirty_cells(nb)
        if not problems:
            continue
        dirty += 1
        if args.check:
            print(f"{path}: " + "; ".join(problems))
        else:
            clear(nb)
            nbformat.write(nb, path)
            print(f"cleared {path}")
    if args.check and dirty:
        print(f"{dirty} notebook(s) have outputs: run `make clean-notebooks`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
