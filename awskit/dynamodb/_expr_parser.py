"""DynamoDB expressions, part 2: the tokenizer, the recursive-descent parser and placeholder checks.

``parse_condition``/``parse_update``/``parse_projection`` turn an expression string into a
:class:`Parsed` tree (cached by its text); ``check_refs`` applies AWS's rules on
``#name``/``:value`` placeholders before any item is read.  Import them from
:mod:`awskit.dynamodb.expressions`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._expr_nodes import (
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
    _invalid,
    _ordered,
)
from ._reserved import RESERVED_WORDS
from .types import TYPES, describe_value

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
