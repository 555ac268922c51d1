"""EXPLAIN for Redshift SELECTs: the plan tree in Redshift's style, with the rows the run saw.

Read it from the bottom up: the scans (with their filters), then the join and its
distribution strategy, the aggregate, and finally what the leader does (sort, merge, limit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .sql import Select, sql_text

if TYPE_CHECKING:
    from .plan import ScanInfo
    from .query import Result

__all__ = ["explain_select"]


def explain_select(result: Result, sel: Select) -> str:
    """EXPLAIN text in Redshift's style, with the row counts the run actually saw."""
    plan = result.plan
    lines: list[str] = []

    def add(depth: int, text: str, arrow: bool = True) -> None:
        pad = "      " * depth
        lines.append((pad[:-2] + "->  " if depth and arrow else pad) + text)

    def detail(depth: int, text: str) -> None:
        lines.append("      " * depth + "  " + text)

    depth = 0
    if plan.sort_keys:
        add(depth, f"XN Merge  (rows={plan.result_rows})")
        detail(depth, f"Merge Key: {plan.sort_keys}")
        depth += 1
        add(depth, f"XN Network  (rows={plan.rows_to_leader})")
        detail(depth, "Send to leader")
        depth += 1
        add(depth, f"XN Sort  (rows={plan.rows_to_leader})")
        detail(depth, f"Sort Key: {plan.sort_keys}")
        depth += 1
    if plan.limit is not None:
        add(depth, f"XN Limit  (rows={plan.result_rows})")
        depth += 1
    if plan.distinct:
        add(depth, "XN Unique")
        depth += 1
    if plan.aggregate:
        add(depth, f"XN {plan.aggregate}  (rows={plan.groups})")
        if plan.group_keys:
            detail(depth, f"Group Key: {plan.group_keys}")
        depth += 1

    def scan_lines(d: int, s: ScanInfo) -> None:
        label = s.table.name if s.alias == s.table.name else f"{s.table.name} {s.alias}"
        add(d, f"XN Seq Scan on {label}  (rows={s.rows_out})")
        if s.filters:
            detail(d, "Filter: " + " AND ".join(sql_text(f) for f in s.filters))
    if plan.join:
        o, i = plan.scans[0], plan.scans[1]
        add(depth, f"XN Hash Join {plan.join}  (rows={plan.join_rows})")
        detail(depth, f"Hash Cond: {plan.join_cond}")
        if plan.join_filter:
            detail(depth, "Join Filter: " + " AND ".join(sql_text(f) for f in plan.join_filter))
        scan_lines(depth + 1, o)
        add(depth + 1, f"XN Hash  (rows={i.rows_out})")
        scan_lines(depth + 2, i)
    elif plan.scans:
        scan_lines(depth, plan.scans[0])
    else:
        add(depth, "XN Result  (rows=1)")
    rec = result.record
    lines.append("----- awskit: " + (f"join {plan.join}, rows moved across the network: {rec.rows_moved}; "
                                      if plan.join else "")
                 + f"blocks skipped by zone maps: {rec.blocks_skipped} of "
                 + f"{rec.blocks_scanned + rec.blocks_skipped}; rows scanned per slice: {rec.slice_rows}")
    return "\n".join(lines)
