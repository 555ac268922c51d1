"""Self-checks for the chapter notebooks: is my answer right, without being told the answer?

A self-check cell holds the student's ``answer`` and a call to :func:`check`, which prints
``✓ correct`` or ``✗ not yet: <hint>``.  It never prints the expected value.  The comparison
is type-strict: ``"3"`` is not ``3``, ``True`` is not ``1``, and an object that claims to
equal everything is not accepted, because the answer's type must be exactly the expected
one before values are compared.  An answer still set to ``None`` counts as "not answered
yet", so a notebook with blank self-checks runs top to bottom.

>>> check("AZs in eu-west-1", 3, 3)
AZs in eu-west-1: ✓ correct
>>> check("AZs in eu-west-1", "3", 3, hint="count the zones, do not write the digit as text")
AZs in eu-west-1: ✗ not yet: the answer should be an int, not a str. Hint: count the zones, do not write the digit as text
>>> check("AZs in eu-west-1", None, 3)
AZs in eu-west-1: … not answered yet: replace None with your answer and run the cell again.
"""

from __future__ import annotations

import math
from typing import Any

from .core.errors import InvalidParameter

__all__ = ["check", "is_correct"]

_CONTAINERS = (list, tuple, set, frozenset, dict)


def _plain(value: Any) -> Any:
    """A numpy/pandas scalar (``np.int64(3)``) becomes the Python value it holds.

    Students often compute answers with pandas; ``df["azs"].max()`` is an ``int64``, not an
    ``int``.  The converted value is still checked strictly, so nothing slips through here.
    """
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        try:
            return value.item()
        except Exception:  # noqa: BLE001  an odd object calling itself numpy: the strict check decides
            return value
    return value


def _same(value: Any, expected: Any, tol: float | None) -> bool:
    value = _plain(value)
    if type(value) is not type(expected):
        return False
    if isinstance(expected, float):
        if math.isnan(expected):
            return math.isnan(value)
        return abs(value - expected) <= (tol or 0.0)
    if isinstance(expected, (list, tuple)):
        return len(value) == len(expected) and all(
            _same(v, e, tol) for v, e in zip(value, expected)
        )
    if isinstance(expected, dict):
        if len(value) != len(expected):
            return False
        for key, exp in expected.items():
            match = [k for k in value if _same(k, key, None)]
            if len(match) != 1 or not _same(value[match[0]], exp, tol):
                return False
        return True
    if isinstance(expected, (set, frozenset)):
        # Every element must match exactly one expected element, type-strictly.
        if len(value) != len(expected):
            return False
        return all(any(_same(v, e, tol) for v in value) for e in expected)
    # Same exact type as the trusted expected value: its own __eq__ decides.
    return bool(expected == value)


def is_correct(value: Any, expected: Any, *, tol: float | None = None) -> bool:
    """Whether ``value`` matches ``expected`` in type and value (floats within ``tol``).

    >>> is_correct(3, 3), is_correct(3.0, 3), is_correct(True, 1)
    (True, False, False)
    >>> is_correct(80.04, 80.0, tol=0.1)
    True
    """
    if tol is not None and (not isinstance(tol, (int, float)) or isinstance(tol, bool) or tol < 0):
        raise InvalidParameter(
            "InvalidParameterValue", f"tol must be a non-negative number, not {tol!r}."
        )
    try:
        return _same(value, expected, tol)
    except Exception:  # noqa: BLE001  a strange answer must not crash the check: it is just wrong
        return False


def _record(name: str, correct: bool) -> None:
    """Best effort: note the verdict in the learner's progress file (awskit.progress)."""
    try:
        from .tracker import record_selfcheck

        record_selfcheck(name, correct)
    except Exception:  # noqa: BLE001, S110 (a check never fails because progress cannot be saved)
        pass


def _describe_type(value: Any) -> str:
    return type(value).__name__


def check(
    name: str, value: Any, expected: Any, hint: str = "", *, tol: float | None = None
) -> None:
    """Print whether ``value`` is the expected answer to the self-check ``name``.

    Args:
        name: what the question is, shown before the verdict.
        value: the student's answer; ``None`` means not answered yet.
        expected: the right answer (never printed).
        hint: a nudge shown when the answer is not right yet.
        tol: for float answers, how far from the expected value still counts as right.
    """
    prefix = f"{name}: " if name else ""
    if value is None and expected is not None:
        print(f"{prefix}… not answered yet: replace None with your answer and run the cell again.")
        return
    correct = is_correct(value, expected, tol=tol)
    _record(name, correct)
    if correct:
        print(f"{prefix}✓ correct")
        return
    reasons = []
    plain = _plain(value)
    if type(plain) is not type(expected):
        reasons.append(
            f"the answer should be a{'n' if _describe_type(expected)[0] in 'aeiou' else ''} "
            f"{_describe_type(expected)}, not a{'n' if _describe_type(plain)[0] in 'aeiou' else ''} "
            f"{_describe_type(plain)}."
        )
    elif isinstance(expected, _CONTAINERS) and len(plain) != len(expected):
        reasons.append(f"the answer should hold {len(expected)} items, not {len(plain)}.")
    if hint:
        reasons.append(f"Hint: {hint}")
    print(f"{prefix}✗ not yet: " + (" ".join(reasons) if reasons else "try again."))
