"""GlacierService: the vaults of one account in one region (``cloud.glacier``).

Vault names are unique per account *per region*; the same name may exist in another region.
Archives are written once and never changed; what ``describe_vault`` reports comes from the
daily inventory, so it lags behind uploads and deletions by up to a day.
"""

from __future__ import annotations

import re
import string
from typing import Any

from ..core.errors import AccessDenied, AWSError, InvalidParameter, LimitExceeded, NotFound
from ..core.pricing import HOURS_PER_MONTH
from .jobs import _Jobs
from .records import (
    DAY,
    GB,
    MIB,
    OVERHEAD_GLACIER,
    OVERHEAD_S3,
    PRICES,
    Archive,
    Inventory,
    LockState,
    MultipartUpload,
    Vault,
    VaultLock,
)
from .treehash import chunk_hashes, combine, tree_hash

__all__ = ["MAX_SINGLE_UPLOAD", "TAGS_PER_VAULT", "VAULTS_PER_REGION", "GlacierService"]

#: AWS quotas: 1,000 vaults per account per region, 50 tags per vault.
VAULTS_PER_REGION = 1000
TAGS_PER_VAULT = 50
#: One UploadArchive request takes at most 4 GB; bigger archives go up in parts.
MAX_SINGLE_UPLOAD = 4 * GB
MAX_PARTS = 10_000
_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,255}")
_ID_CHARS = string.ascii_letters + string.digits + "-_"
_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\*|\d+)")
_NOTIFY_EVENTS = ("ArchiveRetrievalCompleted", "InventoryRetrievalCompleted")
_SNS_ARN = re.compile(r"arn:aws:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}")


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("InvalidParameterValueException", message)


def _bytes(body: Any) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    if body is None:
        return b""
    read = getattr(body, "read", None)
    if callable(read):
        data = read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    raise _invalid(f"An archive body is bytes, str or a file-like object, not {type(body).__name__}.")


def _check_description(description: Any) -> str:
    if description is None:
        return ""
    if not isinstance(description, str) or len(description) > 1024 or any(
            not (0x20 <= ord(c) <= 0x7E) for c in description):
        raise _invalid(f"Invalid archive description {description!r}: at most 1,024 printable ASCII characters "
                       "(codes 32-126, so no newlines or accents).")
    return description


class GlacierService(_Jobs):
    """Amazon S3 Glacier vaults (the original 2012 vault API) for one account in one region.

    AWS stopped accepting new customers for the vault API on 15 December 2025 and points
    newcomers to the S3 Glacier storage classes (``cloud.s3`` with ``storage_class=
    "GLACIER"``/``"DEEP_ARCHIVE"``/``"GLACIER_IR"``); existing vaults keep working.  awskit
    models both so the two designs can be compared.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=4)
    >>> vault = cloud.glacier.create_vault("tax-records")
    >>> a = cloud.glacier.upload_archive("tax-records", b"2025 return", description="2025.pdf")
    >>> len(a.id), cloud.glacier.describe_vault("tax-records").number_of_archives
    (138, 0)
    >>> cloud.clock.advance(days=1)              # the daily inventory catches up
    >>> cloud.glacier.describe_vault("tax-records").number_of_archives
    1
    """

    def __init__(self, cloud, region) -> None:
        self.cloud = cloud
        self.region = region.name if hasattr(region, "name") else str(region)
        self.vaults: dict[str, Vault] = {}
        self._meters: dict[str, Any] = {}
        self._requests: dict[tuple[str, str], Any] = {}
        _Jobs.__init__(self)

    # -- helpers ----------------------------------------------------------------
    def _new_id(self, n: int, alphabet: str = _ID_CHARS) -> str:
        rng = self.cloud.rng
        return "".join(rng.choice(alphabet) for _ in range(n))

    def vault(self, name: str | Vault) -> Vault:
        """The vault called ``name`` (ResourceNotFoundException lists the vaults there are)."""
        if isinstance(name, Vault):
            name = name.name
        v = self.vaults.get(name) if isinstance(name, str) else None
        if v is None:
            if not isinstance(name, str):
                raise _invalid(f"A vault name is a string, not {name!r}.")
            known = ", ".join(sorted(self.vaults)[:20]) or "none yet"
            raise NotFound("ResourceNotFoundException",
                           f"Vault not found for ARN: {self._arn(name)}. Vaults in {self.region}: {known}.",
                           status=404)
        return v

    def _arn(self, name: str) -> str:
        return self.cloud.arn("glacier", f"vaults/{name}", self.region)

    def _authorize(self, vault: Vault, action: str, context: dict | None = None) -> None:
        """IAM policies of the caller plus the vault's access and lock policies decide.

        A Deny in a vault policy binds everyone, the account's root user included.
        """
        self.cloud.authorize(f"glacier:{action}", vault.arn, context, resource_policy=self._resource_policy(vault),
                             code="AccessDeniedException")

    def _resource_policy(self, vault: Vault) -> Any:
        if vault.access_policy is None and vault.lock is None:
            return None
        if vault._combined is None:
            from ..iam.policy import PolicyKind, parse_policy

            statements: list[dict] = []
            sids: set[str] = set()
            for source, policy in (("access", vault.access_policy), ("lock", vault.lock and vault.lock.policy)):
                if policy is None:
                    continue
                raw = policy.document["Statement"]
                for st in raw if isinstance(raw, list) else [raw]:
                    st = dict(st)
                    if st.get("Sid") in sids:
                        st["Sid"] = f"{source}-{st['Sid']}"
                    if st.get("Sid"):
                        sids.add(st["Sid"])
                    statements.append(st)
            vault._combined = parse_policy({"Version": "2012-10-17", "Statement": statements}, PolicyKind.RESOURCE,
                                           strict_version=False)
        return vault._combined

    # -- vaults -------------------------------------------------------------------------
    def create_vault(self, name: str) -> Vault:
        """Create a vault (creating one that exists returns it: the call is idempotent).

        Raises: InvalidParameterValueException (name), LimitExceededException (1,000 per region).
        """
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise _invalid(f"Invalid vault name {name!r}: 1 to 255 characters from a-z, A-Z, 0-9, "
                           "'_' (underscore), '-' (hyphen) and '.' (period).")
        existing = self.vaults.get(name)
        if existing is not None:
            return existing
        if len(self.vaults) >= VAULTS_PER_REGION:
            raise LimitExceeded("LimitExceededException", f"An account can have {VAULTS_PER_REGION} vaults per "
                                f"region; {self.region} has {len(self.vaults)}. Delete an empty vault first.")
        self.cloud.authorize("glacier:CreateVault", self._arn(name), code="AccessDeniedException")
        now = self.cloud.clock.now
        vault = Vault(name=name, region=self.region, account_id=self.cloud.account_id, arn=self._arn(name),
                      created=now)
        # Glacier takes stock of each vault about once a day.
        vault.timer = self.cloud.clock.every(DAY, lambda: self._take_inventory(vault), name=f"glacier inventory {name}")
        self.vaults[name] = vault
        self.cloud.events.publish("glacier.vault.created", vault=name, region=self.region)
        return vault

    def describe_vault(self, name: str | Vault) -> Vault:
        """The vault, whose ``number_of_archives``/``size_in_bytes`` are as of the last inventory."""
        v = self.vault(name)
        self._authorize(v, "DescribeVault")
        return v

    def list_vaults(self, *, marker: str | None = None, limit: int = 10) -> tuple[list[Vault], str | None]:
        """Vaults sorted by name, a page at a time; the marker is the ARN to continue after."""
        self.cloud.authorize("glacier:ListVaults", "*", code="AccessDeniedException")
        limit = self._limit(limit)
        names = sorted(self.vaults)
        start = 0
        if marker is not None:
            arns = [self.vaults[n].arn for n in names]
            if marker not in arns:
                raise _invalid(f"Invalid marker {marker!r}: pass the Marker of the previous page unchanged.")
            start = arns.index(marker)
        page = [self.vaults[n] for n in names[start:start + limit]]
        nxt = self.vaults[names[start + limit]].arn if start + limit < len(names) else None
        return page, nxt

    @staticmethod
    def _limit(limit: Any, maximum: int = 1000) -> int:
        if isinstance(limit, str) and limit.isdigit():
            limit = int(limit)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= maximum:
            raise _invalid(f"Invalid limit {limit!r}: a whole number from 1 to {maximum}.")
        return limit

    def delete_vault(self, name: str | Vault) -> None:
        """Delete a vault that was empty at the last inventory and has not been written to since."""
        v = self.vault(name)
        self._authorize(v, "DeleteVault")
        if v.number_of_archives or v.written_since_inventory:
            why = (f"the last inventory ({self.cloud.clock.isoformat(v.inventory.date)}) lists "
                   f"{v.number_of_archives} archive(s)" if v.number_of_archives else
                   "archives were uploaded or deleted after the last inventory")
            raise _invalid(f"Vault not empty or recently written to: {v.arn}: {why}. Delete every archive, then "
                           "wait for the next daily inventory (advance the clock a day) before deleting the vault.")
        v.timer.cancel()
        if v.lock is not None and v.lock.timer is not None:
            v.lock.timer.cancel()
        self.cloud.bill.stop_meter(self._meters.pop(v.name, None))
        del self.vaults[v.name]
        self.cloud.events.publish("glacier.vault.deleted", vault=v.name, region=self.region)

    def _take_inventory(self, vault: Vault) -> None:
        """The daily inventory: skipped when nothing was added or deleted since the last one."""
        if not vault.written_since_inventory:
            return
        vault.written_since_inventory = False
        vault.inventory = Inventory(date=self.cloud.clock.now, archives=[
            (a.id, a.description, a.created, a.size, a.tree_hash) for a in vault.archives.values()])
        self.cloud.events.publish("glacier.vault.inventory", vault=vault.name, archives=vault.inventory.count,
                                  size=vault.inventory.size)

    # -- tags and notifications -----------------------------------------------------------
    def add_tags_to_vault(self, name: str | Vault, tags: dict[str, str]) -> None:
        v = self.vault(name)
        self._authorize(v, "AddTagsToVault")
        if not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(x, str) for k, x in tags.items()):
            raise _invalid(f"Tags are a dict of strings, not {tags!r}.")
        for k, x in tags.items():
            if not 1 <= len(k) <= 128 or len(x) > 256 or k.lower().startswith("aws:"):
                raise _invalid(f"Invalid tag {k!r}={x!r}: keys 1-128 characters (not starting with aws:), "
                               "values up to 256.")
        if len({*v.tags, *tags}) > TAGS_PER_VAULT:
            raise LimitExceeded("LimitExceededException", f"A vault has at most {TAGS_PER_VAULT} tags; "
                                f"{v.name} would have {len({*v.tags, *tags})}.")
        v.tags.update(tags)

    def remove_tags_from_vault(self, name: str | Vault, keys: list[str]) -> None:
        v = self.vault(name)
        self._authorize(v, "RemoveTagsFromVault")
        for k in keys or []:
            v.tags.pop(k, None)

    def list_tags_for_vault(self, name: str | Vault) -> dict[str, str]:
        v = self.vault(name)
        self._authorize(v, "ListTagsForVault")
        return dict(v.tags)

    def set_vault_notifications(self, name: str | Vault, sns_topic: str, events: list[str]) -> None:
        """Ask Glacier to announce finished jobs on an SNS topic (awskit publishes
        ``glacier.job.completed`` on ``cloud.events`` with the topic in the message)."""
        v = self.vault(name)
        self._authorize(v, "SetVaultNotifications")
        if not isinstance(sns_topic, str) or not _SNS_ARN.fullmatch(sns_topic):
            raise _invalid(f"Invalid SNSTopic {sns_topic!r}: an SNS topic ARN such as "
                           f"arn:aws:sns:{self.region}:{self.cloud.account_id}:archive-jobs.")
        if not isinstance(events, list) or not events or any(e not in _NOTIFY_EVENTS for e in events):
            raise _invalid(f"Invalid Events {events!r}: a list of {', '.join(_NOTIFY_EVENTS)}.")
        v.notifications = {"SNSTopic": sns_topic, "Events": list(events)}

    def get_vault_notifications(self, name: str | Vault) -> dict[str, Any]:
        v = self.vault(name)
        self._authorize(v, "GetVaultNotifications")
        if v.notifications is None:
            raise NotFound("ResourceNotFoundException", f"No notification configuration is set for the vault: "
                           f"{v.arn}. Set one with set_vault_notifications.", status=404)
        return dict(v.notifications)

    def delete_vault_notifications(self, name: str | Vault) -> None:
        v = self.vault(name)
        self._authorize(v, "DeleteVaultNotifications")
        v.notifications = None

    # -- archives ---------------------------------------------------------------------------
    def upload_archive(self, vault: str | Vault, body: Any, *, description: str | None = None,
                       checksum: str | None = None) -> Archive:
        """Store ``body`` as a new archive; ``checksum`` (the tree hash) is verified when given.

        Raises: InvalidParameterValueException (checksum mismatch, body over 4 GB, description),
        ResourceNotFoundException (vault).
        """
        v = self.vault(vault)
        self._authorize(v, "UploadArchive")
        data = _bytes(body)
        description = _check_description(description)
        if len(data) > MAX_SINGLE_UPLOAD:
            raise _invalid(f"An UploadArchive request carries at most 4 GB; this body has {len(data)} bytes. "
                           "Use a multipart upload.")
        digest = tree_hash(data)
        self._check_checksum(checksum, digest, "archive")
        self._request(v, "upload")
        return self._add_archive(v, data, description, digest)

    @staticmethod
    def _check_checksum(given: str | None, actual: str, what: str) -> None:
        if given is not None and (not isinstance(given, str) or given.lower() != actual):
            raise _invalid(f"Checksum mismatch: the {what}'s SHA-256 tree hash is {actual}, but the request says "
                           f"{given!r}. Compute it with awskit.glacier.treehash.tree_hash(data).")

    def _add_archive(self, v: Vault, data: bytes, description: str, digest: str) -> Archive:
        archive = Archive(id=self._new_id(138), description=description, data=data, tree_hash=digest,
                          created=self.cloud.clock.now, vault=v)
        v.archives[archive.id] = archive
        v.written_since_inventory = True
        self._bill_storage(v)
        self.cloud.events.publish("glacier.archive.uploaded", vault=v.name, archive_id=archive.id, size=archive.size)
        return archive

    def archive_location(self, archive: Archive) -> str:
        if not isinstance(archive, Archive):
            raise InvalidParameter("InvalidParameterValueException", f"{archive!r:.60} is not an archive: pass the "
                                   "object upload_archive returned.")
        return f"/{self.cloud.account_id}/vaults/{archive.vault.name}/archives/{archive.id}"

    def _archive(self, v: Vault, archive_id: Any) -> Archive:
        a = v.archives.get(archive_id) if isinstance(archive_id, str) else None
        if a is None:
            if isinstance(archive_id, Archive) and archive_id.vault is v and archive_id.id in v.archives:
                return archive_id
            raise NotFound("ResourceNotFoundException", f"Archive not found for ArchiveId: {archive_id!r} in vault "
                           f"{v.name}. Archive ids come from upload_archive or an inventory retrieval.", status=404)
        return a

    def delete_archive(self, vault: str | Vault, archive_id: str | Archive) -> None:
        """Delete an archive (a vault policy may forbid it, e.g. until it is N days old).

        The request carries the condition key ``glacier:ArchiveAgeInDays``.  Deleting before 90
        days bills the rest of the 90-day minimum.
        """
        v = self.vault(vault)
        a = self._archive(v, archive_id.id if isinstance(archive_id, Archive) else archive_id)
        age_days = int((self.cloud.clock.now - a.created) // DAY)
        self._authorize(v, "DeleteArchive", {"glacier:ArchiveAgeInDays": age_days})
        del v.archives[a.id]
        v.written_since_inventory = True
        self._bill_storage(v)
        min_days = PRICES["minimum_storage_days"]
        age = (self.cloud.clock.now - a.created) / DAY
        if age < min_days:
            gb = (a.size + OVERHEAD_GLACIER) / GB
            self.cloud.bill.charge("glacier", v.name, "early delete (90-day minimum)",
                                   (min_days - age) / (HOURS_PER_MONTH / 24) * gb * PRICES["storage_gb_month"])
        self.cloud.events.publish("glacier.archive.deleted", vault=v.name, archive_id=a.id)

    # -- multipart uploads -------------------------------------------------------------------
    def initiate_multipart_upload(self, vault: str | Vault, part_size: int, *,
                                  description: str | None = None) -> MultipartUpload:
        """Start an upload in parts of ``part_size`` bytes: a power of two MiB, 1 MiB to 4 GiB."""
        v = self.vault(vault)
        self._authorize(v, "InitiateMultipartUpload")
        if isinstance(part_size, str) and part_size.isdigit():
            part_size = int(part_size)
        ok = isinstance(part_size, int) and not isinstance(part_size, bool) and MIB <= part_size <= 4 * GB \
            and part_size % MIB == 0 and ((part_size // MIB) & (part_size // MIB - 1)) == 0
        if not ok:
            raise _invalid(f"Invalid part size {part_size!r}: a power of two megabytes from 1 MiB (1048576) to "
                           "4 GiB (4294967296), e.g. 1048576, 2097152, 4194304, 8388608.")
        upload = MultipartUpload(id=self._new_id(92), description=_check_description(description),
                                 part_size=part_size, created=self.cloud.clock.now, vault=v)
        v.uploads[upload.id] = upload
        self._request(v, "upload")
        return upload

    def _upload(self, v: Vault, upload_id: Any) -> MultipartUpload:
        up = v.uploads.get(upload_id) if isinstance(upload_id, str) else None
        if up is None:
            raise NotFound("ResourceNotFoundException", f"Multipart upload not found for upload id {upload_id!r} "
                           f"in vault {v.name} (it was completed, aborted, or never started).", status=404)
        return up

    def upload_multipart_part(self, vault: str | Vault, upload_id: str, range: str, body: Any, *,
                              checksum: str | None = None) -> str:
        """Upload one part; ``range`` is ``"bytes START-END/*"``.  Returns the part's tree hash."""
        v = self.vault(vault)
        self._authorize(v, "UploadMultipartPart")
        up = self._upload(v, upload_id)
        data = _bytes(body)
        m = _RANGE.fullmatch(range) if isinstance(range, str) else None
        if m is None:
            raise _invalid(f"Invalid Content-Range {range!r}: write it as 'bytes 0-1048575/*'.")
        start, end = int(m.group(1)), int(m.group(2))
        if start % up.part_size or end < start or end - start + 1 > up.part_size:
            raise _invalid(f"Content-Range {range!r} does not fit the part size {up.part_size}: a part starts at "
                           f"a multiple of the part size and is exactly that long (only the last may be shorter).")
        if end - start + 1 != len(data):
            raise _invalid(f"Content-Range {range!r} covers {end - start + 1} bytes but the body has {len(data)}.")
        if len(up.parts) >= MAX_PARTS and start not in up.parts:
            raise _invalid(f"A multipart upload has at most {MAX_PARTS} parts.")
        digest = tree_hash(data)
        self._check_checksum(checksum, digest, "part")
        up.parts[start] = (data, digest)  # uploading the same range again replaces the part
        self._request(v, "upload")
        return digest

    def complete_multipart_upload(self, vault: str | Vault, upload_id: str, archive_size: int, checksum: str
                                  ) -> Archive:
        """Assemble the parts into one archive; ``checksum`` is the whole archive's tree hash."""
        v = self.vault(vault)
        self._authorize(v, "CompleteMultipartUpload")
        up = self._upload(v, upload_id)
        if isinstance(archive_size, str) and archive_size.isdigit():
            archive_size = int(archive_size)
        if not isinstance(archive_size, int) or isinstance(archive_size, bool) or archive_size < 0:
            raise _invalid(f"Invalid archiveSize {archive_size!r}: the archive's total size in bytes.")
        pos, pieces = 0, []
        for start in sorted(up.parts):
            if start != pos:
                raise _invalid(f"The parts do not cover the archive: bytes {pos}-{start - 1} were never uploaded.")
            data = up.parts[start][0]
            if len(data) != up.part_size and pos + len(data) != archive_size:
                raise _invalid(f"Only the last part may be shorter than the part size ({up.part_size}); the part "
                               f"at byte {start} has {len(data)} bytes.")
            pieces.append(data)
            pos += len(data)
        if pos != archive_size:
            raise _invalid(f"archiveSize says {archive_size} bytes but the uploaded parts add up to {pos}.")
        data = b"".join(pieces)
        # Each part is whole 1 MiB chunks, so the chunk digests simply line up.
        digest = combine([h for start in sorted(up.parts) for h in chunk_hashes(up.parts[start][0])]).hex() \
            if data else tree_hash(b"")
        self._check_checksum(checksum, digest, "archive")
        del v.uploads[up.id]
        self._request(v, "upload")
        return self._add_archive(v, data, up.description, digest)

    def abort_multipart_upload(self, vault: str | Vault, upload_id: str) -> None:
        v = self.vault(vault)
        self._authorize(v, "AbortMultipartUpload")
        del v.uploads[self._upload(v, upload_id).id]

    def list_parts(self, vault: str | Vault, upload_id: str) -> MultipartUpload:
        v = self.vault(vault)
        self._authorize(v, "ListParts")
        return self._upload(v, upload_id)

    def list_multipart_uploads(self, vault: str | Vault) -> list[MultipartUpload]:
        v = self.vault(vault)
        self._authorize(v, "ListMultipartUploads")
        return sorted(v.uploads.values(), key=lambda u: (u.created, u.id))

    # -- access policies and vault lock ------------------------------------------------------------
    def _parse_policy(self, policy: Any) -> Any:
        from ..iam.policy import PolicyKind, parse_policy

        try:
            return parse_policy(policy, PolicyKind.RESOURCE, strict_version=False)
        except AWSError as err:
            raise _invalid(f"Invalid vault policy: {err.message}") from None

    def set_vault_access_policy(self, vault: str | Vault, policy: Any) -> None:
        """Attach (or replace) the vault's access policy, a resource-based policy."""
        v = self.vault(vault)
        self._authorize(v, "SetVaultAccessPolicy")
        v.access_policy = self._parse_policy(policy)
        v._combined = None

    def get_vault_access_policy(self, vault: str | Vault) -> str:
        v = self.vault(vault)
        self._authorize(v, "GetVaultAccessPolicy")
        if v.access_policy is None:
            raise NotFound("ResourceNotFoundException", f"No vault access policy is set for: {v.arn}.", status=404)
        return v.access_policy.text

    def delete_vault_access_policy(self, vault: str | Vault) -> None:
        """Remove the access policy (idempotent; the lock policy is separate and untouched)."""
        v = self.vault(vault)
        self._authorize(v, "DeleteVaultAccessPolicy")
        v.access_policy = None
        v._combined = None

    def initiate_vault_lock(self, vault: str | Vault, policy: Any) -> str:
        """Install a lock policy in the InProgress state for 24 hours; returns the lock id.

        While InProgress the policy is enforced, so you can test it; complete_vault_lock makes
        it permanent, abort_vault_lock (or 24 hours passing) removes it.
        """
        v = self.vault(vault)
        self._authorize(v, "InitiateVaultLock")
        if v.lock is not None:
            what = ("is Locked: a locked vault's policy can never be replaced" if v.lock.state is LockState.LOCKED
                    else "is already InProgress: call abort_vault_lock first to start over")
            raise AccessDenied("AccessDeniedException", f"The vault lock of {v.arn} {what}.", status=403)
        parsed = self._parse_policy(policy)
        now = self.cloud.clock.now
        lock = VaultLock(lock_id=self._new_id(24, string.ascii_letters + string.digits), policy=parsed,
                         state=LockState.IN_PROGRESS, created=now, expires=now + DAY)
        lock.timer = self.cloud.clock.at(now + DAY, lambda: self._expire_lock(v, lock), name="glacier lock expiry")
        v.lock = lock
        v._combined = None
        return lock.lock_id

    def _expire_lock(self, v: Vault, lock: VaultLock) -> None:
        if v.lock is lock and lock.state is LockState.IN_PROGRESS:
            v.lock = None
            v._combined = None
            self.cloud.events.publish("glacier.vault_lock.expired", vault=v.name)

    def complete_vault_lock(self, vault: str | Vault, lock_id: str) -> None:
        """Make the InProgress lock permanent (idempotent with the same lock id)."""
        v = self.vault(vault)
        self._authorize(v, "CompleteVaultLock")
        lock = v.lock
        if lock is None:
            raise _invalid(f"There is no vault lock in progress for {v.arn}: call initiate_vault_lock first "
                           "(an unfinished lock expires after 24 hours).")
        if lock.state is LockState.LOCKED:
            if lock_id != lock.lock_id:
                raise AccessDenied("AccessDeniedException", f"The vault {v.name} is already Locked with another "
                                   "lock id.", status=403)
            return
        if lock_id != lock.lock_id:
            raise _invalid(f"Invalid lock id {lock_id!r} for {v.arn}: use the lockId initiate_vault_lock returned.")
        lock.state, lock.expires = LockState.LOCKED, None
        lock.timer.cancel()
        self.cloud.events.publish("glacier.vault_lock.locked", vault=v.name)

    def abort_vault_lock(self, vault: str | Vault) -> None:
        """Remove an InProgress lock (idempotent); a Locked one cannot be removed."""
        v = self.vault(vault)
        self._authorize(v, "AbortVaultLock")
        if v.lock is not None and v.lock.state is LockState.LOCKED:
            raise AccessDenied("AccessDeniedException", f"The vault lock of {v.arn} is Locked: it can never be "
                               "aborted, changed or deleted.", status=403)
        if v.lock is not None:
            v.lock.timer.cancel()
        v.lock = None
        v._combined = None

    def get_vault_lock(self, vault: str | Vault) -> VaultLock:
        v = self.vault(vault)
        self._authorize(v, "GetVaultLock")
        if v.lock is None:
            raise NotFound("ResourceNotFoundException", f"No vault lock policy is set for: {v.arn}.", status=404)
        return v.lock

    # -- billing ------------------------------------------------------------------------------
    def _bill_storage(self, v: Vault) -> None:
        n = len(v.archives)
        data = sum(a.size for a in v.archives.values()) + n * OVERHEAD_GLACIER
        rate = data / GB * PRICES["storage_gb_month"] + n * OVERHEAD_S3 / GB * PRICES["s3_standard_gb_month"]
        meter = self._meters.get(v.name)
        if meter is not None and meter.start == self.cloud.clock.now and meter.end is None:
            meter.rate = rate
            return
        self.cloud.bill.stop_meter(meter)
        self._meters[v.name] = self.cloud.bill.start_meter("glacier", v.name, "vault storage (GB-month)", monthly=rate)

    def _request(self, v: Vault, kind: str, price_per_1000: float | None = None) -> None:
        price = PRICES["upload_per_1000"] if price_per_1000 is None else price_per_1000
        key = (v.name, kind)
        item = self._requests.get(key)
        if item is None:
            item = self._requests[key] = self.cloud.bill.charge("glacier", v.name, f"{kind} requests", 0.0)
        item.amount += price / 1000

    def __repr__(self) -> str:
        return f"GlacierService({self.region!r}, vaults={len(self.vaults)})"

