"""GetMetricData: several metric queries at once, and metric math over their results.

Each query has an ``Id``; a ``MetricStat`` query fetches one statistic of one metric per
period, and an ``Expression`` query computes from the others (``m1 + m2``,
``SUM(METRICS())``, ``100 * errors / requests``).  awskit evaluates arithmetic (``+ - * /``,
parentheses, numbers) and the functions SUM, AVG, MIN, MAX over a list of series
(``[m1, m2]`` or ``METRICS()``); a series combined with a series keeps only the
timestamps both have, as CloudWatch does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..core.errors import InvalidParameter
from .metrics import check_stat, compute_stat

__all__ = ["Series", "evaluate_expression", "run_queries"]

Series = dict[float, float]
_ID = re.compile(r"^[a-z][a-zA-Z0-9_]{0,254}$")
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\S))")
_FUNCS = {"SUM", "AVG", "MIN", "MAX", "METRICS"}


def _reduce(name: str, values: list[float]) -> float:
    if name == "SUM":
        return sum(values)
    if name == "AVG":
        return sum(values) / len(values)
    return min(values) if name == "MIN" else max(values)


def evaluate_expression(text: str, lookup: Callable[[str], Series], metric_ids: list[str]) -> Series | float:
    """Evaluate a metric-math expression; ``lookup(id)`` gives another query's series.

    >>> a = {0.0: 1.0, 60.0: 2.0}; b = {0.0: 10.0, 60.0: 20.0, 120.0: 5.0}
    >>> evaluate_expression("a + b * 2", {"a": a, "b": b}.__getitem__, ["a", "b"])
    {0.0: 21.0, 60.0: 42.0}
    >>> evaluate_expression("SUM(METRICS())", {"a": a, "b": b}.__getitem__, ["a", "b"])
    {0.0: 11.0, 60.0: 22.0, 120.0: 5.0}
    """
    tokens = [(num, name, sym) for num, name, sym in _TOKEN.findall(text)]
    pos = 0

    def fail(why: str):
        raise InvalidParameter("ValidationError", f"Error in expression {text!r}: {why}.")

    def peek():
        return tokens[pos] if pos < len(tokens) else ("", "", "")

    def take(sym: str | None = None):
        nonlocal pos
        tok = peek()
        if sym is not None and tok[2] != sym:
            fail(f"expected {sym!r}")
        pos += 1
        return tok

    def binop(a, b, op):
        f = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y,
             "/": lambda x, y: x / y if y else None}[op]
        if isinstance(a, dict) and isinstance(b, dict):
            out = {t: f(a[t], b[t]) for t in a.keys() & b.keys()}
        elif isinstance(a, dict):
            out = {t: f(v, b) for t, v in a.items()}
        elif isinstance(b, dict):
            out = {t: f(a, v) for t, v in b.items()}
        else:
            r = f(a, b)
            if r is None:
                fail("division by zero")
            return r
        return {t: v for t, v in sorted(out.items()) if v is not None}

    def expr():
        value = term()
        while peek()[2] in ("+", "-"):
            op = take()[2]
            value = binop(value, term(), op)
        return value

    def term():
        value = factor()
        while peek()[2] in ("*", "/"):
            op = take()[2]
            value = binop(value, factor(), op)
        return value

    def series_list():
        if peek()[2] == "[":
            take("[")
            items = [expr()]
            while peek()[2] == ",":
                take(",")
                items.append(expr())
            take("]")
            return items
        if peek()[1] == "METRICS":
            take()
            take("(")
            take(")")
            return [lookup(i) for i in metric_ids]
        return [expr()]

    def factor():
        num, name, sym = peek()
        if num:
            take()
            return float(num)
        if sym == "-":
            take()
            return binop(-1.0, factor(), "*")
        if sym == "(":
            take("(")
            value = expr()
            take(")")
            return value
        if name in _FUNCS and name != "METRICS":
            take()
            take("(")
            items = series_list()
            take(")")
            if len(items) == 1 and isinstance(items[0], dict):
                vals = list(items[0].values())
                return _reduce(name, vals) if vals else fail(f"{name} of an empty series")
            stamps = sorted({t for s in items if isinstance(s, dict) for t in s})
            out = {}
            for t in stamps:
                vals = [s[t] if isinstance(s, dict) else s for s in items if not isinstance(s, dict) or t in s]
                out[t] = _reduce(name, vals)
            return out
        if name:
            take()
            if name in _FUNCS:
                fail("METRICS() can only be used inside SUM, AVG, MIN or MAX")
            return lookup(name)
        fail(f"unexpected {sym!r}" if sym else "unexpected end")

    if not isinstance(text, str) or not text.strip():
        fail("empty expression")
    result = expr()
    if pos != len(tokens):
        fail(f"unexpected {peek()[2] or peek()[1] or peek()[0]!r}")
    return result


def run_queries(service, queries: list[dict[str, Any]], start: float, end: float) -> list[dict[str, Any]]:
    """Run GetMetricData queries; returns [{Id, Label, Timestamps (seconds), Values}] oldest first."""
    if not isinstance(queries, list) or not queries:
        raise InvalidParameter("MissingParameter", "The parameter MetricDataQueries is required.")
    if len(queries) > 500:
        raise InvalidParameter("InvalidParameterValue", f"At most 500 MetricDataQueries per call, not {len(queries)}.")
    if start >= end:
        raise InvalidParameter("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.")
    by_id: dict[str, dict] = {}
    for i, q in enumerate(queries):
        qid = q.get("Id") if isinstance(q, dict) else None
        if not isinstance(qid, str) or not _ID.match(qid):
            raise InvalidParameter("ValidationError",
                                   f"The value {qid!r} for MetricDataQueries.member.{i + 1}.Id is invalid: it must start "
                                   "with a lowercase letter and hold only letters, digits and '_'.")
        if qid in by_id:
            raise InvalidParameter("ValidationError", f"The Id {qid!r} is used by more than one query.")
        if ("MetricStat" in q) == ("Expression" in q):
            raise InvalidParameter("ValidationError",
                                   f"Query {qid!r} must have exactly one of MetricStat and Expression.")
        by_id[qid] = q
    metric_ids = [i for i, q in by_id.items() if "MetricStat" in q]
    cache: dict[str, Any] = {}
    busy: set[str] = set()

    def lookup(qid: str):
        if qid in cache:
            return cache[qid]
        q = by_id.get(qid)
        if q is None:
            raise InvalidParameter("ValidationError", f"Unknown Id {qid!r} in an expression; Ids: {', '.join(by_id)}.")
        if qid in busy:
            raise InvalidParameter("ValidationError", f"Expression {qid!r} refers to itself (a cycle).")
        busy.add(qid)
        cache[qid] = _metric_stat(service, q, start, end) if "MetricStat" in q else \
            evaluate_expression(q["Expression"], lookup, metric_ids)
        busy.discard(qid)
        return cache[qid]

    out = []
    for qid, q in by_id.items():
        if q.get("ReturnData", True) is False:
            continue
        result = lookup(qid)
        if not isinstance(result, dict):
            raise InvalidParameter("ValidationError", f"Expression {qid!r} gives a single number, not a time series.")
        label = q.get("Label") or (q["MetricStat"]["Metric"].get("MetricName", qid) if "MetricStat" in q else qid)
        out.append({"Id": qid, "Label": label, "Timestamps": list(result), "Values": list(result.values())})
    return out


def _metric_stat(service, q: dict, start: float, end: float) -> Series:
    from .metrics import _check_period, dimensions_from

    ms = q["MetricStat"]
    metric = ms.get("Metric") or {}
    if not metric.get("Namespace") or not metric.get("MetricName"):
        raise InvalidParameter("MissingParameter", f"Query {q['Id']!r}: MetricStat.Metric needs Namespace and MetricName.")
    period, stat = ms.get("Period"), ms.get("Stat")
    _check_period(period, f"{q['Id']}.MetricStat.Period")
    if stat is None:
        raise InvalidParameter("MissingParameter", f"Query {q['Id']!r}: MetricStat.Stat is required.")
    check_stat(stat, "Stat")
    dims = dimensions_from(metric.get("Dimensions"), "MetricStat.Metric.Dimensions")
    m = service.get_metric(metric["Namespace"], metric["MetricName"], dims)
    if m is None or (ms.get("Unit") and ms["Unit"] != m.unit):
        return {}
    step = 1 if period < 60 else 60
    t = start - start % step
    out: Series = {}
    pct = stat[0] == "p"
    if (end - t) / period > 100_800:
        raise InvalidParameter("InvalidParameterCombination", "A GetMetricData call returns at most 100,800 datapoints; "
                                                              "increase Period or shorten the time range.")
    while t < end:
        v = compute_stat(m.aggregate(t, t + period, percentiles=pct), stat)
        if v is not None:
            out[t] = v
        t += period
    return out
