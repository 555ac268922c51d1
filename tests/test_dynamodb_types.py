"""AttributeValue validation, item sizes and the plain-Python conversion."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awskit.core.errors import AWSError
from awskit.dynamodb.types import (
    FloatNotSupported,
    deserialize,
    item_size,
    serialize,
    validate_item,
    validate_value,
)


def code(fn, *a):
    with pytest.raises(AWSError) as info:
        fn(*a)
    return info.value.code


def test_numbers_are_canonicalised():
    assert validate_value({"N": "0012.500"}) == {"N": "12.5"}


def test_large_integer_keeps_its_digits():
    assert validate_value({"N": "100"}) == {"N": "100"}


def test_39_significant_digits_are_rejected():
    assert code(validate_value, {"N": "1" * 39}) == "ValidationException"


def test_38_significant_digits_are_accepted():
    assert validate_value({"N": "9" * 38}) == {"N": "9" * 38}


def test_number_overflow_is_rejected():
    assert code(validate_value, {"N": "1E+126"}) == "ValidationException"


def test_number_underflow_is_rejected():
    assert code(validate_value, {"N": "1E-131"}) == "ValidationException"


def test_not_a_number_is_rejected():
    assert code(validate_value, {"N": "twelve"}) == "ValidationException"


def test_number_given_as_int_is_rejected():
    assert code(validate_value, {"N": 5}) == "ValidationException"


def test_empty_set_is_rejected():
    assert code(validate_value, {"SS": []}) == "ValidationException"


def test_duplicate_set_members_are_rejected():
    assert code(validate_value, {"NS": ["1", "1.0"]}) == "ValidationException"


def test_value_with_two_types_is_rejected():
    assert code(validate_value, {"S": "a", "N": "1"}) == "ValidationException"


def test_empty_attribute_value_is_rejected():
    assert code(validate_value, {}) == "ValidationException"


def test_null_false_is_rejected():
    assert code(validate_value, {"NULL": False}) == "ValidationException"


def test_unknown_type_is_rejected():
    assert code(validate_value, {"X": "a"}) == "ValidationException"


def test_validation_copies_nested_values():
    item = {"m": {"M": {"l": {"L": [{"S": "x"}]}}}}
    out = validate_item(item)
    out["m"]["M"]["l"]["L"].append({"S": "y"})
    assert len(item["m"]["M"]["l"]["L"]) == 1


def test_item_size_counts_names_and_values_as_aws_documents():
    # "id"(2)+"abc"(3) + "n"(1)+ 5 digits -> 3 bytes + 1 = 4  -> 10
    assert item_size({"id": {"S": "abc"}, "n": {"N": "12345"}}) == 10


def test_item_size_of_map_counts_overhead_per_element():
    # "m"(1) + 3 + ("k"(1) + BOOL 1 + 1)  = 7
    assert item_size({"m": {"M": {"k": {"BOOL": True}}}}) == 7


def test_utf8_strings_count_bytes_not_characters():
    assert item_size({"s": {"S": "é"}}) == 3


def test_float_is_refused_like_boto3():
    with pytest.raises(FloatNotSupported):
        serialize(1.5)


def test_float_refusal_is_also_a_type_error():
    with pytest.raises(TypeError):
        serialize({"x": [0.1]})


def test_empty_python_set_is_refused():
    assert code(serialize, set()) == "ValidationException"


def test_mixed_python_set_is_refused():
    assert code(serialize, {1, "a"}) == "ValidationException"


def test_serialize_follows_boto3_type_rules():
    assert serialize({"b": True, "n": None, "i": 3, "d": Decimal("1.50"), "by": b"x", "t": ("a",)}) == {
        "M": {"b": {"BOOL": True}, "n": {"NULL": True}, "i": {"N": "3"}, "d": {"N": "1.5"},
              "by": {"B": b"x"}, "t": {"L": [{"S": "a"}]}}}


def test_bool_is_not_a_number():
    assert serialize(True) == {"BOOL": True}


def test_serialize_agrees_with_boto3_type_serializer():
    boto3_types = pytest.importorskip("boto3.dynamodb.types")
    value = {"a": [1, "x", {"y": Decimal("2.5")}], "s": {"q"}, "n": None}
    assert serialize(value) == boto3_types.TypeSerializer().serialize(value)


plain = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.text(max_size=8) | st.binary(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9)
    | st.frozensets(st.text(max_size=4), min_size=1, max_size=4),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=12,
)


def _normal(v):
    if isinstance(v, (frozenset, set)):
        return set(v)
    if isinstance(v, (list, tuple)):
        return [_normal(x) for x in v]
    if isinstance(v, dict):
        return {k: _normal(x) for k, x in v.items()}
    if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
        return Decimal(v)
    return v


@given(plain)
def test_plain_values_round_trip(value):
    assert deserialize(validate_value(serialize(value))) == _normal(value)


@given(plain)
def test_validate_is_idempotent_on_serialized_values(value):
    once = validate_value(serialize(value))
    assert validate_value(once) == once
