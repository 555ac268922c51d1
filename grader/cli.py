"""``awskit-grade``: the instructor's command line over an nbgrader course folder.

    awskit-grade init COURSE [--exercises PATH] [--timeout S] [--force]
    awskit-grade release NAME --course COURSE
    awskit-grade autograde NAME --course COURSE [--student ID ...] [--jobs N]
    awskit-grade feedback NAME --course COURSE
    awskit-grade export --course COURSE --to grades.csv [--per-notebook | --format canvas]
    awskit-grade report NAME --course COURSE --out DIR

Mistakes (an unknown assignment, a folder that is not a course) print one line and exit 2;
submissions that could not be graded make ``autograde`` exit 1 after the summary.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .course import DEFAULT_EXERCISES, GraderError

EXIT_USAGE = 2
EXIT_NOT_ALL_GRADED = 1


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="awskit-grade",
        description=(
            "Grade awskit exercises with nbgrader. Works on an nbgrader course folder "
            "(source/, release/, submitted/<student>/<assignment>/, autograded/, feedback/, "
            "gradebook.db), so `nbgrader` commands run from that folder keep working."
        ),
        epilog=(
            "typical session: init COURSE; release NAME; (collect students' notebooks into "
            "COURSE/submitted/<student>/NAME/); autograde NAME; feedback NAME; export --to FILE"
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "init",
        help="create a course folder from the exercises",
        description=(
            "Create a course folder: nbgrader_config.py, source/<assignment>/ copied from the "
            "exercises (every subfolder holding .ipynb files is an assignment) and a gradebook "
            "listing them. Refuses to touch an existing course unless --force; even then "
            "submissions, grades and feedback are kept."
        ),
    )
    p.add_argument("course", metavar="COURSE", help="folder to create (may exist if empty)")
    p.add_argument(
        "--exercises",
        metavar="PATH",
        default=str(DEFAULT_EXERCISES),
        help="folder of assignment folders (default: the repository's exercises/)",
    )
    p.add_argument(
        "--timeout",
        type=_positive_int,
        default=30,
        metavar="SECONDS",
        help="longest a single cell may run when grading (default 30)",
    )
    p.add_argument(
        "--submission-timeout",
        type=_positive_int,
        default=None,
        metavar="SECONDS",
        help="longest one whole submission may take (default 10 x timeout + 60)",
    )
    p.add_argument("--course-id", default="awskit", help="nbgrader course id (default awskit)")
    p.add_argument(
        "--force", action="store_true", help="rewrite the config and source/ of an existing course"
    )

    def course_arg(p):
        p.add_argument("--course", required=True, metavar="COURSE", help="the course folder")

    p = sub.add_parser(
        "release",
        help="make the student version of an assignment",
        description=(
            "Generate COURSE/release/NAME: solutions replaced by stubs, hidden tests removed "
            "(nbgrader generate_assignment). The result is then checked for any hidden-test "
            "text; if some is found the release is deleted and the command fails."
        ),
    )
    p.add_argument("name", metavar="NAME", help="assignment name (a folder in COURSE/source/)")
    course_arg(p)

    p = sub.add_parser(
        "autograde",
        help="grade every submission of an assignment",
        description=(
            "Grade every COURSE/submitted/*/NAME, adding students to the gradebook as needed. "
            "Up to --jobs submissions run at once, each in a throwaway folder; only this process "
            "writes the gradebook. A cell past the per-cell timeout is interrupted (its kernel "
            "restarted if it ignores that, or if it crashes) and scores 0 while later tasks are "
            "still graded; a submission past the per-submission limit is killed and reported. "
            "Prints student, score/max and status for each, a progress line on stderr and a "
            "summary."
        ),
    )
    p.add_argument("name", metavar="NAME", help="assignment name")
    course_arg(p)
    p.add_argument(
        "--student", action="append", metavar="ID", help="grade only this student (repeatable)"
    )
    p.add_argument(
        "--submission-timeout",
        type=_positive_int,
        default=None,
        metavar="SECONDS",
        help="override the course's per-submission limit",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=None,
        metavar="N",
        help="submissions graded at once (default: the number of cores)",
    )

    p = sub.add_parser(
        "feedback",
        help="write HTML feedback for graded submissions",
        description=(
            "Write COURSE/feedback/<student>/NAME/*.html for every autograded submission. Hidden "
            "tests are removed and the tracebacks of their cells cut to the error line; every "
            "page is checked and the command fails if any hidden-test text would still show."
        ),
    )
    p.add_argument("name", metavar="NAME", help="assignment name")
    course_arg(p)

    p = sub.add_parser(
        "export",
        help="write the grades as CSV",
        description=(
            "Write one row per assignment and student: assignment, student_id, notebook, score, "
            "max_score, timestamp, needs_manual_grade, status (graded, needs manual grading, "
            "not graded, missing; the last two score 0)."
        ),
    )
    course_arg(p)
    p.add_argument("--to", required=True, metavar="FILE", help="CSV file to write")
    p.add_argument(
        "--per-notebook", action="store_true", help="one row per notebook instead of per assignment"
    )
    p.add_argument(
        "--format",
        choices=["csv", "canvas"],
        default="csv",
        help="csv (default: the columns above) or canvas (Canvas gradebook import: Student, ID, "
        "SIS User ID, Section, then one column per assignment)",
    )
    p.add_argument(
        "--canvas-id",
        action="append",
        default=[],
        metavar="NAME=ID",
        help="Canvas assignment id of an assignment, so its column updates it (repeatable)",
    )

    p = sub.add_parser(
        "report",
        help="write a class report (HTML and PNG)",
        description=(
            "Write DIR/report.html, scores.png and difficulty.png: the score distribution, mean "
            "score per check, time-outs, crashes and failures, and the misconception tags "
            "([misconception: ...] in assertion messages) counted across the class."
        ),
    )
    p.add_argument("name", metavar="NAME", help="assignment name")
    course_arg(p)
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the report")
    return parser


def _run(args) -> int:
    from .course import Course, init_course

    if args.command == "init":
        course = init_course(
            args.course,
            args.exercises,
            force=args.force,
            timeout=args.timeout,
            submission_timeout=args.submission_timeout,
            course_id=args.course_id,
        )
        names = course.assignments()
        print(f"course ready at {course.root} with {len(names)} assignment(s): {', '.join(names)}")
        return 0

    course = Course.open(args.course)
    if args.command in ("release", "autograde", "feedback", "report"):
        course.require_assignment(args.name)  # before the slow nbgrader import
    from . import grading

    if args.command == "release":
        notebooks = grading.release(course, args.name)
        print(
            f"released {args.name}: {len(notebooks)} notebook(s) in "
            f"{course.release_dir / args.name} (checked: no hidden tests)"
        )
        return 0

    if args.command == "autograde":
        print(f"{'student':<20} {'score':>9}  status")
        summary = grading.autograde_batch(
            course,
            args.name,
            students=args.student,
            submission_timeout=args.submission_timeout,
            jobs=args.jobs,
            progress=lambda r: print(r, flush=True),
            progress_stream=sys.stderr,
        )
        failed = [r for r in summary.results if not r.graded]
        for r in failed:
            if r.detail:
                print(f"  {r.student}: {r.detail}")
        print(summary)
        return EXIT_NOT_ALL_GRADED if failed else 0

    if args.command == "feedback":
        pages = grading.feedback(course, args.name)
        print(
            f"wrote {len(pages)} feedback page(s) under {course.root / 'feedback'} "
            "(checked: no hidden tests)"
        )
        return 0

    if args.command == "export":
        if args.format == "canvas":
            ids = {}
            for item in args.canvas_id:
                key, sep, value = item.partition("=")
                if not sep or not key or not value:
                    raise GraderError(f"--canvas-id takes NAME=ID, not {item!r}")
                ids[key] = value
            n = grading.export_canvas(course, args.to, canvas_ids=ids)
            print(f"wrote {n} student row(s) for Canvas to {Path(args.to)}")
            return 0
        n = grading.export_grades(course, args.to, per_notebook=args.per_notebook)
        print(f"wrote {n} row(s) to {Path(args.to)}")
        return 0

    if args.command == "report":
        from .report import class_report

        report = class_report(course, args.name, args.out)
        print(f"wrote {', '.join(str(p) for p in report.files)}")
        return 0
    raise AssertionError(args.command)  # argparse only lets the commands above through


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``awskit-grade``; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except GraderError as err:
        print(f"awskit-grade: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("awskit-grade: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
