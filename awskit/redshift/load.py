"""COPY: load files from S3 into a table, in parallel across the slices.

Redshift's COPY reads every object whose key starts with the given prefix.  Each slice
loads files on its own, so a load split into a multiple of the cluster's slice count
finishes fastest; one big file keeps one slice busy while the others wait.  A line that
does not fit the table lands in ``stl_load_errors``; more such lines than ``MAXERROR``
(default 0) and the whole COPY fails and loads nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from ..core.errors import AWSError
from .sql import Copy
from .tables import SQLError, Table, sql_error

__all__ = ["LOAD_OVERHEAD_S", "LOAD_S_PER_BYTE", "LoadError", "copy_from_s3"]

LOAD_OVERHEAD_S = 0.5          #: starting a COPY (listing S3, planning the load)
LOAD_S_PER_BYTE = 2e-8         #: one slice parsing and writing one byte (about 50 MB/s per slice)

_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_NUMERIC = {"SMALLINT", "INTEGER", "BIGINT", "DECIMAL", "REAL", "DOUBLE PRECISION"}


@dataclass(slots=True, kw_only=True)
class LoadError:
    """One row of ``stl_load_errors``."""

    query: int
    filename: str
    line_number: int
    colname: str
    type: str
    raw_line: str
    raw_field_value: str
    err_code: int
    err_reason: str


def _reason(err: SQLError, ty) -> tuple[int, str]:
    if err.code == "22001":
        return 1204, "String length exceeds DDL length"
    if err.code == "22003":
        return 1216, "Numeric value out of range"
    if ty.name in _NUMERIC:
        return 1207, "Invalid digit, Value not a number"
    if ty.name in ("DATE", "TIMESTAMP"):
        return 1205, "Invalid date or timestamp format"
    return 1216, err.message


def copy_from_s3(cluster, stmt: Copy, query_id: int) -> tuple[int, float, list[LoadError]]:
    """Run a COPY: returns (rows loaded, simulated seconds, load errors)."""
    table: Table = cluster._table(stmt.table, user_only=True)
    opts = stmt.options
    if "iam_role" not in opts and "credentials" not in opts:
        raise sql_error("XX000", "COPY needs authorization to read S3: add IAM_ROLE 'arn:aws:iam::<account>:"
                                 "role/<name>' (a role the cluster is associated with) or IAM_ROLE default.")
    role = opts.get("iam_role")
    if role not in (None, "default") and not _ROLE.match(role):
        raise sql_error("22023", f"Invalid IAM_ROLE {role!r}: expected arn:aws:iam::<12-digit account>:"
                                 "role/<role name>.")
    fmt = opts.get("format", "TEXT")
    if fmt not in ("CSV", "TEXT"):
        raise sql_error("0A000", f"FORMAT {fmt} is not modelled by awskit; use CSV or delimited text.")
    delim = opts.get("delimiter", "," if fmt == "CSV" else "|")
    if len(delim) != 1:
        raise sql_error("22023", f"DELIMITER must be a single character, not {delim!r}.")
    header = opts.get("ignoreheader", 0)
    maxerror = opts.get("maxerror", 0)
    m = re.match(r"^s3://([^/]+)/?(.*)$", stmt.source)
    if not m:
        raise sql_error("22023", f"COPY FROM needs an S3 location 's3://bucket/prefix', not {stmt.source!r}.")
    bucket, prefix = m.group(1), m.group(2)
    s3 = cluster._cloud.s3
    try:
        where = s3.get_bucket_location(bucket) or "us-east-1"
        if where != cluster.region and opts.get("region") != where:
            raise sql_error("XX000", f"S3ServiceException: The bucket {bucket!r} is in {where} and the cluster "
                                     f"in {cluster.region}: add REGION '{where}' to the COPY, Status 301.")
        objects, after = [], None
        while True:
            page, _, truncated, last = s3.list_objects(bucket, prefix, start_after=after)
            objects += [o for o in page if not o.key.endswith("/")]
            if not truncated:
                break
            after = last
        if not objects:
            raise sql_error("XX000", f"The specified S3 prefix '{prefix}' does not exist in bucket {bucket!r}: "
                                     "COPY found no objects to load.")
        files = [(o.key, s3.get_object(bucket, o.key).data) for o in objects]
    except AWSError as err:
        if isinstance(err, SQLError):
            raise
        raise sql_error("XX000", f"S3ServiceException: {err.message}, Status {err.status}, Error {err.code}") \
            from None

    cols = stmt.columns or table.column_names
    idx = [table.column_index(c) for c in cols]
    types = [table.columns[i].type for i in idx]
    rows: list[tuple] = []
    errors: list[LoadError] = []
    width = len(table.columns)
    for key, data in files:
        text = data.decode("utf-8", errors="replace")
        lines = text.splitlines()
        if fmt == "CSV":
            parsed = list(csv.reader(io.StringIO(text), delimiter=delim, quotechar=opts.get("quote", '"')))
        else:
            parsed = [ln.split(delim) for ln in lines]
        for n, fields_ in enumerate(parsed, start=1):
            if n <= header or not fields_ or fields_ == [""]:
                continue
            raw = lines[n - 1] if n - 1 < len(lines) else delim.join(fields_)
            fail = None
            if len(fields_) < len(cols):
                fail = (cols[len(fields_)], str(types[len(fields_)]), "", 1214, "Delimiter not found")
            elif len(fields_) > len(cols):
                fail = ("", "", fields_[len(cols)], 1202, "Extra column(s) found")
            else:
                row: list[Any] = [None] * width
                for c, i, ty, v in zip(cols, idx, types, fields_):
                    if v == "" and (ty.name not in ("VARCHAR", "CHAR") or opts.get("emptyasnull")) or opts.get("blanksasnull") and v.strip() == "":
                        v = None
                    if v is not None and opts.get("truncatecolumns") and ty.length:
                        v = v.encode()[:ty.length].decode(errors="ignore")
                    if v is None and table.columns[i].not_null:
                        fail = (c, str(ty), "", 1213, "Missing data for not-null field")
                        break
                    try:
                        row[i] = ty.coerce(v, c)
                    except SQLError as err:
                        code, why = _reason(err, ty)
                        fail = (c, str(ty), v, code, why)
                        break
                if fail is None:
                    missing = [table.columns[j].name for j in range(width)
                               if j not in idx and table.columns[j].not_null]
                    if missing:
                        fail = (missing[0], str(table.columns[table.column_index(missing[0])].type), "", 1213,
                                "Missing data for not-null field")
                    else:
                        rows.append(tuple(row))
            if fail is not None:
                colname, tyname, value, code, why = fail
                errors.append(LoadError(query=query_id, filename=f"s3://{bucket}/{key}", line_number=n,
                                        colname=colname, type=tyname, raw_line=raw[:1024],
                                        raw_field_value=str(value)[:1024], err_code=code, err_reason=why))
    # files are spread over the slices; each slice loads its share in parallel
    per_slice = [0] * cluster._topology.slices
    for k, (_, data) in enumerate(files):
        per_slice[k % len(per_slice)] += len(data)
    seconds = LOAD_OVERHEAD_S + max(per_slice) * LOAD_S_PER_BYTE
    return (rows, seconds, errors, maxerror)
