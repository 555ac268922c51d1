"""DynamoDB's typed values: the wire format, its rules, item sizes and plain-Python conversion.

DynamoDB sends every value tagged with its type: ``{"S": "text"}``, ``{"N": "42"}`` (numbers
travel as strings so no precision is lost), ``{"B": b"..."}``, ``{"BOOL": True}``,
``{"NULL": True}``, lists ``{"L": [...]}``, maps ``{"M": {...}}`` and the three sets
``SS``/``NS``/``BS``.  This module checks those values as DynamoDB does, measures items the
way DynamoDB bills them, and converts to and from plain Python values with the same rules
as boto3's ``TypeSerializer``/``TypeDeserializer`` (floats are refused, numbers come back
as :class:`decimal.Decimal`).

>>> serialize({"id": "a", "n": 3})["M"]["n"]
{'N': '3'}
>>> deserialize({"M": {"n": {"N": "3.50"}}})
{'n': Decimal('3.50')}
>>> validate_item({"id": {"S": "a"}, "n": {"N": "003.50"}})["n"]
{'N': '3.5'}
>>> item_size({"id": {"S": "abc"}, "n": {"N": "12345"}})
10
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from decimal import (
    Clamped,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Underflow,
)
from typing import Any

from ..core.errors import InvalidParameter

__all__ = [
    "DYNAMODB_CONTEXT",
    "MAX_ITEM_BYTES",
    "SCALAR_KEY_TYPES",
    "TYPES",
    "FloatNotSupported",
    "copy_item",
    "describe_value",
    "deserialize",
    "deserialize_item",
    "item_size",
    "key_value",
    "serialize",
    "serialize_item",
    "validate_item",
    "validate_value",
    "value_size",
    "values_equal",
]

#: Every type descriptor DynamoDB knows.
TYPES = ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL")
#: Types a key attribute (table or index) may have.
SCALAR_KEY_TYPES = ("S", "N", "B")
#: An item, names and values together, may be at most 400 KB.
MAX_ITEM_BYTES = 400 * 1024

#: The arithmetic DynamoDB numbers obey: 38 significant digits, magnitudes 1E-130 .. 1E+126
#: (the same context boto3 uses).
DYNAMODB_CONTEXT = Context(Emin=-128, Emax=126, prec=38,
                           traps=[Clamped, Overflow, Inexact, Rounded, Underflow])

_MAX_MAGNITUDE = Decimal("9.9999999999999999999999999999999999999E+125")
_MIN_MAGNITUDE = Decimal("1E-130")


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationException", message)


class FloatNotSupported(InvalidParameter, TypeError):
    """A Python float given where DynamoDB needs an exact number (boto3 raises TypeError too)."""


# -- numbers ---------------------------------------------------------------------------

def _number(text: Any, where: str) -> str:
    """A number string checked as DynamoDB checks it, returned in canonical form."""
    if not isinstance(text, str):
        raise _invalid(f"{where}: a number travels as a string, e.g. {{'N': '{text}'}}, "
                       f"not {type(text).__name__} {text!r}.")
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        raise _invalid(f"The parameter cannot be converted to a numeric value: {text!r} ({where}).") from None
    if not d.is_finite() or text.strip() != text or not text:
        raise _invalid(f"The parameter cannot be converted to a numeric value: {text!r} ({where}).")
    return canonical_number(d, where)


def canonical_number(d: Decimal, where: str = "number") -> str:
    """DynamoDB trims leading and trailing zeros and keeps at most 38 significant digits."""
    if d.is_zero():
        return "0"
    n = d.normalize(Context(prec=1000))
    digits = len(n.as_tuple().digits)
    if digits > 38:
        raise _invalid(f"Attempting to store more than 38 significant digits in a Number ({where}: "
                       f"{digits} digits). Round it first.")
    mag = abs(n)
    if mag > _MAX_MAGNITUDE:
        raise _invalid(f"Number overflow. Attempting to store a number with magnitude larger than "
                       f"supported range ({where}); the largest is about 1E+126.")
    if mag < _MIN_MAGNITUDE:
        raise _invalid(f"Number underflow. Attempting to store a number with magnitude smaller than "
                       f"supported range ({where}); the smallest is 1E-130.")
    text = format(n, "f")
    return text


# -- validation ----------------------------------------------------------------------------

def validate_value(av: Any, where: str = "value") -> dict:
    """Check one AttributeValue and return a fresh, canonical copy of it.

    Raises:
        ValidationException: an empty or multi-typed value, a bad number, an empty set or a
            set with duplicates, a NULL that is not True.
    """
    if not isinstance(av, dict):
        raise _invalid(f"{where}: an AttributeValue is a dict with one type key such as "
                       f"{{'S': 'text'}}, not {type(av).__name__} {av!r}.")
    if len(av) != 1:
        if not av:
            raise _invalid(f"Supplied AttributeValue is empty, must contain exactly one of the "
                           f"supported datatypes ({where}). Types: {', '.join(TYPES)}.")
        raise _invalid(f"Supplied AttributeValue has more than one datatypes set, must contain "
                       f"exactly one of the supported datatypes ({where}: {sorted(av)}).")
    ((t, v),) = av.items()
    if t == "S":
        if not isinstance(v, str):
            raise _invalid(f"{where}.S must be a str, not {type(v).__name__} {v!r}.")
        return {"S": v}
    if t == "N":
        return {"N": _number(v, where)}
    if t == "B":
        return {"B": _binary(v, where)}
    if t == "BOOL":
        if not isinstance(v, bool):
            raise _invalid(f"{where}.BOOL must be True or False, not {v!r}.")
        return {"BOOL": v}
    if t == "NULL":
        if v is not True:
            raise _invalid("One or more parameter values were invalid: Null attribute value types "
                           f"must have the value of true ({where} has {v!r}).")
        return {"NULL": True}
    if t == "L":
        if not isinstance(v, (list, tuple)):
            raise _invalid(f"{where}.L must be a list of AttributeValues, not {type(v).__name__}.")
        return {"L": [validate_value(x, f"{where}[{i}]") for i, x in enumerate(v)]}
    if t == "M":
        if not isinstance(v, dict):
            raise _invalid(f"{where}.M must be a dict of name -> AttributeValue, not {type(v).__name__}.")
        out = {}
        for k, x in v.items():
            if not isinstance(k, str):
                raise _invalid(f"{where}.M: map keys are strings, not {k!r}.")
            out[k] = validate_value(x, f"{where}.{k}")
        return {"M": out}
    if t in ("SS", "NS", "BS"):
        return {t: _set(t, v, where)}
    raise _invalid(f"Unknown AttributeValue type {t!r} in {where}; valid types: {', '.join(TYPES)}.")


def _binary(v: Any, where: str) -> bytes:
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v)
    if isinstance(v, str):  # botocore encodes a str given for a blob as UTF-8
        return v.encode()
    raise _invalid(f"{where}.B must be bytes, not {type(v).__name__} {v!r}.")


_SET_NAMES = {"SS": "string", "NS": "number", "BS": "binary"}


def _set(t: str, v: Any, where: str) -> list:
    if not isinstance(v, (list, tuple, set, frozenset)):
        raise _invalid(f"{where}.{t} must be a list of members, not {type(v).__name__}.")
    if not v:
        raise _invalid(f"One or more parameter values were invalid: An {_SET_NAMES[t]} set may not "
                       f"be empty ({where}). Remove the attribute instead of storing an empty set.")
    if t == "SS":
        members = []
        for x in v:
            if not isinstance(x, str):
                raise _invalid(f"{where}.SS members must be str, not {x!r}.")
            members.append(x)
        seen = set(members)
    elif t == "NS":
        members = [_number(x, f"{where}.NS") for x in v]
        seen = {Decimal(x) for x in members}
    else:
        members = [_binary(x, f"{where}.BS") for x in v]
        seen = set(members)
    if len(seen) != len(members):
        raise _invalid(f"One or more parameter values were invalid: Input collection {list(v)!r} "
                       f"contains duplicates ({where}).")
    return members


def validate_item(item: Any, where: str = "Item") -> dict:
    """Check a whole item (name -> AttributeValue) and return a canonical copy."""
    if not isinstance(item, dict):
        raise _invalid(f"{where} must be a dict of attribute name -> AttributeValue, not "
                       f"{type(item).__name__}.")
    out = {}
    for name, av in item.items():
        if not isinstance(name, str) or not name:
            raise _invalid(f"{where}: attribute names are non-empty strings, not {name!r}.")
        out[name] = validate_value(av, f"{where}.{name}")
    return out


# -- sizes -----------------------------------------------------------------------------------

def _number_size(text: str) -> int:
    digits = text.lstrip("-").replace(".", "").strip("0") or "0"
    return (len(digits) + 1) // 2 + 1


def value_size(av: dict) -> int:
    """Bytes a value counts for, as the DynamoDB guide describes (without its name)."""
    ((t, v),) = av.items()
    if t == "S":
        return len(v.encode())
    if t == "N":
        return _number_size(v)
    if t == "B":
        return len(v)
    if t in ("BOOL", "NULL"):
        return 1
    if t == "SS":
        return sum(len(x.encode()) for x in v)
    if t == "NS":
        return sum(_number_size(x) for x in v)
    if t == "BS":
        return sum(len(x) for x in v)
    if t == "L":
        return 3 + sum(value_size(x) + 1 for x in v)
    # M: names count too, plus one byte per element
    return 3 + sum(len(k.encode()) + value_size(x) + 1 for k, x in v.items())


def item_size(item: dict) -> int:
    """An item's size in bytes: the UTF-8 length of every name plus every value's size.

    >>> item_size({"a": {"L": [{"N": "1"}, {"S": "xy"}]}})  # 1 + 3 + (2+1) + (2+1)
    10
    """
    total = 0
    for name, av in item.items():
        total += len(name.encode()) + value_size(av)
    return total


# -- comparison helpers ------------------------------------------------------------------

def key_value(av: dict) -> Any:
    """A key value as a Python object that sorts as DynamoDB sorts: str (by code point, the
    same order as UTF-8 bytes), Decimal, or bytes."""
    ((t, v),) = av.items()
    if t == "N":
        return Decimal(v)
    return v


def values_equal(a: dict | None, b: dict | None) -> bool:
    """DynamoDB equality: same type and value; sets compare without order, numbers by value."""
    if a is None or b is None:
        return False
    ((ta, va),) = a.items()
    ((tb, vb),) = b.items()
    if ta != tb:
        return False
    if ta == "N":
        return Decimal(va) == Decimal(vb)
    if ta == "NS":
        return {Decimal(x) for x in va} == {Decimal(x) for x in vb}
    if ta in ("SS", "BS"):
        return set(va) == set(vb)
    if ta == "L":
        return len(va) == len(vb) and all(values_equal(x, y) for x, y in zip(va, vb, strict=True))
    if ta == "M":
        return va.keys() == vb.keys() and all(values_equal(va[k], vb[k]) for k in va)
    return va == vb


def copy_value(av: dict) -> dict:
    ((t, v),) = av.items()
    if t == "L":
        return {"L": [copy_value(x) for x in v]}
    if t == "M":
        return {"M": {k: copy_value(x) for k, x in v.items()}}
    if t in ("SS", "NS", "BS"):
        return {t: list(v)}
    return {t: v}


def copy_item(item: dict) -> dict:
    """A copy safe to hand to a caller: changing it cannot change the stored item."""
    return {k: copy_value(v) for k, v in item.items()}


def describe_value(av: dict | None) -> str:
    """``{N:5}`` style, as DynamoDB's messages print values."""
    if av is None:
        return "<missing>"
    ((t, v),) = av.items()
    return f"AttributeValue: {{{t}:{v}}}"


# -- plain Python <-> typed ----------------------------------------------------------------

def serialize(value: Any, where: str = "value") -> dict:
    """A plain Python value as an AttributeValue, by boto3's TypeSerializer rules.

    None -> NULL, bool -> BOOL, int/Decimal -> N, str -> S, bytes -> B, set of numbers /
    strings / bytes -> NS / SS / BS, list or tuple -> L, dict -> M.  A float is refused
    (as boto3 refuses it): pass ``Decimal(str(x))`` to say which decimal you mean.

    >>> serialize({1, 2})["NS"] == ["1", "2"] or serialize({1, 2})["NS"] == ["2", "1"]
    True
    >>> serialize(0.1)
    Traceback (most recent call last):
    ...
    awskit.dynamodb.types.FloatNotSupported: An error occurred (ValidationException): Float types are not supported. Use Decimal types instead: Decimal(str(0.1)) (at value).
    """
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, Decimal)):
        return {"N": _py_number(value, where)}
    if isinstance(value, float):
        raise FloatNotSupported("ValidationException", "Float types are not supported. Use Decimal "
                                f"types instead: Decimal(str({value!r})) (at {where}).")
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, (bytes, bytearray)):
        return {"B": bytes(value)}
    if isinstance(value, AbstractSet):
        members = list(value)
        if not members:
            raise _invalid(f"An empty set cannot be stored ({where}): DynamoDB sets hold at least "
                           "one member; remove the attribute instead.")
        if all(isinstance(m, (int, Decimal)) and not isinstance(m, bool) for m in members):
            return {"NS": [_py_number(m, where) for m in members]}
        if all(isinstance(m, str) for m in members):
            return {"SS": members}
        if all(isinstance(m, (bytes, bytearray)) for m in members):
            return {"BS": [bytes(m) for m in members]}
        if any(isinstance(m, float) for m in members):
            raise FloatNotSupported("ValidationException", "Float types are not supported. Use "
                                    f"Decimal types instead (a float in the set at {where}).")
        raise _invalid(f"A set must hold only numbers, only strings or only bytes ({where}: {value!r}).")
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise _invalid(f"Map keys must be strings, not {k!r} ({where}).")
            out[k] = serialize(v, f"{where}.{k}")
        return {"M": out}
    if isinstance(value, (list, tuple)):
        return {"L": [serialize(v, f"{where}[{i}]") for i, v in enumerate(value)]}
    raise _invalid(f'Unsupported type "{type(value).__name__}" for value {value!r} ({where}). '
                   "Use str, int, Decimal, bytes, bool, None, list, dict or set.")


def _py_number(value: int | Decimal, where: str) -> str:
    try:
        d = DYNAMODB_CONTEXT.create_decimal(value)
    except (Inexact, Rounded):
        raise _invalid(f"Attempting to store more than 38 significant digits in a Number ({where}: "
                       f"{value!r}).") from None
    except (Overflow, Underflow, Clamped):
        raise _invalid(f"Number {value!r} is outside DynamoDB's range 1E-130 .. 1E+126 ({where}).") from None
    if not d.is_finite():
        raise _invalid(f"Infinity and NaN not supported ({where}).")
    return canonical_number(d, where)


def deserialize(av: dict) -> Any:
    """An AttributeValue as a plain Python value (boto3's TypeDeserializer rules, except that
    binary comes back as ``bytes`` rather than boto3's ``Binary`` wrapper)."""
    ((t, v),) = av.items()
    if t == "S":
        return v
    if t == "N":
        return Decimal(v)
    if t == "B":
        return bytes(v)
    if t == "BOOL":
        return v
    if t == "NULL":
        return None
    if t == "L":
        return [deserialize(x) for x in v]
    if t == "M":
        return {k: deserialize(x) for k, x in v.items()}
    if t == "SS":
        return set(v)
    if t == "NS":
        return {Decimal(x) for x in v}
    return {bytes(x) for x in v}


def serialize_item(item: Mapping[str, Any]) -> dict:
    """A dict of plain values as a typed item."""
    if not isinstance(item, Mapping):
        raise _invalid(f"An item is a dict of attribute name -> value, not {type(item).__name__}.")
    return {k: serialize(v, k) for k, v in item.items()}


def deserialize_item(item: dict) -> dict:
    """A typed item as a dict of plain values."""
    return {k: deserialize(v) for k, v in item.items()}
