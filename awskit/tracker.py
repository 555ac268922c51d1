"""A self-learner's progress: which self-checks and exercise tasks have passed.

Every :func:`awskit.selfcheck.check` run inside a notebook and every :func:`awskit.check` of an
exercise records its verdict in a small JSON file (``~/.awskit/progress.json``, or the path in
``AWSKIT_PROGRESS``). Recording is best effort: an unwritable file never makes a check fail.
:func:`progress` shows the file as a table.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

__all__ = [
    "Progress",
    "current_notebook",
    "progress",
    "progress_path",
    "record_selfcheck",
    "record_task",
]


def progress_path() -> Path:
    """Where progress is kept: ``$AWSKIT_PROGRESS`` or ``~/.awskit/progress.json``."""
    env = os.environ.get("AWSKIT_PROGRESS")
    return Path(env).expanduser() if env else Path.home() / ".awskit" / "progress.json"


def current_notebook() -> str | None:
    """Path of the notebook this kernel serves, if the front end said (else None)."""
    path = os.environ.get("JPY_SESSION_NAME")
    if not path:
        try:
            from IPython import get_ipython

            ip = get_ipython()
            path = ip.user_ns.get("__session__") if ip is not None else None
        except ImportError:
            path = None
    return str(path) if path else None


def _recording() -> bool:
    """Record only in a notebook kernel, or when AWSKIT_PROGRESS names a file explicitly."""
    return "AWSKIT_PROGRESS" in os.environ or current_notebook() is not None


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _update(fn) -> None:
    path = progress_path()
    try:
        data = _load(path)
        fn(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except Exception:  # noqa: BLE001, S110 (best effort: progress must never break a check)
        pass


def record_selfcheck(name: str, correct: bool, chapter: str | None = None) -> None:
    """Remember a self-check's verdict under its chapter (the notebook's name).

    Only inside a notebook (or with AWSKIT_PROGRESS set): a doctest or script leaves no trace.
    """
    if not _recording():
        return
    if chapter is None:
        nb = current_notebook()
        chapter = Path(nb).stem if nb else "unknown"
    _update(
        lambda d: (
            d.setdefault("chapters", {})
            .setdefault(chapter, {})
            .__setitem__(str(name), bool(correct))
        )
    )


def record_task(exercise: str, task: str, passed: int, total: int) -> None:
    """Remember how many of a task's visible checks passed (same rule as record_selfcheck)."""
    if not _recording():
        return
    _update(
        lambda d: (
            d.setdefault("exercises", {})
            .setdefault(exercise, {})
            .__setitem__(task, {"passed": int(passed), "total": int(total)})
        )
    )


class Progress:
    """The progress file as a table (text repr, and HTML in a notebook)."""

    def __init__(self, data: dict):
        self.data = data

    def rows(self) -> list[tuple[str, str, str]]:
        """(kind, name, status) per chapter and exercise task."""
        rows = []
        for chapter, checks in sorted(self.data.get("chapters", {}).items()):
            done = sum(bool(v) for v in checks.values())
            rows.append(("chapter", chapter, f"{done}/{len(checks)} self-checks correct"))
        for exercise, tasks in sorted(self.data.get("exercises", {}).items()):
            for task, r in sorted(tasks.items()):
                mark = "✓" if r["passed"] == r["total"] else "…"
                rows.append(
                    (
                        "exercise",
                        f"{exercise} {task}",
                        f"{mark} {r['passed']}/{r['total']} visible checks passed",
                    )
                )
        return rows

    def __repr__(self) -> str:
        rows = self.rows()
        if not rows:
            return f"No progress recorded yet ({progress_path()})."
        width = max(len(r[1]) for r in rows)
        return "\n".join(f"{k:<8} {n:<{width}}  {s}" for k, n, s in rows)

    def _repr_html_(self) -> str:
        rows = self.rows()
        if not rows:
            return f"<p>{html.escape(repr(self))}</p>"
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
        )
        return (
            "<table><thead><tr><th>kind</th><th>name</th><th>status</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )


def progress() -> Progress:
    """Your progress so far: self-checks per chapter and exercise tasks' visible checks."""
    return Progress(_load(progress_path()))
