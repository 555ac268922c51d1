"""The expression language: tokenizer, parser (precedence, errors) and evaluator."""

import pytest

from awskit.core.errors import AWSError
from awskit.dynamodb import expressions as ex

N = lambda x: {"N": str(x)}
S = lambda x: {"S": x}


def ev(text, item, names=None, values=None):
    parsed = ex.parse_condition(text)
    ex.check_refs([parsed], names, values)
    return parsed.ev(item, (names or {}, values or {}))


def code_of(fn, *a, **kw):
    with pytest.raises(AWSError) as info:
        fn(*a, **kw)
    return info.value


def test_and_binds_tighter_than_or():
    # a OR b AND c  ==  a OR (b AND c): true because a is true
    assert ev("x = :one OR x = :two AND y = :two", {"x": N(1), "y": N(1)},
              values={":one": N(1), ":two": N(2)}) is True


def test_parentheses_override_precedence():
    assert ev("(x = :one OR x = :two) AND y = :two", {"x": N(1), "y": N(1)},
              values={":one": N(1), ":two": N(2)}) is False


def test_not_applies_to_the_next_condition_only():
    assert ev("NOT x = :one AND y = :one", {"x": N(2), "y": N(1)}, values={":one": N(1)}) is True


def test_keywords_are_case_insensitive():
    assert ev("x between :a and :b", {"x": N(5)}, values={":a": N(1), ":b": N(9)}) is True


def test_function_names_are_case_sensitive():
    err = code_of(ex.parse_condition, "ATTRIBUTE_EXISTS(x)")
    assert err.code == "ValidationException"


def test_syntax_error_names_the_offending_token():
    err = code_of(ex.parse_condition, "a = = :v")
    assert err.code == "ValidationException" and 'token: "="' in err.message


def test_empty_expression_is_rejected():
    assert code_of(ex.parse_condition, "  ").code == "ValidationException"


def test_reserved_word_as_bare_name_is_rejected():
    err = code_of(ex.parse_condition, "status = :s")
    assert err.code == "ValidationException" and "reserved keyword" in err.message


def test_reserved_word_through_placeholder_is_fine():
    assert ev("#s = :s", {"status": S("ok")}, {"#s": "status"}, {":s": S("ok")}) is True


def test_unknown_character_is_a_syntax_error():
    assert code_of(ex.parse_condition, "a = :v ; b").code == "ValidationException"


def test_in_operator_matches_any_choice():
    assert ev("c IN (:a, :b)", {"c": S("b")}, values={":a": S("a"), ":b": S("b")}) is True


def test_comparison_between_different_types_is_false():
    assert ev("x < :v", {"x": S("1")}, values={":v": N(2)}) is False


def test_not_equal_on_missing_attribute_is_true():
    assert ev("x <> :v", {}, values={":v": N(2)}) is True


def test_numbers_compare_numerically_not_as_text():
    assert ev("x > :v", {"x": N(10)}, values={":v": N(9)}) is True


def test_size_of_string_set_and_list():
    item = {"s": {"SS": ["a", "b"]}, "l": {"L": [N(1), N(2), N(3)]}}
    assert ev("size(s) = :two AND size(l) > :two", item, values={":two": N(2)}) is True


def test_contains_on_string_set_and_substring():
    item = {"tags": {"SS": ["red", "blue"]}, "t": S("hello world")}
    assert ev("contains(tags, :r) AND contains(t, :w)", item, values={":r": S("red"), ":w": S("wor")})


def test_begins_with_and_attribute_type():
    item = {"k": S("user#1")}
    assert ev("begins_with(k, :p) AND attribute_type(k, :t)", item, values={":p": S("user#"), ":t": S("S")})


def test_begins_with_a_number_operand_is_rejected():
    parsed = ex.parse_condition("begins_with(k, :n)")
    assert code_of(ex.check_refs, [parsed], None, {":n": N(1)}).code == "ValidationException"


def test_attribute_type_with_unknown_type_name_is_rejected():
    parsed = ex.parse_condition("attribute_type(k, :t)")
    assert code_of(ex.check_refs, [parsed], None, {":t": S("STRING")}).code == "ValidationException"


def test_function_with_wrong_number_of_operands_is_rejected():
    assert code_of(ex.parse_condition, "attribute_exists(a, b)").code == "ValidationException"


def test_function_needs_a_path_first():
    assert code_of(ex.parse_condition, "attribute_exists(:v)").code == "ValidationException"


def test_unknown_function_is_rejected():
    assert code_of(ex.parse_condition, "starts_with(a, :v)").code == "ValidationException"


def test_between_with_reversed_bounds_is_rejected():
    parsed = ex.parse_condition("x BETWEEN :hi AND :lo")
    assert code_of(ex.check_refs, [parsed], None, {":hi": N(9), ":lo": N(1)}).code == "ValidationException"


def test_undefined_value_placeholder_is_rejected():
    parsed = ex.parse_condition("x = :v")
    err = code_of(ex.check_refs, [parsed], None, {":w": N(1)})
    assert err.code == "ValidationException" and ":v" in err.message


def test_unused_name_placeholder_is_rejected():
    parsed = ex.parse_condition("x = :v")
    assert code_of(ex.check_refs, [parsed], {"#n": "x"}, {":v": N(1)}).code == "ValidationException"


def test_nested_document_path_with_index():
    item = {"a": {"M": {"b": {"L": [{"M": {"c": N(7)}}]}}}}
    assert ev("a.b[0].c = :v", item, values={":v": N(7)}) is True


def test_missing_nested_path_is_absent():
    assert ev("attribute_not_exists(a.b[3].c)", {"a": {"M": {}}}) is True


# -- updates -------------------------------------------------------------------------

def upd(text, item, names=None, values=None, keys=("id",)):
    parsed = ex.parse_update(text)
    ex.check_refs([parsed], names, values)
    return ex.apply_update(parsed, item, names, values, keys)


def test_set_with_arithmetic_and_if_not_exists():
    new = upd("SET n = if_not_exists(n, :z) + :one", {"id": S("a")}, values={":z": N(0), ":one": N(1)})
    assert new["n"] == N(1)


def test_set_minus_subtracts():
    assert upd("SET n = n - :v", {"n": N(5)}, values={":v": N(7)})["n"] == N(-2)


def test_arithmetic_on_a_string_is_rejected():
    err = code_of(upd, "SET n = n + :v", {"n": S("5")}, values={":v": N(1)})
    assert err.code == "ValidationException"


def test_set_from_missing_attribute_is_rejected():
    assert code_of(upd, "SET a = b", {"id": S("x")}).code == "ValidationException"


def test_list_append_concatenates():
    new = upd("SET l = list_append(l, :more)", {"l": {"L": [N(1)]}}, values={":more": {"L": [N(2)]}})
    assert new["l"] == {"L": [N(1), N(2)]}


def test_set_values_are_computed_from_the_original_item():
    new = upd("SET a = b, b = a", {"a": N(1), "b": N(2)})
    assert new["a"] == N(2) and new["b"] == N(1)


def test_remove_list_elements_uses_original_indexes():
    new = upd("REMOVE l[0], l[2]", {"l": {"L": [N(0), N(1), N(2), N(3)]}})
    assert new["l"] == {"L": [N(1), N(3)]}


def test_set_list_index_past_the_end_appends():
    new = upd("SET l[10] = :v", {"l": {"L": [N(0)]}}, values={":v": N(9)})
    assert new["l"] == {"L": [N(0), N(9)]}


def test_set_into_missing_map_is_rejected():
    assert code_of(upd, "SET m.x = :v", {"id": S("a")}, values={":v": N(1)}).code == "ValidationException"


def test_add_number_and_set():
    new = upd("ADD n :one, s :s", {"n": N(1), "s": {"SS": ["a"]}}, values={":one": N(2), ":s": {"SS": ["b"]}})
    assert new["n"] == N(3) and sorted(new["s"]["SS"]) == ["a", "b"]


def test_add_a_string_is_rejected():
    parsed = ex.parse_update("ADD s :v")
    assert code_of(ex.check_refs, [parsed], None, {":v": S("x")}).code == "ValidationException"


def test_delete_last_set_member_removes_the_attribute():
    new = upd("DELETE s :s", {"s": {"SS": ["a"]}}, values={":s": {"SS": ["a"]}})
    assert "s" not in new


def test_updating_a_key_attribute_is_rejected():
    assert code_of(upd, "SET id = :v", {"id": S("a")}, values={":v": S("b")}).code == "ValidationException"


def test_overlapping_paths_are_rejected():
    err = code_of(upd, "SET a = :v REMOVE a.b", {"a": {"M": {}}}, values={":v": N(1)})
    assert err.code == "ValidationException" and "overlap" in err.message


def test_a_clause_used_twice_is_rejected():
    assert code_of(ex.parse_update, "SET a = :v SET b = :v").code == "ValidationException"


def test_update_does_not_change_the_original_item():
    item = {"m": {"M": {"x": N(1)}}}
    upd("SET m.x = :v", item, values={":v": N(2)})
    assert item["m"]["M"]["x"] == N(1)


# -- projection and key conditions ---------------------------------------------------

def test_projection_keeps_nested_paths_nested():
    item = {"a": {"M": {"b": N(1), "c": N(2)}}, "l": {"L": [N(0), N(1), N(2)]}, "z": N(9)}
    out = ex.project(item, ex.parse_projection("a.b, l[2]"), {})
    assert out == {"a": {"M": {"b": N(1)}}, "l": {"L": [N(2)]}}


def test_key_condition_with_sort_key_range():
    kc = ex.key_condition(ex.parse_condition("pk = :p AND sk BETWEEN :a AND :b"), {},
                          {":p": S("x"), ":a": N(1), ":b": N(5)}, ("pk", "S"), ("sk", "N"))
    assert kc.op == "BETWEEN" and kc.partition == S("x")


def test_key_condition_without_partition_key_is_rejected():
    err = code_of(ex.key_condition, ex.parse_condition("sk = :a"), {}, {":a": N(1)}, ("pk", "S"), ("sk", "N"))
    assert err.code == "ValidationException" and "missed key schema element" in err.message


def test_key_condition_with_or_is_rejected():
    parsed = ex.parse_condition("pk = :p OR pk = :q")
    assert code_of(ex.key_condition, parsed, {}, {":p": S("a"), ":q": S("b")}, ("pk", "S"), None).code \
        == "ValidationException"


def test_key_condition_on_partition_key_must_be_equality():
    parsed = ex.parse_condition("pk > :p")
    assert code_of(ex.key_condition, parsed, {}, {":p": S("a")}, ("pk", "S"), None).code == "ValidationException"


def test_key_condition_value_of_wrong_type_is_rejected():
    parsed = ex.parse_condition("pk = :p")
    assert code_of(ex.key_condition, parsed, {}, {":p": N(1)}, ("pk", "S"), None).code == "ValidationException"


def test_two_conditions_on_one_key_are_rejected():
    parsed = ex.parse_condition("pk = :p AND sk > :a AND sk < :b")
    err = code_of(ex.key_condition, parsed, {}, {":p": S("a"), ":a": N(1), ":b": N(2)}, ("pk", "S"), ("sk", "N"))
    assert err.code == "ValidationException"
