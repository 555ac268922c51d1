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
"""

from __future__ import annotations

import re
from decimal import Context, Decimal
from functools import lru_cache
from typing import Any

from ..core.errors import InvalidParameter
from ._reserved import RESERVED_WORDS
from .types import TYPES, canonical_number, copy_value, describe_value, values_equal

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

_BIG = Context(prec=200)


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationException", message)


# -- tokens ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<nameref>\#[A-Za-z0-9_]+)
  | (?P<valueref>:[A-Za-z0-9_]+)
  | (?P<number>[0-9]+)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><>|<=|>=|[=<>(),.\[\]+\-])
""", re.VERBOSE)

_COMPARATORS = {"=", "<>", "<", "<=", ">", ">="}
_CONDITION_FUNCTIONS = {"attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2,
                        "begins_with": 2, "contains": 2}
_UPDATE_FUNCTIONS = {"if_not_exists": 2, "list_append": 2}


class Token:
    __slots__ = ("kind", "pos", "text")

    def __init__(self, kind: str, text: str, pos: int) -> None:
        self.kind, self.text, self.pos = kind, text, pos

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r})"


def tokenize(text: str, kind: str = "ConditionExpression") -> list[Token]:
    """Split an expression into tokens; an unknown character is a syntax error."""
    out: list[Token] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:
            out.append(Token("bad", text[pos], pos))
            _syntax(kind, text, out, len(out) - 1, "Invalid character encountered")
        k = m.lastgroup
        if k != "ws":
            out.append(Token("op" if k == "op" else k, m.group(), pos))
        pos = m.end()
    out.append(Token("eof", "<EOF>", n))
    return out


def _syntax(kind: str, text: str, toks: list[Token], i: int, what: str = "Syntax error"):
    tok = toks[i]
    near = " ".join(t.text for t in toks[max(0, i - 1): i + 2] if t.kind != "eof")
    raise _invalid(f'Invalid {kind}: {what}; token: "{tok.text}", near: "{near}"')


# -- nodes -----------------------------------------------------------------------------------
# Operands have .get(item, ctx) -> AttributeValue or None; conditions have .ev(item, ctx) -> bool.
# ctx is (ExpressionAttributeNames, ExpressionAttributeValues).

class Path:
    """A document path such as ``a.b[0].#c``; parts are names ('#x' for placeholders) and ints."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple) -> None:
        self.parts = parts

    def resolve(self, names: dict) -> tuple:
        return tuple(names[p] if isinstance(p, str) and p[0] == "#" else p for p in self.parts)

    def get(self, item: dict, ctx: tuple) -> dict | None:
        return get_path(item, self.parts, ctx[0])

    def text(self) -> str:
        out = ""
        for p in self.parts:
            out += f"[{p}]" if isinstance(p, int) else (("." if out else "") + p)
        return out

    def __repr__(self) -> str:
        return f"Path({self.text()})"


def get_path(item: dict, parts: tuple, names: dict | None = None) -> dict | None:
    """The value at a document path of an item, or None when any step is missing."""
    p = parts[0]
    if p[0] == "#":
        p = names[p]
    cur = item.get(p)
    for p in parts[1:]:
        if cur is None:
            return None
        if type(p) is int:
            seq = cur.get("L")
            if seq is None or p >= len(seq):
                return None
            cur = seq[p]
        else:
            if p[0] == "#":
                p = names[p]
            m = cur.get("M")
            if m is None:
                return None
            cur = m.get(p)
    return cur


class Value:
    __slots__ = ("ref",)

    def __init__(self, ref: str) -> None:
        self.ref = ref

    def get(self, item: dict, ctx: tuple) -> dict:
        return ctx[1][self.ref]

    def __repr__(self) -> str:
        return f"Value({self.ref})"


class Size:
    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, item: dict, ctx: tuple) -> dict | None:
        av = self.path.get(item, ctx)
        if av is None:
            return None
        ((t, v),) = av.items()
        if t in ("S", "B", "SS", "NS", "BS", "L", "M"):
            return {"N": str(len(v))}
        return None


def _ordered(av: dict | None):
    """(type, comparable) for types with an order, else (type, None)."""
    if av is None:
        return None, None
    ((t, v),) = av.items()
    if t == "N":
        return t, Decimal(v)
    if t in ("S", "B"):
        return t, v
    return t, None


class Compare:
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left, right) -> None:
        self.op, self.left, self.right = op, left, right

    def ev(self, item: dict, ctx: tuple) -> bool:
        a = self.left.get(item, ctx)
        b = self.right.get(item, ctx)
        op = self.op
        if op == "=":
            return values_equal(a, b)
        if op == "<>":
            return not values_equal(a, b)
        ta, va = _ordered(a)
        tb, vb = _ordered(b)
        if ta is None or ta != tb or va is None:
            return False
        if op == "<":
            return va < vb
        if op == "<=":
            return va <= vb
        if op == ">":
            return va > vb
        return va >= vb


class Between:
    __slots__ = ("high", "low", "operand")

    def __init__(self, operand, low, high) -> None:
        self.operand, self.low, self.high = operand, low, high

    def ev(self, item: dict, ctx: tuple) -> bool:
        t, v = _ordered(self.operand.get(item, ctx))
        tl, lo = _ordered(self.low.get(item, ctx))
        th, hi = _ordered(self.high.get(item, ctx))
        if v is None or t != tl or t != th:
            return False
        return lo <= v <= hi


class In:
    __slots__ = ("choices", "operand")

    def __init__(self, operand, choices: list) -> None:
        self.operand, self.choices = operand, choices

    def ev(self, item: dict, ctx: tuple) -> bool:
        a = self.operand.get(item, ctx)
        return a is not None and any(values_equal(a, c.get(item, ctx)) for c in self.choices)


class Function:
    __slots__ = ("args", "name")

    def __init__(self, name: str, args: list) -> None:
        self.name, self.args = name, args

    def ev(self, item: dict, ctx: tuple) -> bool:
        name = self.name
        a = self.args[0].get(item, ctx)
        if name == "attribute_exists":
            return a is not None
        if name == "attribute_not_exists":
            return a is None
        if a is None:
            return False
        b = self.args[1].get(item, ctx)
        if b is None:
            return False
        ((ta, va),) = a.items()
        ((tb, vb),) = b.items()
        if name == "attribute_type":
            return ta == vb
        if name == "begins_with":
            return ta == tb and ta in ("S", "B") and va.startswith(vb)
        # contains
        if ta == "S" and tb == "S":
            return vb in va
        if ta == "B" and tb == "B":
            return vb in va
        if ta in ("SS", "BS") and tb == ta[0]:
            return vb in va
        if ta == "NS" and tb == "N":
            return Decimal(vb) in {Decimal(x) for x in va}
        if ta == "L":
            return any(values_equal(x, b) for x in va)
        return False


class And:
    __slots__ = ("left", "right")

    def __init__(self, left, right) -> None:
        self.left, self.right = left, right

    def ev(self, item: dict, ctx: tuple) -> bool:
        return self.left.ev(item, ctx) and self.right.ev(item, ctx)


class Or:
    __slots__ = ("left", "right")

    def __init__(self, left, right) -> None:
        self.left, self.right = left, right

    def ev(self, item: dict, ctx: tuple) -> bool:
        return self.left.ev(item, ctx) or self.right.ev(item, ctx)


class Not:
    __slots__ = ("operand",)

    def __init__(self, operand) -> None:
        self.operand = operand

    def ev(self, item: dict, ctx: tuple) -> bool:
        return not self.operand.ev(item, ctx)


# update-only operands

def _operand_type_error() -> InvalidParameter:
    return _invalid("An operand in the update expression has an incorrect data type")


def _must_exist(av, operand):
    if av is None:
        what = operand.text() if isinstance(operand, Path) else "?"
        raise _invalid("The provided expression refers to an attribute that does not exist in the "
                       f"item (path: {what}). Use if_not_exists(path, :default) to supply a default.")
    return av


class Arith:
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left, right) -> None:
        self.op, self.left, self.right = op, left, right

    def get(self, item: dict, ctx: tuple) -> dict:
        a = _must_exist(self.left.get(item, ctx), self.left)
        b = _must_exist(self.right.get(item, ctx), self.right)
        if "N" not in a or "N" not in b:
            raise _operand_type_error()
        x, y = Decimal(a["N"]), Decimal(b["N"])
        r = _BIG.add(x, y) if self.op == "+" else _BIG.subtract(x, y)
        return {"N": canonical_number(r, "update expression")}


class IfNotExists:
    __slots__ = ("default", "path")

    def __init__(self, path: Path, default) -> None:
        self.path, self.default = path, default

    def get(self, item: dict, ctx: tuple) -> dict:
        av = self.path.get(item, ctx)
        return av if av is not None else _must_exist(self.default.get(item, ctx), self.default)


class ListAppend:
    __slots__ = ("left", "right")

    def __init__(self, left, right) -> None:
        self.left, self.right = left, right

    def get(self, item: dict, ctx: tuple) -> dict:
        a = _must_exist(self.left.get(item, ctx), self.left)
        b = _must_exist(self.right.get(item, ctx), self.right)
        if "L" not in a or "L" not in b:
            raise _operand_type_error()
        return {"L": a["L"] + b["L"]}


class Update:
    """A parsed UpdateExpression: its SET, REMOVE, ADD and DELETE actions."""

    __slots__ = ("add", "delete", "remove", "set")

    def __init__(self) -> None:
        self.set: list[tuple[Path, Any]] = []
        self.remove: list[Path] = []
        self.add: list[tuple[Path, Value]] = []
        self.delete: list[tuple[Path, Value]] = []

    def paths(self) -> list[Path]:
        return ([p for p, _ in self.set] + list(self.remove) + [p for p, _ in self.add]
                + [p for p, _ in self.delete])


# -- the parser ------------------------------------------------------------------------------

class _Parser:
    def __init__(self, text: str, kind: str) -> None:
        if not isinstance(text, str):
            raise _invalid(f"{kind} must be a string, not {type(text).__name__} {text!r}.")
        if not text.strip():
            raise _invalid(f"Invalid {kind}: The expression can not be empty;")
        self.text, self.kind = text, kind
        self.toks = tokenize(text, kind)
        self.i = 0

    # token helpers
    def peek(self, k: int = 0) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def fail(self, at: int | None = None):
        _syntax(self.kind, self.text, self.toks, self.i if at is None else at)

    def is_op(self, text: str, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok.kind == "op" and tok.text == text

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok.kind == "ident" and tok.text.upper() == word

    def expect_op(self, text: str) -> None:
        if not self.is_op(text):
            self.fail()
        self.take()

    def error(self, message: str):
        raise _invalid(f"Invalid {self.kind}: {message}")

    def end(self) -> None:
        if self.peek().kind != "eof":
            self.fail()

    # paths and operands
    def name_part(self) -> str:
        tok = self.peek()
        if tok.kind == "nameref":
            self.take()
            return tok.text
        if tok.kind == "ident":
            if tok.text.upper() in RESERVED_WORDS:
                self.error(f"Attribute name is a reserved keyword; reserved keyword: {tok.text}. "
                           f"Write #{tok.text} in the expression and pass "
                           f"ExpressionAttributeNames={{'#{tok.text}': '{tok.text}'}}.")
            self.take()
            return tok.text
        self.fail()

    def path(self) -> Path:
        parts: list = [self.name_part()]
        while True:
            if self.is_op("."):
                self.take()
                parts.append(self.name_part())
            elif self.is_op("["):
                self.take()
                tok = self.peek()
                if tok.kind != "number":
                    self.fail()
                self.take()
                self.expect_op("]")
                parts.append(int(tok.text))
            else:
                return Path(tuple(parts))

    def args(self) -> list:
        self.expect_op("(")
        out = [self.operand()]
        while self.is_op(","):
            self.take()
            out.append(self.operand())
        self.expect_op(")")
        return out

    def operand(self):
        tok = self.peek()
        if tok.kind == "valueref":
            self.take()
            return Value(tok.text)
        if tok.kind == "ident" and self.is_op("(", 1):
            name = tok.text
            if name == "size" and self.kind != "UpdateExpression":
                self.take()
                args = self.args()
                self._arity(name, args, 1, path_first=True)
                return Size(args[0])
            if name in _UPDATE_FUNCTIONS and self.kind == "UpdateExpression":
                self.take()
                args = self.args()
                self._arity(name, args, 2, path_first=(name == "if_not_exists"))
                return IfNotExists(*args) if name == "if_not_exists" else ListAppend(*args)
            if name in _CONDITION_FUNCTIONS or name in _UPDATE_FUNCTIONS or name == "size":
                self.error(f"The function is not allowed to be used this way in an expression; "
                           f"function: {name}")
            self.error(f"Invalid function name; function: {name}")
        if tok.kind in ("ident", "nameref"):
            return self.path()
        self.fail()

    def _arity(self, name: str, args: list, n: int, path_first: bool) -> None:
        if len(args) != n:
            self.error(f"Incorrect number of operands for operator or function; operator or "
                       f"function: {name}, number of operands: {len(args)}")
        if path_first and not isinstance(args[0], Path):
            self.error(f"Operator or function requires a document path; operator or function: {name}")

    # conditions
    def condition(self):
        left = self.conjunction()
        while self.is_word("OR"):
            self.take()
            left = Or(left, self.conjunction())
        return left

    def conjunction(self):
        left = self.negation()
        while self.is_word("AND"):
            self.take()
            left = And(left, self.negation())
        return left

    def negation(self):
        if self.is_word("NOT"):
            self.take()
            return Not(self.negation())
        return self.primary()

    def primary(self):
        if self.is_op("("):
            self.take()
            inner = self.condition()
            self.expect_op(")")
            return inner
        tok = self.peek()
        if tok.kind == "ident" and tok.text in _CONDITION_FUNCTIONS and self.is_op("(", 1):
            self.take()
            args = self.args()
            self._arity(tok.text, args, _CONDITION_FUNCTIONS[tok.text], path_first=True)
            return Function(tok.text, args)
        left = self.operand()
        tok = self.peek()
        if tok.kind == "op" and tok.text in _COMPARATORS:
            self.take()
            return Compare(tok.text, left, self.operand())
        if self.is_word("BETWEEN"):
            self.take()
            low = self.operand()
            if not self.is_word("AND"):
                self.fail()
            self.take()
            return Between(left, low, self.operand())
        if self.is_word("IN"):
            self.take()
            choices = self.args()
            if len(choices) > 100:
                self.error(f"The IN operator takes at most 100 operands, not {len(choices)}.")
            return In(left, choices)
        self.fail()

    # updates
    def update(self) -> Update:
        upd = Update()
        seen: set[str] = set()
        while self.peek().kind != "eof":
            tok = self.peek()
            word = tok.text.upper() if tok.kind == "ident" else ""
            if word not in ("SET", "REMOVE", "ADD", "DELETE"):
                self.fail()
            if word in seen:
                self.error(f'The "{word}" section can only be used once in an update expression;')
            seen.add(word)
            self.take()
            while True:
                self.action(word, upd)
                if not self.is_op(","):
                    break
                self.take()
        return upd

    def action(self, word: str, upd: Update) -> None:
        path = self.path()
        if word == "SET":
            self.expect_op("=")
            value = self.operand()
            if self.is_op("+") or self.is_op("-"):
                op = self.take().text
                value = Arith(op, value, self.operand())
            upd.set.append((path, value))
        elif word == "REMOVE":
            upd.remove.append(path)
        else:
            tok = self.peek()
            if tok.kind != "valueref":
                self.fail()
            self.take()
            (upd.add if word == "ADD" else upd.delete).append((path, Value(tok.text)))


def _refs(node, names: set, values: set) -> None:
    """Collect the #name and :value placeholders a parsed expression uses."""
    if isinstance(node, Path):
        names.update(p for p in node.parts if isinstance(p, str) and p[0] == "#")
    elif isinstance(node, Value):
        values.add(node.ref)
    elif isinstance(node, Update):
        for p, v in node.set:
            _refs(p, names, values)
            _refs(v, names, values)
        for p in node.remove:
            _refs(p, names, values)
        for p, v in node.add + node.delete:
            _refs(p, names, values)
            _refs(v, names, values)
    elif isinstance(node, (list, tuple)):
        for x in node:
            _refs(x, names, values)
    else:
        for slot in type(node).__slots__:
            child = getattr(node, slot)
            if not isinstance(child, str):
                _refs(child, names, values)


class Parsed:
    """A parsed expression with the placeholders it uses (cached by its text)."""

    __slots__ = ("kind", "names", "node", "values")

    def __init__(self, node, kind: str) -> None:
        self.node, self.kind = node, kind
        names: set[str] = set()
        values: set[str] = set()
        _refs(node, names, values)
        self.names, self.values = frozenset(names), frozenset(values)

    def ev(self, item: dict, ctx: tuple) -> bool:
        return self.node.ev(item, ctx)


@lru_cache(maxsize=2048)
def parse_condition(text: str, kind: str = "ConditionExpression") -> Parsed:
    """Parse a condition (also used for FilterExpression and KeyConditionExpression)."""
    p = _Parser(text, kind)
    node = p.condition()
    p.end()
    return Parsed(node, kind)


@lru_cache(maxsize=2048)
def parse_update(text: str) -> Parsed:
    """Parse an UpdateExpression into its SET/REMOVE/ADD/DELETE actions."""
    p = _Parser(text, "UpdateExpression")
    node = p.update()
    return Parsed(node, "UpdateExpression")


@lru_cache(maxsize=2048)
def parse_projection(text: str) -> Parsed:
    """Parse a ProjectionExpression: document paths separated by commas."""
    p = _Parser(text, "ProjectionExpression")
    paths = [p.path()]
    while p.is_op(","):
        p.take()
        paths.append(p.path())
    p.end()
    return Parsed(paths, "ProjectionExpression")


# -- placeholders and semantic checks ---------------------------------------------------------

def check_refs(parsed: list[Parsed], names: dict | None, values: dict | None) -> None:
    """Every placeholder used must be defined, and every one defined must be used (AWS rules)."""
    names = names or {}
    values = values or {}
    used_n: set[str] = set()
    used_v: set[str] = set()
    for p in parsed:
        if p is None:
            continue
        for n in p.names:
            if n not in names:
                raise _invalid(f"Invalid {p.kind}: An expression attribute name used in the document "
                               f"path is not defined; attribute name: {n}")
        for v in p.values:
            if v not in values:
                raise _invalid(f"Invalid {p.kind}: An expression attribute value used in expression "
                               f"is not defined; attribute value: {v}")
        used_n |= p.names
        used_v |= p.values
    unused = sorted(set(names) - used_n)
    if unused:
        raise _invalid("Value provided in ExpressionAttributeNames unused in expressions: keys: "
                       f"{{{', '.join(unused)}}}")
    unused = sorted(set(values) - used_v)
    if unused:
        raise _invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: "
                       f"{{{', '.join(unused)}}}")
    for p in parsed:
        if p is not None:
            _semantic(p.node, p.kind, values)


def _semantic(node, kind: str, values: dict) -> None:
    """Checks AWS makes before reading any item: operand types of functions, BETWEEN bounds."""
    if isinstance(node, (And, Or)):
        _semantic(node.left, kind, values)
        _semantic(node.right, kind, values)
    elif isinstance(node, Not):
        _semantic(node.operand, kind, values)
    elif isinstance(node, Function) and len(node.args) == 2 and isinstance(node.args[1], Value):
        av = values[node.args[1].ref]
        ((t, v),) = av.items()
        if node.name == "attribute_type" and (t != "S" or v not in TYPES):
            raise _invalid(f"Invalid {kind}: Invalid attribute type name found; type: {v}, "
                           f"valid types: {{{','.join(TYPES)}}}")
        if node.name == "begins_with" and t not in ("S", "B"):
            raise _invalid(f"Invalid {kind}: Incorrect operand type for operator or function; "
                           f"operator or function: begins_with, operand type: {t}")
    elif isinstance(node, Between) and isinstance(node.low, Value) and isinstance(node.high, Value):
        lo, hi = values[node.low.ref], values[node.high.ref]
        tl, a = _ordered(lo)
        th, b = _ordered(hi)
        if tl == th and a is not None and a > b:
            raise _invalid(f"Invalid {kind}: The BETWEEN operator requires upper bound to be greater "
                           f"than or equal to lower bound; lower bound operand: {describe_value(lo)}, "
                           f"upper bound operand: {describe_value(hi)}")
    elif isinstance(node, Update):
        for _, v in node.add:
            t = next(iter(values[v.ref]))
            if t not in ("N", "SS", "NS", "BS"):
                raise _invalid("Invalid UpdateExpression: Incorrect operand type for operator or "
                               f"function; operator: ADD, operand type: {_TYPE_WORDS[t]}. ADD works "
                               "on numbers and sets only; use SET for other types.")
        for _, v in node.delete:
            t = next(iter(values[v.ref]))
            if t not in ("SS", "NS", "BS"):
                raise _invalid("Invalid UpdateExpression: Incorrect operand type for operator or "
                               f"function; operator: DELETE, operand type: {_TYPE_WORDS[t]}. DELETE "
                               "removes members from a set; use REMOVE to drop an attribute.")


_TYPE_WORDS = {"S": "STRING", "N": "NUMBER", "B": "BINARY", "SS": "STRING SET",
               "NS": "NUMBER SET", "BS": "BINARY SET", "M": "MAP", "L": "LIST",
               "NULL": "NULL", "BOOL": "BOOLEAN"}


def _overlap(kind: str, paths: list[tuple]) -> None:
    for i, a in enumerate(paths):
        for b in paths[i + 1:]:
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            if long_[: len(short)] == short:
                raise _invalid(f"Invalid {kind}: Two document paths overlap with each other; must "
                               f"remove or rewrite one of these paths; path one: "
                               f"[{', '.join(map(str, short))}], path two: [{', '.join(map(str, long_))}]")


# -- projection --------------------------------------------------------------------------------

def project(item: dict, parsed: Parsed, names: dict | None) -> dict:
    """The parts of ``item`` that a ProjectionExpression names (nested paths kept nested)."""
    paths = [p.resolve(names or {}) for p in parsed.node]
    if all(len(p) == 1 for p in paths):
        return {p[0]: item[p[0]] for p in paths if p[0] in item}
    _overlap("ProjectionExpression", paths)
    out: dict = {}
    for path in paths:
        av = get_path(item, path)
        if av is None:
            continue
        # build the containers on the way; lists gather as {index: value} until the end
        container, key = out, path[0]
        for step in path[1:]:
            nxt = container.get(key)
            if nxt is None:
                nxt = container[key] = {"L": {}} if isinstance(step, int) else {"M": {}}
            container = nxt["L"] if "L" in nxt else nxt["M"]
            key = step
        container[key] = av
    return {k: _close_lists(v) for k, v in out.items()}


def _close_lists(av: dict) -> dict:
    if "L" in av and isinstance(av["L"], dict):
        return {"L": [_close_lists(av["L"][i]) for i in sorted(av["L"])]}
    if "M" in av and any(isinstance(x, dict) and ("L" in x or "M" in x) for x in av["M"].values()):
        return {"M": {k: _close_lists(x) for k, x in av["M"].items()}}
    return av


# -- updates -----------------------------------------------------------------------------------

def _bad_path() -> InvalidParameter:
    return _invalid("The document path provided in the update expression is invalid for update")


def apply_update(parsed: Parsed, item: dict, names: dict | None, values: dict | None,
                 key_names: tuple[str, ...]) -> dict:
    """A new item: ``item`` changed by an UpdateExpression (``item`` itself is left alone).

    Every value on the right of SET is computed from the item as it was before the update,
    as DynamoDB does.
    """
    upd: Update = parsed.node
    names = names or {}
    ctx = (names, values or {})
    resolved = [p.resolve(names) for p in upd.paths()]
    for path in resolved:
        if path[0] in key_names:
            raise _invalid(f"One or more parameter values were invalid: Cannot update attribute "
                           f"{path[0]}. This attribute is part of the key")
    _overlap("UpdateExpression", resolved)
    new_values = [(p.resolve(names), _must_exist(v.get(item, ctx), v)) for p, v in upd.set]
    new = dict(item)
    copied: set[str] = set()
    for path in resolved:
        if len(path) > 1 and path[0] in new and path[0] not in copied:
            new[path[0]] = copy_value(new[path[0]])
            copied.add(path[0])
    for path, av in new_values:
        _set_path(new, path, av)
    removals = [p.resolve(names) for p in upd.remove]
    removals.sort(key=lambda p: [-x if isinstance(x, int) else 0 for x in p])
    for path in removals:
        _remove_path(new, path)
    for p, v in upd.add:
        path = p.resolve(names)
        value = ctx[1][v.ref]
        old = get_path(new, path)
        _set_path(new, path, _add(old, value))
    for p, v in upd.delete:
        path = p.resolve(names)
        value = ctx[1][v.ref]
        old = get_path(new, path)
        if old is None:
            continue
        (t,) = value
        if t not in old:
            raise _operand_type_error()
        if t == "NS":
            drop = {Decimal(x) for x in value[t]}
            rest = [x for x in old[t] if Decimal(x) not in drop]
        else:
            drop = set(value[t])
            rest = [x for x in old[t] if x not in drop]
        if rest:
            _set_path(new, path, {t: rest})
        else:
            _remove_path(new, path)
    return new


def _add(old: dict | None, value: dict) -> dict:
    (t,) = value
    if old is None:
        return copy_value(value)
    if t not in old:
        raise _operand_type_error()
    if t == "N":
        total = _BIG.add(Decimal(old["N"]), Decimal(value["N"]))
        return {"N": canonical_number(total, "ADD")}
    if t == "NS":
        have = {Decimal(x) for x in old[t]}
        return {t: old[t] + [x for x in value[t] if Decimal(x) not in have]}
    have = set(old[t])
    return {t: old[t] + [x for x in value[t] if x not in have]}


def _walk(new: dict, parent: tuple) -> dict:
    cur = new.get(parent[0])
    for step in parent[1:]:
        if cur is None:
            raise _bad_path()
        if isinstance(step, int):
            seq = cur.get("L")
            if seq is None or step >= len(seq):
                raise _bad_path()
            cur = seq[step]
        else:
            m = cur.get("M")
            if m is None or step not in m:
                raise _bad_path()
            cur = m[step]
    if cur is None:
        raise _bad_path()
    return cur


def _set_path(new: dict, path: tuple, av: dict) -> None:
    if len(path) == 1:
        new[path[0]] = av
        return
    parent = _walk(new, path[:-1])
    last = path[-1]
    if isinstance(last, int):
        seq = parent.get("L")
        if seq is None:
            raise _bad_path()
        if last >= len(seq):
            seq.append(av)  # DynamoDB appends when the index is past the end
        else:
            seq[last] = av
    else:
        m = parent.get("M")
        if m is None:
            raise _bad_path()
        m[last] = av


def _remove_path(new: dict, path: tuple) -> None:
    if len(path) == 1:
        new.pop(path[0], None)
        return
    try:
        parent = _walk(new, path[:-1])
    except InvalidParameter:
        return
    last = path[-1]
    if isinstance(last, int):
        seq = parent.get("L")
        if seq is not None and last < len(seq):
            del seq[last]
    else:
        m = parent.get("M")
        if m is not None:
            m.pop(last, None)


# -- key conditions ---------------------------------------------------------------------------

class KeyCondition:
    """What a KeyConditionExpression asks for: one partition key value and an optional
    sort-key range (``op`` is one of = < <= > >= BETWEEN begins_with)."""

    __slots__ = ("op", "partition", "values")

    def __init__(self, partition: dict, op: str | None, values: tuple) -> None:
        self.partition, self.op, self.values = partition, op, values

    def __repr__(self) -> str:
        return f"KeyCondition({self.partition}, {self.op}, {self.values})"


def key_condition(parsed: Parsed, names: dict | None, values: dict | None,
                  hash_key: tuple[str, str], range_key: tuple[str, str] | None) -> KeyCondition:
    """Check a KeyConditionExpression against a key schema and say which items it selects."""
    names = names or {}
    values = values or {}
    leaves: list = []

    def flatten(node):
        if isinstance(node, And):
            flatten(node.left)
            flatten(node.right)
        elif isinstance(node, (Or, Not, In)):
            raise _invalid("Query key condition not supported: a key condition is "
                           "`pk = :v` optionally AND one sort-key condition; OR, NOT and IN are "
                           "for FilterExpression.")
        else:
            leaves.append(node)

    flatten(parsed.node)
    found: dict[str, tuple] = {}
    for leaf in leaves:
        if isinstance(leaf, Compare):
            left, right, op = leaf.left, leaf.right, leaf.op
            if isinstance(left, Value) and isinstance(right, Path):
                left, right = right, left
                op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
            if not (isinstance(left, Path) and isinstance(right, Value)) or op == "<>":
                raise _invalid("Query key condition not supported")
            path, cond = left, (op, values[right.ref])
        elif isinstance(leaf, Between) and isinstance(leaf.operand, Path) \
                and isinstance(leaf.low, Value) and isinstance(leaf.high, Value):
            path, cond = leaf.operand, ("BETWEEN", values[leaf.low.ref], values[leaf.high.ref])
        elif isinstance(leaf, Function) and leaf.name == "begins_with" and isinstance(leaf.args[1], Value):
            path, cond = leaf.args[0], ("begins_with", values[leaf.args[1].ref])
        else:
            raise _invalid("Query key condition not supported")
        resolved = path.resolve(names)
        if len(resolved) != 1:
            raise _invalid("Query key condition not supported: key attributes are top-level.")
        name = resolved[0]
        if name in found:
            raise _invalid("KeyConditionExpressions must only contain one condition per key")
        found[name] = cond
    pk_name, pk_type = hash_key
    if pk_name not in found:
        raise _invalid(f"Query condition missed key schema element: {pk_name}")
    op, *pv = found.pop(pk_name)
    if op != "=":
        raise _invalid(f"Query key condition not supported: the partition key {pk_name} takes "
                       f"only =, not {op}.")
    _check_type(pv[0], pk_type)
    if not found:
        return KeyCondition(pv[0], None, ())
    (name, cond), *rest = found.items()
    if range_key is None or name != range_key[0] or rest:
        missing = range_key[0] if range_key else pk_name
        raise _invalid(f"Query condition missed key schema element: {missing} (the condition "
                       f"names {name!r}, which is not a key here; filter on it with FilterExpression)")
    op, *sv = cond
    for v in sv:
        _check_type(v, range_key[1])
    if op == "begins_with" and range_key[1] == "N":
        raise _invalid("Invalid KeyConditionExpression: Incorrect operand type for operator or "
                       "function; operator or function: begins_with, operand type: N")
    return KeyCondition(pv[0], op, tuple(sv))


def _check_type(av: dict, key_type: str) -> None:
    if key_type not in av:
        raise _invalid("One or more parameter values were invalid: Condition parameter type does not "
                       f"match schema type (expected {key_type}, got {describe_value(av)})")
