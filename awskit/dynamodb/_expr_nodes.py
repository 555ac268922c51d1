"""DynamoDB expressions, part 1: the syntax tree, whose nodes evaluate themselves.

The parser (:mod:`._expr_parser`) turns an expression string into these nodes; a condition
node answers ``ev(item, ctx)`` and an operand node ``get(item, ctx)``.  Import them from
:mod:`awskit.dynamodb.expressions`.
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from ..core.errors import InvalidParameter
from .types import canonical_number, values_equal

_BIG = Context(prec=200)


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationException", message)


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
