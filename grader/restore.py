"""Putting back test and locked cells a student deleted, re-tagged or renamed.

nbgrader's ``OverwriteCells`` restores the source and points of locked cells a student edited,
but a test cell that was deleted, turned into markdown, or given another ``grade_id`` is simply
missing at grading time (scored 0 and flagged). :func:`restore_cells` runs before it and puts
the source notebook's test and locked cells back, in order, so every test runs.
"""

from __future__ import annotations

import copy

__all__ = ["restore_cells"]


def nbgrader_meta(cell) -> dict:
    """A cell's nbgrader metadata ({} when it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _fresh(cell):
    new = copy.deepcopy(cell)
    if new.cell_type == "code":
        new.outputs, new.execution_count = [], None
    return new


def restore_cells(nb, source) -> list[str]:
    """Put the source notebook's test and locked cells back into a submission, in order.

    - a cell whose ``grade_id`` the source does not know loses its nbgrader metadata (it is then
      just student code, not graded);
    - a cell with a known ``grade_id`` gets the source's nbgrader metadata and cell type back
      (a re-tagged test cell is a test cell again; its points and source are then restored by
      nbgrader's ``OverwriteCells``);
    - a test cell or locked cell missing from the submission is re-inserted after the nearest
      earlier source cell that is present.

    Returns the grade ids that were re-inserted or re-tagged (for the log). Solution cells are
    never inserted: that would hand the student the solution.
    """
    src = {nbgrader_meta(c)["grade_id"]: c for c in source.cells if nbgrader_meta(c).get("grade_id") is not None}
    order = list(src)
    changed: list[str] = []
    cells = []
    seen: set[str] = set()
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid is None:
            cells.append(cell)
            continue
        if gid not in src or gid in seen:
            del cell.metadata["nbgrader"]
            cells.append(cell)
            continue
        seen.add(gid)
        original = src[gid]
        if cell.cell_type != original.cell_type:
            changed.append(gid)
            cells.append(_fresh(original))
            continue
        meta = copy.deepcopy(dict(nbgrader_meta(original)))
        if {k: v for k, v in nbgrader_meta(cell).items() if k != "checksum"} != meta:
            changed.append(gid)
        cell.metadata["nbgrader"] = meta
        cells.append(cell)
    for gid in order:
        if gid in seen:
            continue
        meta = nbgrader_meta(src[gid])
        if not (meta.get("grade") or meta.get("locked")) or meta.get("solution"):
            continue
        at = 0
        for earlier in reversed(order[: order.index(gid)]):
            pos = next((i for i, c in enumerate(cells) if nbgrader_meta(c).get("grade_id") == earlier), None)
            if pos is not None:
                at = pos + 1
                break
        cells.insert(at, _fresh(src[gid]))
        seen.add(gid)
        changed.append(gid)
    nb.cells = cells
    return changed
