"""A class report for one assignment: what the class got right, wrong, and why.

``awskit-grade report NAME --course DIR --out DIR`` writes ``report.html`` with two figures
(``scores.png``: the distribution of total scores; ``difficulty.png``: mean score over maximum
per grade cell) and tables: per-task difficulty, time-outs and failures, and misconception tags.
A check tags a failure by putting ``[misconception: <tag>]`` in its assertion message
(``awskit.testing.assert_reachable(..., tag="nacl-stateless")``); the report reads the error
outputs of the autograded notebooks and counts, per tag, the students whose work showed it.
pandas and matplotlib are imported only here, when a report is made.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .course import Course, GraderError

__all__ = ["ClassReport", "class_report", "collect"]

TAG = re.compile(r"\[misconception:\s*([^\]]+?)\s*\]")


@dataclass
class ClassReport:
    """The numbers behind the report (what the tests check against a hand computation)."""

    assignment: str
    scores: dict[str, float]  # student -> total score (graded submissions)
    max_score: float
    difficulty: dict[str, float]  # grade cell -> mean score / max points
    timeouts: dict[str, int]  # student -> cells that timed out
    crashes: dict[str, int]  # student -> kernel deaths seen in outputs
    not_graded: list[str]  # submitted but without a grade
    tags: dict[str, int]  # misconception -> number of students
    files: list[Path] = field(default_factory=list)


def collect(course: Course, name: str) -> ClassReport:
    """Read the gradebook and the autograded notebooks of ``name``."""
    from nbgrader.api import MissingEntry

    course.require_assignment(name)
    scores, cell_scores, max_points = {}, {}, {}
    with course.gradebook() as gb:
        try:
            assignment = gb.find_assignment(name)
        except MissingEntry:
            raise GraderError(f"{name!r} is not in the gradebook: release it first") from None
        max_score = float(assignment.max_score)
        for nb in assignment.notebooks:
            for cell in nb.grade_cells:
                max_points[cell.name] = float(cell.max_score)
        for sub in assignment.submissions:
            scores[sub.student.id] = float(sub.score)
            for snb in sub.notebooks:
                for grade in snb.grades:
                    cell_scores.setdefault(grade.name, []).append(float(grade.score))
    difficulty = {
        gid: (sum(cell_scores.get(gid, [])) / len(cell_scores[gid]) / pts)
        if cell_scores.get(gid) and pts
        else 0.0
        for gid, pts in max_points.items()
    }
    timeouts, crashes, tags = {}, {}, {}
    for path in sorted((course.root / "autograded").glob(f"*/{name}/*.ipynb")):
        student = path.parent.parent.name
        seen = set()
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") != "error":
                    continue
                ename = out.get("ename")
                if ename == "CellTimeoutError":
                    timeouts[student] = timeouts.get(student, 0) + 1
                elif ename == "DeadKernelError":
                    crashes[student] = crashes.get(student, 0) + 1
                # The message only: a traceback quotes source lines, which may mention tags.
                seen.update(TAG.findall(out.get("evalue") or ""))
        for tag in seen:
            tags[tag] = tags.get(tag, 0) + 1
    not_graded = sorted(set(course.submitted(name)) - set(scores))
    return ClassReport(name, scores, max_score, difficulty, timeouts, crashes, not_graded, tags)


def _table(headers, rows) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def class_report(course: Course, name: str, out: str | Path) -> ClassReport:
    """Write ``report.html``, ``scores.png`` and ``difficulty.png`` into ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    report = collect(course, name)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    scores = pd.Series(report.scores, dtype=float)

    fig, ax = plt.subplots(figsize=(6, 3.5))
    bins = max(1, min(20, int(report.max_score) + 1))
    ax.hist(scores.values, bins=bins, range=(0, report.max_score or 1), color="#ff9900")
    ax.set(
        xlabel=f"score (of {report.max_score:g})",
        ylabel="students",
        title=f"{name}: scores of {len(scores)} graded submission(s)",
    )
    fig.tight_layout()
    fig.savefig(out / "scores.png", dpi=100)
    plt.close(fig)

    diff = pd.Series(report.difficulty, dtype=float)
    fig, ax = plt.subplots(figsize=(6, 0.4 * max(3, len(diff)) + 1))
    ax.barh(list(diff.index)[::-1], list(diff.values)[::-1], color="#232f3e")
    ax.set(
        xlim=(0, 1),
        xlabel="mean score / points (1 = everyone passed)",
        title="per-check difficulty",
    )
    fig.tight_layout()
    fig.savefig(out / "difficulty.png", dpi=100)
    plt.close(fig)

    summary = [
        ("graded submissions", len(scores)),
        ("mean score", f"{scores.mean():.2f} / {report.max_score:g}" if len(scores) else "-"),
        ("median score", f"{scores.median():g}" if len(scores) else "-"),
        ("submissions with a cell time-out", len(report.timeouts)),
        ("submissions whose kernel crashed", len(report.crashes)),
        ("submitted but not graded", len(report.not_graded)),
    ]
    page = f"""<!doctype html><html><head><meta charset="utf-8">
<title>{html.escape(name)}: class report</title>
<style>body{{font-family:sans-serif;max-width:56em;margin:2em auto}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.3em .6em}}</style>
</head><body><h1>{html.escape(name)}: class report</h1>
<h2>Summary</h2>{_table(["", ""], summary)}
<h2>Scores</h2><img src="scores.png" alt="score histogram">
<h2>Difficulty per check</h2><img src="difficulty.png" alt="difficulty per grade cell">
{
        _table(
            ["grade cell", "mean score / points"],
            [(k, f"{v:.2f}") for k, v in report.difficulty.items()],
        )
    }
<h2>Misconceptions</h2>
{
        _table(["misconception", "students"], sorted(report.tags.items(), key=lambda kv: -kv[1]))
        if report.tags
        else "<p>No tagged failures.</p>"
    }
<h2>Time-outs, crashes and failures</h2>
{
        _table(
            ["student", "cells timed out", "kernel crashes"],
            [
                (s, report.timeouts.get(s, 0), report.crashes.get(s, 0))
                for s in sorted(set(report.timeouts) | set(report.crashes))
            ],
        )
    }
<p>Not graded: {html.escape(", ".join(report.not_graded) or "none")}</p>
</body></html>"""
    (out / "report.html").write_text(page, encoding="utf-8")
    report.files = [out / "report.html", out / "scores.png", out / "difficulty.png"]
    return report
