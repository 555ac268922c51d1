"""Glacier jobs: reading data back takes minutes or hours, on the simulated clock.

Every read is a two-step *job*: ``initiate_job`` returns at once with a job id, Glacier
works on it (Expedited 1-5 minutes, Standard 3-5 hours, Bulk 5-12 hours; an inventory
about four hours), and only then can ``get_job_output`` download the result, for 24 hours.
Completion times are drawn from ``cloud.rng`` inside each tier's documented window.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from ..core.clock import EPOCH
from ..core.errors import AWSError, InvalidParameter, LimitExceeded, NotFound
from .records import (
    DAY,
    GB,
    INVENTORY_SECONDS,
    MIB,
    PRICES,
    TIER_SECONDS,
    Job,
    JobAction,
    JobStatus,
    ProvisionedCapacity,
    Tier,
    Vault,
)
from .select import parse_select, run_select
from .treehash import is_tree_hash_aligned, tree_hash

__all__ = [
    "EXPEDITED_ON_DEMAND_LIMIT",
    "PROVISIONED_UNITS_LIMIT",
    "RETRIEVALS_PER_UNIT",
    "JobOutput",
    "TimelineEntry",
]

#: awskit's stand-in for "on-demand expedited capacity is not guaranteed": without provisioned
#: capacity, at most this many Expedited jobs may run at once per account and region; one
#: more is refused with InsufficientCapacityException.  (AWS publishes no number.)
EXPEDITED_ON_DEMAND_LIMIT = 3
#: Each provisioned capacity unit guarantees at least 3 Expedited retrievals every 5 minutes.
RETRIEVALS_PER_UNIT = 3
UNIT_WINDOW = 300.0
#: AWS quota: 2 provisioned capacity units per account.
PROVISIONED_UNITS_LIMIT = 2
_JOB_TYPES = {"archive-retrieval": JobAction.ARCHIVE_RETRIEVAL, "inventory-retrieval": JobAction.INVENTORY_RETRIEVAL,
              "select": JobAction.SELECT}
_RANGE = re.compile(r"(\d+)-(\d+)")
_HTTP_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("InvalidParameterValueException", message)


@dataclass(slots=True, kw_only=True)
class JobOutput:
    """What get_job_output returns: the bytes and the HTTP details around them."""

    body: bytes
    checksum: str | None
    status: int
    content_range: str | None
    content_type: str
    archive_description: str | None

    def __repr__(self) -> str:
        return f"JobOutput({len(self.body)} bytes, status={self.status})"


@dataclass(slots=True, frozen=True)
class TimelineEntry:
    """One job on a timeline: when it started and when it finished (or is expected to)."""

    job_id: str
    vault: str
    action: str
    tier: str
    initiated: float
    expected: float
    completed: float | None
    status: str


def _parse_date(value: Any, name: str) -> float:
    try:
        d = _dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise _invalid(f"Invalid {name} {value!r}: an ISO 8601 date such as 2026-01-05T00:00:00Z.") from None
    if d.tzinfo is None:
        d = d.replace(tzinfo=_dt.UTC)
    return (d - EPOCH).total_seconds()


def _add_month(t: float) -> float:
    """Exactly one calendar month later (the 31st becomes the last day of a shorter month)."""
    d = EPOCH + _dt.timedelta(seconds=t)
    year, month = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    for day in (d.day, 30, 29, 28):
        try:
            return (d.replace(year=year, month=month, day=day) - EPOCH).total_seconds()
        except ValueError:
            continue
    raise AssertionError("unreachable")


class _Jobs:
    """The jobs half of GlacierService."""

    def __init__(self) -> None:
        self._history: list[Job] = []
        self._capacity: list[ProvisionedCapacity] = []
        self._provisioned_uses: list[float] = []
        self._on_demand: set[str] = set()  # Expedited jobs running on on-demand capacity

    # -- starting a job --------------------------------------------------------------------
    def initiate_job(self, vault: str | Vault, type: str, *, archive_id: str | None = None,
                     tier: str | None = None, byte_range: str | None = None, description: str | None = None,
                     sns_topic: str | None = None, format: str | None = None,
                     inventory_params: dict | None = None, select: dict | None = None,
                     output_location: dict | None = None) -> Job:
        """Start an ``archive-retrieval``, ``inventory-retrieval`` or ``select`` job.

        Raises: InvalidParameterValueException (type, tier, range, format, SQL),
        ResourceNotFoundException (vault, archive, no inventory yet),
        InsufficientCapacityException (too many Expedited jobs without provisioned capacity).

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=5)
        >>> _ = cloud.glacier.create_vault("photos")
        >>> a = cloud.glacier.upload_archive("photos", b"...jpeg...")
        >>> job = cloud.glacier.initiate_job("photos", "archive-retrieval", archive_id=a.id, tier="Expedited")
        >>> job.status.value
        'InProgress'
        >>> cloud.clock.advance(minutes=5); job.status.value
        'Succeeded'
        """
        v = self.vault(vault)  # type: ignore[attr-defined]
        self._authorize(v, "InitiateJob")  # type: ignore[attr-defined]
        action = _JOB_TYPES.get(type) if isinstance(type, str) else None
        if action is None:
            raise _invalid(f"Invalid job type {type!r}: use archive-retrieval, inventory-retrieval or select.")
        now = self.cloud.clock.now  # type: ignore[attr-defined]
        rng = self.cloud.rng  # type: ignore[attr-defined]
        job = Job(id=self._new_id(92), vault=v, action=action, tier=Tier.STANDARD, created=now,  # type: ignore[attr-defined]
                  completes_at=now, description=description, sns_topic=sns_topic)
        if description is not None and (not isinstance(description, str) or len(description) > 1024):
            raise _invalid(f"Invalid job Description {description!r}: up to 1,024 printable ASCII characters.")
        if action is JobAction.INVENTORY_RETRIEVAL:
            self._prepare_inventory(v, job, format, inventory_params)
            lo, hi = INVENTORY_SECONDS
        else:
            if archive_id is None:
                raise AWSError("MissingParameterValueException", f"A {type} job needs ArchiveId (from upload_archive "
                               "or an inventory).")
            job.archive = self._archive(v, archive_id)  # type: ignore[attr-defined]
            job.tier = Tier.STANDARD if tier is None else Tier.parse(tier)
            if action is JobAction.ARCHIVE_RETRIEVAL:
                job.byte_range = self._byte_range(byte_range, job.archive.size)
                data = job.archive.data
                start, end = job.byte_range or (0, len(data) - 1)
                if job.byte_range is None:
                    job.output_tree_hash = job.archive.tree_hash
                elif is_tree_hash_aligned(start, end, len(data)):
                    job.output_tree_hash = tree_hash(data[start:end + 1])
            else:
                self._prepare_select(job, select, output_location)
            lo, hi = TIER_SECONDS[job.tier]
            if job.tier is Tier.EXPEDITED and self._claim_expedited(now):
                self._on_demand.add(job.id)
        job.completes_at = now + rng.uniform(lo, hi)
        v.jobs[job.id] = job
        self._history.append(job)
        self._bill_job(v, job)
        self.cloud.clock.at(job.completes_at, lambda: self._complete(job), name=f"glacier job {job.id[:8]}")  # type: ignore[attr-defined]
        self.cloud.events.publish("glacier.job.initiated", vault=v.name, job_id=job.id,  # type: ignore[attr-defined]
                                  action=job.action.value, tier=job.tier.value, expected=job.completes_at)
        return job

    def _byte_range(self, byte_range: Any, size: int) -> tuple[int, int] | None:
        if byte_range is None:
            return None
        m = _RANGE.fullmatch(byte_range) if isinstance(byte_range, str) else None
        start, end = (int(m.group(1)), int(m.group(2))) if m else (-1, -1)
        aligned = m is not None and start % MIB == 0 and start <= end < size and ((end + 1) % MIB == 0
                                                                                or end == size - 1)
        if not aligned:
            raise _invalid(f"Invalid RetrievalByteRange {byte_range!r} for an archive of {size} bytes: write "
                           "'START-END' with START a multiple of 1 MiB (1048576) and END+1 a multiple of 1 MiB or "
                           f"END the last byte ({size - 1}).")
        return start, end

    def _claim_expedited(self, now: float) -> bool:
        """Take provisioned capacity if a unit has room, else on-demand (True) if any is left."""
        units = [c for c in self._capacity if c.start <= now < c.expires]
        self._provisioned_uses = [t for t in self._provisioned_uses if now - t < UNIT_WINDOW]
        if units and len(self._provisioned_uses) < RETRIEVALS_PER_UNIT * len(units):
            self._provisioned_uses.append(now)
            return False
        running = sum(1 for j in self._history if j.id in self._on_demand and not j.completed)
        if running >= EXPEDITED_ON_DEMAND_LIMIT:
            raise AWSError("InsufficientCapacityException",
                           f"There is not enough capacity for another Expedited retrieval now ({running} are running "
                           f"on on-demand capacity, awskit's limit is {EXPEDITED_ON_DEMAND_LIMIT}). Retry later, use "
                           "the Standard or Bulk tier, or buy provisioned capacity "
                           "(purchase_provisioned_capacity: 3 Expedited retrievals every 5 minutes per unit).")
        return True

    def _prepare_inventory(self, v: Vault, job: Job, format: Any, params: dict | None) -> None:
        fmt = "JSON" if format is None else format
        if fmt not in ("JSON", "CSV"):
            raise _invalid(f"Invalid inventory Format {format!r}: JSON or CSV.")
        if v.inventory is None:
            raise NotFound("ResourceNotFoundException", f"Inventory not yet available for {v.arn}: Glacier prepares "
                           "a vault's first inventory about a day after the first archive is uploaded.", status=404)
        params = dict(params or {})
        unknown = set(params) - {"StartDate", "EndDate", "Limit", "Marker"}
        if unknown:
            raise _invalid(f"Unknown InventoryRetrievalParameters {sorted(unknown)}: StartDate, EndDate, Limit, Marker.")
        start = _parse_date(params["StartDate"], "StartDate") if params.get("StartDate") else None
        end = _parse_date(params["EndDate"], "EndDate") if params.get("EndDate") else None
        limit = params.get("Limit")
        if limit is not None and not (str(limit).isdigit() and int(limit) >= 1):
            raise _invalid(f"Invalid inventory Limit {limit!r}: a whole number >= 1, as a string.")
        rows = [a for a in v.inventory.archives if (start is None or a[2] >= start) and (end is None or a[2] < end)]
        marker = params.get("Marker")
        if marker:
            ids = [a[0] for a in rows]
            if marker not in ids:
                raise _invalid(f"Invalid inventory Marker {marker!r}: pass the Marker of the previous inventory job.")
            rows = rows[ids.index(marker):]
        if limit is not None and len(rows) > int(limit):
            job.next_marker = rows[int(limit)][0]
            rows = rows[:int(limit)]
        job.inventory_params = {"Format": fmt, **{k: params[k] for k in ("StartDate", "EndDate", "Limit", "Marker")
                                                  if params.get(k) is not None}}
        clock = self.cloud.clock  # type: ignore[attr-defined]
        listing = [{"ArchiveId": a[0], "ArchiveDescription": a[1], "CreationDate": clock.isoformat(a[2]),
                    "Size": a[3], "SHA256TreeHash": a[4]} for a in rows]
        if fmt == "JSON":
            job.output = json.dumps({"VaultARN": v.arn, "InventoryDate": clock.isoformat(v.inventory.date),
                                     "ArchiveList": listing}).encode()
            job.content_type = "application/json"
        else:
            out = io.StringIO()
            w = csv.writer(out, lineterminator="\n")
            w.writerow(["ArchiveId", "ArchiveDescription", "CreationDate", "Size", "SHA256TreeHash"])
            for a in listing:
                w.writerow(list(a.values()))
            job.output = out.getvalue().encode()
            job.content_type = "text/csv"

    def _prepare_select(self, job: Job, select: dict | None, output_location: dict | None) -> None:
        if not isinstance(select, dict) or "Expression" not in select:
            raise AWSError("MissingParameterValueException", "A select job needs SelectParameters with an "
                           "Expression, e.g. {'Expression': \"SELECT * FROM archive s WHERE s._1 = 'x'\", "
                           "'ExpressionType': 'SQL', 'InputSerialization': {'csv': {}}, "
                           "'OutputSerialization': {'csv': {}}}.")
        if select.get("ExpressionType", "SQL") != "SQL":
            raise _invalid(f"Invalid ExpressionType {select.get('ExpressionType')!r}: only SQL.")
        csv_in = (select.get("InputSerialization") or {}).get("csv") or {}
        csv_out = (select.get("OutputSerialization") or {}).get("csv") or {}
        header = csv_in.get("FileHeaderInfo", "NONE")
        if header not in ("USE", "IGNORE", "NONE"):
            raise _invalid(f"Invalid FileHeaderInfo {header!r}: USE, IGNORE or NONE.")
        query = parse_select(select["Expression"])
        s3 = (output_location or {}).get("S3") if isinstance(output_location, dict) else None
        if not isinstance(s3, dict) or not s3.get("BucketName"):
            raise AWSError("MissingParameterValueException", "A select job writes its results to S3: give "
                           "OutputLocation={'S3': {'BucketName': 'my-bucket', 'Prefix': 'results'}}.")
        try:
            self.cloud.s3.bucket(s3["BucketName"], "s3:PutObject")  # type: ignore[attr-defined]
        except AWSError as err:
            raise _invalid(f"Glacier Select cannot write to bucket {s3['BucketName']!r}: {err.message}") from None
        prefix = (s3.get("Prefix") or "").strip("/")
        job.select = (query, dict(csv_in), dict(csv_out), dict(select))
        job.output_location = {"S3": dict(s3)}
        job.output_path = f"{prefix}/{job.id}/" if prefix else f"{job.id}/"

    # -- finishing a job ---------------------------------------------------------------------
    def _complete(self, job: Job) -> None:
        v = job.vault
        now = self.cloud.clock.now  # type: ignore[attr-defined]
        job.status = JobStatus.SUCCEEDED
        if job.action is JobAction.ARCHIVE_RETRIEVAL:
            data = job.archive.data
            start, end = job.byte_range or (0, len(data) - 1)
            job.output = data[start:end + 1]
        elif job.action is JobAction.SELECT:
            self._run_select(job)
        else:
            job.output_tree_hash = tree_hash(job.output or b"")
        job.completed_at = now
        self.cloud.clock.at(now + DAY, lambda: v.jobs.pop(job.id, None), name="glacier job output expiry")  # type: ignore[attr-defined]
        topic = job.sns_topic
        note = v.notifications
        wanted = "InventoryRetrievalCompleted" if job.action is JobAction.INVENTORY_RETRIEVAL \
            else "ArchiveRetrievalCompleted"
        if topic is None and note is not None and wanted in note["Events"]:
            topic = note["SNSTopic"]
        self.cloud.events.publish("glacier.job.completed", vault=v.name, job_id=job.id,  # type: ignore[attr-defined]
                                  action=job.action.value, tier=job.tier.value, status=job.status.value,
                                  sns_topic=topic)

    def _run_select(self, job: Job) -> None:
        query, csv_in, csv_out, _ = job.select
        s3 = job.output_location["S3"]
        try:
            rows = run_select(query, job.archive.data, header=csv_in.get("FileHeaderInfo", "NONE"),
                              field_delimiter=csv_in.get("FieldDelimiter", ","),
                              record_delimiter=csv_in.get("RecordDelimiter", "\n"),
                              quote_character=csv_in.get("QuoteCharacter", '"'),
                              out_delimiter=csv_out.get("FieldDelimiter", ","),
                              out_record_delimiter=csv_out.get("RecordDelimiter", "\n"))
            key = f"{job.output_path}results/00000.csv"
            put = self.cloud.s3.put_object  # type: ignore[attr-defined]
            put(s3["BucketName"], key, rows, content_type="text/csv",
                storage_class=s3.get("StorageClass") or "STANDARD", tags=s3.get("Tagging"),
                metadata=s3.get("UserMetadata"))
            put(s3["BucketName"], f"{job.output_path}result_manifest.txt", f"{key}\n".encode())
            put(s3["BucketName"], f"{job.output_path}job.txt", json.dumps(
                {"JobId": job.id, "Expression": query.expression, "ArchiveId": job.archive.id}).encode())
            job.output = b""
            gb_scanned, gb_returned = job.archive.size / GB, len(rows) / GB
            t = job.tier.value
            self.cloud.bill.charge("glacier", job.vault.name, f"select {t} scanned/returned",  # type: ignore[attr-defined]
                                   gb_scanned * PRICES[f"select_scanned_gb.{t}"]
                                   + gb_returned * PRICES[f"select_returned_gb.{t}"])
        except AWSError as err:
            job.status = JobStatus.FAILED
            job.status_message = f"Glacier Select could not write its results to S3: {err.message}"

    def _bill_job(self, v: Vault, job: Job) -> None:
        if job.action is JobAction.INVENTORY_RETRIEVAL:
            self._request(v, "inventory retrieval", PRICES["retrieval_per_1000.Standard"])  # type: ignore[attr-defined]
            return
        t = job.tier.value
        self._request(v, f"{t} retrieval", PRICES[f"retrieval_per_1000.{t}"])  # type: ignore[attr-defined]
        if job.action is JobAction.ARCHIVE_RETRIEVAL:
            start, end = job.byte_range or (0, job.archive.size - 1)
            gb = (end - start + 1) / GB
            if gb and PRICES[f"retrieval_gb.{t}"]:
                self.cloud.bill.charge("glacier", v.name, f"{t} retrieval (GB)", gb * PRICES[f"retrieval_gb.{t}"])  # type: ignore[attr-defined]

    # -- reading jobs ---------------------------------------------------------------------------
    def describe_job(self, vault: str | Vault, job_id: str) -> Job:
        v = self.vault(vault)  # type: ignore[attr-defined]
        self._authorize(v, "DescribeJob")  # type: ignore[attr-defined]
        return self._job(v, job_id)

    def _job(self, v: Vault, job_id: Any) -> Job:
        job = v.jobs.get(job_id) if isinstance(job_id, str) else None
        if job is None:
            raise NotFound("ResourceNotFoundException", f"The job ID was not found: {job_id!r} in vault {v.name}. "
                           "Job output is kept for 24 hours after the job completes; start a new job.", status=404)
        return job

    def list_jobs(self, vault: str | Vault, *, completed: bool | None = None, statuscode: str | None = None,
                  marker: str | None = None, limit: int = 50) -> tuple[list[Job], str | None]:
        """Jobs of a vault still on record (in progress, or finished within 24 hours), oldest first."""
        v = self.vault(vault)  # type: ignore[attr-defined]
        self._authorize(v, "ListJobs")  # type: ignore[attr-defined]
        limit = self._limit(limit, 50)  # type: ignore[attr-defined]
        if statuscode is not None and statuscode not in {s.value for s in JobStatus}:
            raise _invalid(f"Invalid statuscode {statuscode!r}: InProgress, Succeeded or Failed.")
        jobs = [j for j in v.jobs.values() if (completed is None or j.completed == completed)
                and (statuscode is None or j.status.value == statuscode)]
        start = 0
        if marker is not None:
            ids = [j.id for j in jobs]
            if marker not in ids:
                raise _invalid(f"Invalid marker {marker!r}: pass the Marker of the previous page unchanged.")
            start = ids.index(marker)
        page = jobs[start:start + limit]
        return page, (jobs[start + limit].id if start + limit < len(jobs) else None)

    def get_job_output(self, vault: str | Vault, job_id: str, *, range: str | None = None) -> JobOutput:
        """Download a finished job's output (all of it, or ``range="bytes=START-END"``)."""
        v = self.vault(vault)  # type: ignore[attr-defined]
        self._authorize(v, "GetJobOutput")  # type: ignore[attr-defined]
        job = self._job(v, job_id)
        if not job.completed:
            raise _invalid(f"The job is not currently available for download: {job.id}. It is InProgress and "
                           f"expected to finish at {self.cloud.clock.isoformat(job.completes_at)}; check "  # type: ignore[attr-defined]
                           "describe_job, or advance the clock.")
        if job.status is JobStatus.FAILED or job.action is JobAction.SELECT:
            raise _invalid(f"Job {job.id} has no output to download here: "
                           + (job.status_message or "a select job writes its results to S3 (OutputLocation)."))
        data = job.output or b""
        description = job.archive.description if job.archive is not None else None
        if range is None:
            return JobOutput(body=data, checksum=job.output_tree_hash, status=200, content_range=None,
                             content_type=job.content_type, archive_description=description)
        m = _HTTP_RANGE.fullmatch(range.strip()) if isinstance(range, str) else None
        start = int(m.group(1)) if m else -1
        end = (int(m.group(2)) if m.group(2) else len(data) - 1) if m else -1
        if m is None or start > end or start >= len(data):
            raise _invalid(f"Invalid Range {range!r} for {len(data)} bytes of output: write 'bytes=START-END' "
                           f"within 0-{len(data) - 1}.")
        end = min(end, len(data) - 1)
        part = data[start:end + 1]
        checksum = tree_hash(part) if is_tree_hash_aligned(start, end, len(data)) else None
        return JobOutput(body=part, checksum=checksum, status=206, content_range=f"bytes {start}-{end}/{len(data)}",
                         content_type=job.content_type, archive_description=description)

    # -- provisioned capacity ------------------------------------------------------------------------
    def purchase_provisioned_capacity(self) -> ProvisionedCapacity:
        """Buy one month of guaranteed Expedited capacity ($100; at most 2 units per account)."""
        self.cloud.authorize("glacier:PurchaseProvisionedCapacity", "*", code="AccessDeniedException")  # type: ignore[attr-defined]
        now = self.cloud.clock.now  # type: ignore[attr-defined]
        active = [c for c in self._capacity if c.expires > now]
        if len(active) >= PROVISIONED_UNITS_LIMIT:
            raise LimitExceeded("LimitExceededException", f"An account can hold {PROVISIONED_UNITS_LIMIT} provisioned "
                                f"capacity units; it has {len(active)} until "
                                f"{self.cloud.clock.isoformat(min(c.expires for c in active))}.")  # type: ignore[attr-defined]
        unit = ProvisionedCapacity(id=self._new_id(24), start=now, expires=_add_month(now))  # type: ignore[attr-defined]
        self._capacity.append(unit)
        self.cloud.bill.charge("glacier", unit.id, "provisioned capacity unit (month)",  # type: ignore[attr-defined]
                               PRICES["provisioned_capacity_unit_month"])
        return unit

    def list_provisioned_capacity(self) -> list[ProvisionedCapacity]:
        self.cloud.authorize("glacier:ListProvisionedCapacity", "*", code="AccessDeniedException")  # type: ignore[attr-defined]
        return list(self._capacity)

    # -- for widgets ---------------------------------------------------------------------------------
    def job_timeline(self) -> list[TimelineEntry]:
        """Every job this service started, in order: tier, start, expected and actual finish.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=6)
        >>> _ = cloud.glacier.create_vault("v")
        >>> a = cloud.glacier.upload_archive("v", b"x")
        >>> _ = cloud.glacier.initiate_job("v", "archive-retrieval", archive_id=a.id, tier="Bulk")
        >>> [(e.tier, e.completed) for e in cloud.glacier.job_timeline()]
        [('Bulk', None)]
        """
        return [TimelineEntry(job_id=j.id, vault=j.vault.name, action=j.action.value, tier=j.tier.value,
                              initiated=j.created, expected=j.completes_at, completed=j.completed_at,
                              status=j.status.value) for j in self._history]
