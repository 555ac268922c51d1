"""Autograding a class: `awskit-grade autograde --jobs N` against plain `nbgrader autograde`.

Builds a synthetic class of ps01-network submissions (a third each: the solution, the untouched
release, tasks 1-2 only) in a temporary folder, copies it, grades one copy with each tool and
prints a table of wall times, per-notebook cost and the ratio; the scores of both runs are
compared submission by submission. Not a test: run it by hand or with `make bench`.

    .venv/bin/python bench/grading.py [--students 100] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NAME = "ps01-network"
BIN = Path(sys.executable).parent
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.DOTALL)


def build_class(course: Path, students: int) -> None:
    from grader.cli import main

    assert main(["init", str(course), "--timeout", "60"]) == 0
    assert main(["release", NAME, "--course", str(course)]) == 0
    src = nbformat.read(str(ROOT / "exercises" / NAME / f"{NAME}.ipynb"), as_version=4)
    answers = {
        c.metadata["nbgrader"]["grade_id"]: SOLUTION.sub(lambda m: m.group(1), c.source)
        for c in src.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    for i in range(students):
        nb = nbformat.read(str(course / "release" / NAME / f"{NAME}.ipynb"), as_version=4)
        kind = i % 3  # 0 solution, 1 blank, 2 tasks 1-2
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in answers and (kind == 0 or (kind == 2 and gid.startswith(("task1", "task2")))):
                cell.source = answers[gid]
        folder = course / "submitted" / f"student{i:03d}" / NAME
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{NAME}.ipynb"))


def scores(course: Path) -> dict[str, float]:
    from grader import Course

    with Course.open(course).gradebook() as gb:
        return {s.student.id: float(s.score) for s in gb.find_assignment(NAME).submissions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        ours, theirs = Path(tmp) / "ours", Path(tmp) / "nbgrader"
        build_class(ours, args.students)
        shutil.copytree(ours, theirs)

        t = time.monotonic()
        proc = subprocess.run(
            [
                str(BIN / "awskit-grade"),
                "autograde",
                NAME,
                "--course",
                str(ours),
                "--jobs",
                str(args.jobs),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        ours_s = time.monotonic() - t
        lines = proc.stdout.strip().splitlines()
        summary = next((ln for ln in lines if "submission(s):" in ln), "(no summary)")
        isolation = next((ln for ln in lines if ln.startswith("kernels:")), "")

        t = time.monotonic()
        subprocess.run(
            [str(BIN / "nbgrader"), "autograde", NAME, "--force"],
            cwd=theirs,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        theirs_s = time.monotonic() - t

        a, b = scores(ours), scores(theirs)
        same = sum(a.get(s) == b.get(s) for s in b)
        n = args.students
        print(f"synthetic class: {n} submissions of {NAME} on {os.cpu_count()} core(s)")
        print(f"{'grader':<34} {'wall s':>8} {'s/notebook':>11}")
        print(f"{'nbgrader autograde (serial)':<34} {theirs_s:>8.1f} {theirs_s / n:>11.2f}")
        label = f"awskit-grade autograde --jobs {args.jobs}"
        print(f"{label:<34} {ours_s:>8.1f} {ours_s / n:>11.2f}")
        print(
            f"ratio awskit-grade / nbgrader: {ours_s / theirs_s:.2f} "
            f"({theirs_s / ours_s:.1f}x faster)"
        )
        print(f"same score for {same} of {len(b)} submissions; awskit-grade: {summary}")
        if isolation:
            print(isolation)


if __name__ == "__main__":
    main()
