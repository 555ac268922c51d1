"""DynamoDB's expression language: a tokenizer, a recursive-descent parser and an evaluator.

DynamoDB requests carry small programs as strings: a ``ConditionExpression`` decides whether
a write happens, an ``UpdateExpression`` says how to change an item, a
``ProjectionExpression`` picks attributes, a ``KeyConditionExpression`` picks the items a
query reads and a ``FilterExpression`` drops items after they were read.  Names that are
reserved words or contain odd characters go through ``#placeholders``
(``ExpressionAttributeNames``); every literal value goes through ``:placeholders``
(``ExpressionAttributeValues``).

>>> cond = parse_condition("attribute_not_exists(#s) OR (#s = :a AND size(tags) > :n)")
>>> item = {"status": {"S": "new"}, "tags": {"SS": ["x", "y"]}}
>>> cond.ev(item, ({"#s": "status"}, {":a": {"S": "new"}, ":n": {"N": "1"}}))
True
>>> parse_condition("a = = :v")
Traceback (most recent call last):
...
awskit.core.errors.InvalidParameter: An error occurred (ValidationException): Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"

Precedence, from tightest to loosest, is AWS's: comparators, ``IN``, ``BETWEEN``, the
functions, parentheses, ``NOT``, ``AND``, ``OR``.  Keywords are case-insensitive; function
names are not.

The implementation is split by concept: the syntax tree and its evaluation in
:mod:`._expr_nodes`, the tokenizer, parser and placeholder checks in :mod:`._expr_parser`,
and projection, updates and key conditions in :mod:`._expr_eval`.  Import from here.
"""

from __future__ import annotations

from ._expr_eval import KeyCondition, apply_update, key_condition, project
from ._expr_nodes import (  # noqa: F401  (re-exported: these lived here before the split)
    And,
    Arith,
    Between,
    Compare,
    Function,
    IfNotExists,
    In,
    ListAppend,
    Not,
    Or,
    Path,
    Size,
    Update,
    Value,
    get_path,
)
from ._expr_parser import (  # noqa: F401  (re-exported: these lived here before the split)
    Parsed,
    Token,
    check_refs,
    parse_condition,
    parse_projection,
    parse_update,
    tokenize,
)

__all__ = [
    "KeyCondition",
    "Path",
    "Update",
    "apply_update",
    "check_refs",
    "get_path",
    "key_condition",
    "parse_condition",
    "parse_projection",
    "parse_update",
    "project",
]
