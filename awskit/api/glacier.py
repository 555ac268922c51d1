"""The boto3-shaped Glacier client: ``cloud.client("glacier")``.

The vault API speaks in lower-camel parameters (``vaultName``, ``archiveDescription``) and
answers some calls with lower-camel header fields (``archiveId``, ``checksum``, ``location``)
and others with PascalCase JSON, exactly as boto3 shows it.  As in boto3, ``accountId``
defaults to ``"-"`` (the caller's own account) and the SHA-256 tree hash of an upload is
computed for you when ``checksum`` is omitted.  Dates are ISO 8601 strings, not datetimes:
that is how Glacier's API returns them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import AccessDenied, InvalidParameter
from ..glacier.jobs import JobOutput
from ..glacier.records import Job, JobAction, LockState, Vault
from ..s3.objects import StreamingBody
from .base import BaseClient, ParamValidationError, check_type

__all__ = ["GlacierClient"]


class GlacierClient(BaseClient):
    """Amazon S3 Glacier (vaults) through boto3's calls.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=8)
    >>> glacier = cloud.client("glacier")
    >>> _ = glacier.create_vault(vaultName="logs-2025")
    >>> up = glacier.upload_archive(vaultName="logs-2025", body=b"log lines", archiveDescription="jan")
    >>> job = glacier.initiate_job(vaultName="logs-2025", jobParameters={
    ...     "Type": "archive-retrieval", "ArchiveId": up["archiveId"], "Tier": "Expedited"})
    >>> glacier.describe_job(vaultName="logs-2025", jobId=job["jobId"])["StatusCode"]
    'InProgress'
    >>> cloud.clock.advance(minutes=5)
    >>> glacier.get_job_output(vaultName="logs-2025", jobId=job["jobId"])["body"].read()
    b'log lines'
    """

    service_name = "glacier"
    error_codes = ("ResourceNotFoundException", "InvalidParameterValueException", "MissingParameterValueException",
                   "LimitExceededException", "InsufficientCapacityException", "PolicyEnforcedException",
                   "RequestTimeoutException", "ServiceUnavailableException", "NoLongerSupportedException")
    paginators: ClassVar[dict] = {
        "list_vaults": ("marker", "Marker", "limit", ("VaultList",)),
        "list_jobs": ("marker", "Marker", "limit", ("JobList",)),
        "list_parts": ("marker", "Marker", "limit", ("Parts",)),
        "list_multipart_uploads": ("marker", "Marker", "limit", ("UploadsList",)),
    }
    waiters: ClassVar[dict] = {
        "vault_exists": ("_probe_vault", lambda r: r["exists"], 3, 15),
        "vault_not_exists": ("_probe_vault", lambda r: not r["exists"], 3, 15),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._glacier = self._region.glacier
        self._iso = self._cloud.clock.isoformat

    # -- plumbing ----------------------------------------------------------------------------
    def _svc(self, account: Any):
        check_type("accountId", account, str)
        if account not in ("-", self._cloud.account_id):
            if not (len(account) == 12 and account.isdigit()):
                raise InvalidParameter("InvalidParameterValueException",
                                       f"Invalid accountId {account!r}: '-' (your own account) or a 12-digit "
                                       "account id without hyphens.")
            raise AccessDenied("AccessDeniedException", f"Access to vaults of account {account} is not modelled; "
                               f"use accountId='-' or {self._cloud.account_id}.", status=403)
        return self._glacier

    def _probe_vault(self, vaultName: str, accountId: str = "-") -> dict:
        return {"exists": vaultName in self._glacier.vaults}

    @staticmethod
    def _limit(limit: Any) -> Any:
        if limit is not None and not isinstance(limit, (str, int)):
            raise ParamValidationError(f"Invalid type for parameter limit, value: {limit!r}, type: "
                                       f"{type(limit).__name__}, valid types: str")
        return 10 if limit is None else limit

    def _vault(self, v: Vault) -> dict[str, Any]:
        out: dict[str, Any] = {"VaultARN": v.arn, "VaultName": v.name, "CreationDate": self._iso(v.created),
                               "NumberOfArchives": v.number_of_archives, "SizeInBytes": v.size_in_bytes}
        if v.inventory is not None:
            out["LastInventoryDate"] = self._iso(v.inventory.date)
        return out

    def _location(self, v: Vault, kind: str, ident: str) -> str:
        return f"/{self._cloud.account_id}/vaults/{v.name}/{kind}/{ident}"

    @staticmethod
    def _policy_text(policy: Any, param: str = "policy") -> str:
        if not isinstance(policy, dict) or "Policy" not in policy:
            raise ParamValidationError(f'Missing required parameter in {param}: "Policy"')
        check_type(f"{param}.Policy", policy["Policy"], str)
        return policy["Policy"]

    # -- vaults ---------------------------------------------------------------------------------
    def create_vault(self, *, vaultName, accountId="-"):
        v = self._svc(accountId).create_vault(vaultName)
        return {"location": f"/{self._cloud.account_id}/vaults/{v.name}"}

    def describe_vault(self, *, vaultName, accountId="-"):
        return self._vault(self._svc(accountId).describe_vault(vaultName))

    def list_vaults(self, *, accountId="-", marker=None, limit=None):
        page, nxt = self._svc(accountId).list_vaults(marker=marker, limit=self._limit(limit))
        out: dict[str, Any] = {"VaultList": [self._vault(v) for v in page]}
        if nxt:
            out["Marker"] = nxt
        return out

    def delete_vault(self, *, vaultName, accountId="-"):
        self._svc(accountId).delete_vault(vaultName)
        return {}

    def add_tags_to_vault(self, *, vaultName, accountId="-", Tags=None):
        self._svc(accountId).add_tags_to_vault(vaultName, check_type("Tags", Tags or {}, dict))
        return {}

    def remove_tags_from_vault(self, *, vaultName, accountId="-", TagKeys=None):
        self._svc(accountId).remove_tags_from_vault(vaultName, check_type("TagKeys", TagKeys or [], list))
        return {}

    def list_tags_for_vault(self, *, vaultName, accountId="-"):
        return {"Tags": self._svc(accountId).list_tags_for_vault(vaultName)}

    def set_vault_notifications(self, *, vaultName, accountId="-", vaultNotificationConfig=None):
        cfg = check_type("vaultNotificationConfig", vaultNotificationConfig or {}, dict)
        self._svc(accountId).set_vault_notifications(vaultName, cfg.get("SNSTopic"), cfg.get("Events"))
        return {}

    def get_vault_notifications(self, *, vaultName, accountId="-"):
        return {"vaultNotificationConfig": self._svc(accountId).get_vault_notifications(vaultName)}

    def delete_vault_notifications(self, *, vaultName, accountId="-"):
        self._svc(accountId).delete_vault_notifications(vaultName)
        return {}

    # -- archives ---------------------------------------------------------------------------------
    def upload_archive(self, *, vaultName, accountId="-", archiveDescription=None, checksum=None,
                       body=None):
        a = self._svc(accountId).upload_archive(vaultName, body, description=archiveDescription, checksum=checksum)
        return {"location": self._location(a.vault, "archives", a.id), "checksum": a.tree_hash, "archiveId": a.id}

    def delete_archive(self, *, vaultName, archiveId, accountId="-"):
        self._svc(accountId).delete_archive(vaultName, archiveId)
        return {}

    def initiate_multipart_upload(self, *, vaultName, accountId="-", archiveDescription=None,
                                  partSize=None):
        if partSize is None:
            raise InvalidParameter("MissingParameterValueException", "partSize is required: a power of two MiB "
                                   "as a string, e.g. '1048576'.")
        up = self._svc(accountId).initiate_multipart_upload(vaultName, partSize, description=archiveDescription)
        return {"location": self._location(up.vault, "multipart-uploads", up.id), "uploadId": up.id}

    def upload_multipart_part(self, *, vaultName, uploadId, accountId="-", checksum=None, range=None,
                              body=None):
        digest = self._svc(accountId).upload_multipart_part(vaultName, uploadId, range, body, checksum=checksum)
        return {"checksum": digest}

    def complete_multipart_upload(self, *, vaultName, uploadId, accountId="-", archiveSize=None,
                                  checksum=None):
        if archiveSize is None or checksum is None:
            raise InvalidParameter("MissingParameterValueException", "CompleteMultipartUpload needs archiveSize "
                                   "and checksum (the tree hash of the whole archive).")
        a = self._svc(accountId).complete_multipart_upload(vaultName, uploadId, archiveSize, checksum)
        return {"location": self._location(a.vault, "archives", a.id), "checksum": a.tree_hash, "archiveId": a.id}

    def abort_multipart_upload(self, *, vaultName, uploadId, accountId="-"):
        self._svc(accountId).abort_multipart_upload(vaultName, uploadId)
        return {}

    def list_parts(self, *, vaultName, uploadId, accountId="-", marker=None, limit=None):
        up = self._svc(accountId).list_parts(vaultName, uploadId)
        starts = sorted(up.parts)
        first = 0
        if marker is not None:
            if not (isinstance(marker, str) and marker.isdigit() and int(marker) in starts):
                raise InvalidParameter("InvalidParameterValueException", f"Invalid marker {marker!r}: pass the "
                                       "Marker of the previous page unchanged.")
            first = starts.index(int(marker))
        n = self._glacier._limit(limit if limit is not None else 50, 50)
        page = starts[first:first + n]
        out: dict[str, Any] = {
            "MultipartUploadId": up.id, "VaultARN": up.vault.arn, "ArchiveDescription": up.description,
            "PartSizeInBytes": up.part_size, "CreationDate": self._iso(up.created),
            "Parts": [{"RangeInBytes": f"{s}-{s + len(up.parts[s][0]) - 1}", "SHA256TreeHash": up.parts[s][1]}
                      for s in page]}
        if first + n < len(starts):
            out["Marker"] = str(starts[first + n])
        return out

    def list_multipart_uploads(self, *, vaultName, accountId="-", marker=None, limit=None):
        uploads = self._svc(accountId).list_multipart_uploads(vaultName)
        ids = [u.id for u in uploads]
        first = 0
        if marker is not None:
            if marker not in ids:
                raise InvalidParameter("InvalidParameterValueException", f"Invalid marker {marker!r}: pass the "
                                       "Marker of the previous page unchanged.")
            first = ids.index(marker)
        n = self._glacier._limit(limit if limit is not None else 50, 50)
        out: dict[str, Any] = {"UploadsList": [
            {"MultipartUploadId": u.id, "VaultARN": u.vault.arn, "ArchiveDescription": u.description,
             "PartSizeInBytes": u.part_size, "CreationDate": self._iso(u.created)} for u in uploads[first:first + n]]}
        if first + n < len(uploads):
            out["Marker"] = ids[first + n]
        return out

    # -- jobs ------------------------------------------------------------------------------------
    def initiate_job(self, *, vaultName, accountId="-", jobParameters=None):
        p = check_type("jobParameters", jobParameters or {}, dict)
        known = {"Format", "Type", "ArchiveId", "Description", "SNSTopic", "RetrievalByteRange", "Tier",
                 "InventoryRetrievalParameters", "SelectParameters", "OutputLocation"}
        unknown = sorted(set(p) - known)
        if unknown:
            raise ParamValidationError(f'Unknown parameter in jobParameters: "{unknown[0]}", must be one of: '
                                       f'{", ".join(sorted(known))}')
        if p.get("Type") is None:
            raise InvalidParameter("MissingParameterValueException", "jobParameters needs Type: archive-retrieval, "
                                   "inventory-retrieval or select.")
        job = self._svc(accountId).initiate_job(
            vaultName, p["Type"], archive_id=p.get("ArchiveId"), tier=p.get("Tier"),
            byte_range=p.get("RetrievalByteRange"), description=p.get("Description"), sns_topic=p.get("SNSTopic"),
            format=p.get("Format"), inventory_params=p.get("InventoryRetrievalParameters"),
            select=p.get("SelectParameters"), output_location=p.get("OutputLocation"))
        out = {"location": self._location(job.vault, "jobs", job.id), "jobId": job.id}
        if job.output_path:
            out["jobOutputPath"] = job.output_path
        return out

    def _job(self, job: Job) -> dict[str, Any]:
        d: dict[str, Any] = {"JobId": job.id, "Action": job.action.value, "VaultARN": job.vault.arn,
                             "CreationDate": self._iso(job.created), "Completed": job.completed,
                             "StatusCode": job.status.value, "Tier": job.tier.value}
        if job.description is not None:
            d["JobDescription"] = job.description
        if job.sns_topic is not None:
            d["SNSTopic"] = job.sns_topic
        if job.status_message is not None:
            d["StatusMessage"] = job.status_message
        if job.completed_at is not None:
            d["CompletionDate"] = self._iso(job.completed_at)
        if job.archive is not None:
            size = job.archive.size
            d.update(ArchiveId=job.archive.id, ArchiveSizeInBytes=size, ArchiveSHA256TreeHash=job.archive.tree_hash)
        if job.action is JobAction.ARCHIVE_RETRIEVAL:
            start, end = job.byte_range or (0, job.archive.size - 1)
            d["RetrievalByteRange"] = f"{start}-{end}"
            if job.output_tree_hash is not None:
                d["SHA256TreeHash"] = job.output_tree_hash
        elif job.action is JobAction.INVENTORY_RETRIEVAL:
            params = dict(job.inventory_params or {})
            params.pop("Marker", None)
            if job.next_marker:
                params["Marker"] = job.next_marker
            d["InventoryRetrievalParameters"] = params
            if job.completed:
                d["InventorySizeInBytes"] = len(job.output or b"")
        else:
            d["SelectParameters"] = job.select[3]
            d["OutputLocation"] = job.output_location
            d["JobOutputPath"] = job.output_path
        return d

    def describe_job(self, *, vaultName, jobId, accountId="-"):
        return self._job(self._svc(accountId).describe_job(vaultName, jobId))

    def list_jobs(self, *, vaultName, accountId="-", limit=None, marker=None, statuscode=None,
                  completed=None):
        if completed is not None:
            check_type("completed", completed, str)
            if completed not in ("true", "false"):
                raise InvalidParameter("InvalidParameterValueException", f"Invalid completed {completed!r}: "
                                       "'true' or 'false'.")
        jobs, nxt = self._svc(accountId).list_jobs(
            vaultName, completed=None if completed is None else completed == "true", statuscode=statuscode,
            marker=marker, limit=50 if limit is None else self._limit(limit))
        out: dict[str, Any] = {"JobList": [self._job(j) for j in jobs]}
        if nxt:
            out["Marker"] = nxt
        return out

    def get_job_output(self, *, vaultName, jobId, accountId="-", range=None):
        o: JobOutput = self._svc(accountId).get_job_output(vaultName, jobId, range=range)
        out: dict[str, Any] = {"body": StreamingBody(o.body), "status": o.status, "acceptRanges": "bytes",
                               "contentType": o.content_type}
        if o.checksum is not None:
            out["checksum"] = o.checksum
        if o.content_range is not None:
            out["contentRange"] = o.content_range
        if o.archive_description is not None:
            out["archiveDescription"] = o.archive_description
        return out

    # -- policies and vault lock ------------------------------------------------------------------
    def set_vault_access_policy(self, *, vaultName, accountId="-", policy=None):
        self._svc(accountId).set_vault_access_policy(vaultName, self._policy_text(policy))
        return {}

    def get_vault_access_policy(self, *, vaultName, accountId="-"):
        return {"policy": {"Policy": self._svc(accountId).get_vault_access_policy(vaultName)}}

    def delete_vault_access_policy(self, *, vaultName, accountId="-"):
        self._svc(accountId).delete_vault_access_policy(vaultName)
        return {}

    def initiate_vault_lock(self, *, vaultName, accountId="-", policy=None):
        return {"lockId": self._svc(accountId).initiate_vault_lock(vaultName, self._policy_text(policy))}

    def complete_vault_lock(self, *, vaultName, lockId, accountId="-"):
        self._svc(accountId).complete_vault_lock(vaultName, lockId)
        return {}

    def abort_vault_lock(self, *, vaultName, accountId="-"):
        self._svc(accountId).abort_vault_lock(vaultName)
        return {}

    def get_vault_lock(self, *, vaultName, accountId="-"):
        lock = self._svc(accountId).get_vault_lock(vaultName)
        out = {"Policy": lock.policy.text, "State": lock.state.value, "CreationDate": self._iso(lock.created)}
        if lock.state is LockState.IN_PROGRESS and lock.expires is not None:
            out["ExpirationDate"] = self._iso(lock.expires)
        return out

    # -- provisioned capacity ---------------------------------------------------------------------
    def purchase_provisioned_capacity(self, *, accountId="-"):
        return {"capacityId": self._svc(accountId).purchase_provisioned_capacity().id}

    def list_provisioned_capacity(self, *, accountId="-"):
        return {"ProvisionedCapacityList": [
            {"CapacityId": c.id, "StartDate": self._iso(c.start), "ExpirationDate": self._iso(c.expires)}
            for c in self._svc(accountId).list_provisioned_capacity()]}
