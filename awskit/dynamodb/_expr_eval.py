"""DynamoDB expressions, part 3: applying parsed expressions to items.

Projection (which attributes a read returns), updates (what an UpdateExpression does to an
item) and key conditions (which items a Query reads).  Import them from
:mod:`awskit.dynamodb.expressions`.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.errors import InvalidParameter
from ._expr_nodes import (
    _BIG,
    And,
    Between,
    Compare,
    Function,
    In,
    Not,
    Or,
    Path,
    Update,
    Value,
    _invalid,
    _must_exist,
    _operand_type_error,
    get_path,
)
from ._expr_parser import Parsed
from .types import canonical_number, copy_value, describe_value


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
