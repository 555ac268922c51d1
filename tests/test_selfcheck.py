"""Self-checks: type-strict, never reveal the answer, tolerate an unanswered None."""

import numpy as np
import pytest

from awskit import AWSError
from awskit.selfcheck import check, is_correct


class _EqualsEverything:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class _StrThatEqualsEverything(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


def test_right_answer_prints_correct(capsys):
    check("AZs", 3, 3)
    assert "✓ correct" in capsys.readouterr().out


def test_wrong_answer_prints_not_yet_with_the_hint(capsys):
    check("AZs", 4, 3, hint="count the zones")
    out = capsys.readouterr().out
    assert "✗ not yet" in out and "count the zones" in out


def test_wrong_answer_does_not_reveal_the_expected_value(capsys):
    check("edge", "LHR61", "JNB61", hint="look south")
    assert "JNB61" not in capsys.readouterr().out


def test_none_means_not_answered_yet(capsys):
    check("edge", None, "JNB61")
    out = capsys.readouterr().out
    assert "not answered yet" in out and "✗" not in out and "✓" not in out


def test_object_equal_to_everything_is_not_accepted():
    assert not is_correct(_EqualsEverything(), 3)


def test_str_subclass_equal_to_everything_is_not_accepted():
    assert not is_correct(_StrThatEqualsEverything("x"), "JNB61")


def test_type_must_match_exactly():
    assert not is_correct("3", 3)
    assert not is_correct(3.0, 3)
    assert not is_correct(True, 1)


def test_container_elements_are_checked_type_strictly():
    assert is_correct(["a", 1], ["a", 1])
    assert not is_correct([_EqualsEverything(), 1], ["a", 1])
    assert not is_correct({"a": _EqualsEverything()}, {"a": 1})
    assert not is_correct({_EqualsEverything()}, {"a"})


def test_float_within_tolerance_is_correct():
    assert is_correct(80.04, 80.0, tol=0.1)
    assert not is_correct(80.5, 80.0, tol=0.1)


def test_numpy_scalar_counts_as_the_python_number():
    assert is_correct(np.int64(3), 3)
    assert not is_correct(np.float64(3.0), 3)


def test_mismatched_type_is_named_in_the_feedback(capsys):
    check("AZs", "3", 3)
    out = capsys.readouterr().out
    assert "int" in out and "str" in out


def test_object_posing_as_a_numpy_scalar_is_not_accepted():
    class FakeScalar:
        __module__ = "numpy"

        def item(self):
            raise RuntimeError("not really numpy")

        def __eq__(self, other):
            return True

    assert not is_correct(FakeScalar(), 3)


def test_negative_tolerance_is_refused():
    with pytest.raises(AWSError) as err:
        is_correct(1.0, 1.0, tol=-1)
    assert err.value.code == "InvalidParameterValue"
