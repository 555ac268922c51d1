"""Chapter 9 widget: a small S3 console to browse buckets as if they had folders.

S3 has no folders: a bucket holds keys such as ``img/2024/logo.png``.  The browser lists one
"level" at a time with ``list_objects_v2(Delimiter="/", Prefix=...)``: the keys that continue
past the next ``/`` come back folded into *common prefixes* (shown as folders), the others
as objects with their size, storage class, last-modified time and ETag.  Upload, move
(a copy and then a delete, since S3 has no rename) and delete go through the same calls a
script would make; a refused request (``BucketNotEmpty``, ``NoSuchKey``, ...) is shown in
the status line.  The view listens to ``s3.*`` events, so a bucket or object created in
another cell appears at once.
"""

from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as widgets

from ..core.errors import InvalidParameter, NotFound
from ._base import Dashboard

__all__ = ["S3Browser"]

_NO_BUCKET = "(no buckets yet)"


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


class S3Browser(Dashboard):
    """Browse, upload, move and delete objects of this account's buckets.

    Args:
        cloud: the awskit Cloud (the browser acts as its account).
        bucket: the bucket to open first (default: the first one by name).

    What is shown is readable without a browser: ``bucket`` and ``prefix`` (where you are),
    ``rows`` (one dict per folder or object of the listing), ``access`` (the public/private
    verdict and why) and ``last_error`` (the last refused request).

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> _ = cloud.s3.create_bucket("browse-demo")
    >>> _ = cloud.s3.put_object("browse-demo", "img/logo.png", b"png")
    >>> browser = S3Browser(cloud)
    >>> [(r["type"], r["name"]) for r in browser.rows]
    [('folder', 'img/')]
    >>> browser.open_folder("img/"); [(r["type"], r["key"]) for r in browser.rows]
    [('object', 'img/logo.png')]
    >>> browser.close()
    """

    topics = ("s3.*",)

    def __init__(self, cloud, bucket: str | None = None) -> None:
        super().__init__(cloud)
        self._ready = False
        self._client = cloud.client("s3")
        self.prefix = ""
        self.rows: list[dict[str, Any]] = []
        self.access: dict[str, Any] = {}
        self.refresh_count = 0
        self.last_refresh_ms = 0.0
        self._quiet = False
        narrow = widgets.Layout(width="330px")
        self.bucket_choice = widgets.Dropdown(description="Bucket", layout=narrow)
        self.breadcrumb = widgets.HTML()
        self.up_button = widgets.Button(description="Up", icon="arrow-up", layout=widgets.Layout(width="70px"),
                                        tooltip="go to the parent prefix")
        self.folders = widgets.Select(description="Folders", rows=4, layout=narrow)
        self.listing = widgets.HTML()
        self.access_line = widgets.HTML()
        # upload
        self.new_key = widgets.Text(description="Key", placeholder="notes/today.txt", layout=narrow)
        self.content = widgets.Textarea(description="Content", placeholder="text to store",
                                        layout=widgets.Layout(width="330px", height="60px"))
        self.upload_button = widgets.Button(description="Upload", icon="upload", button_style="primary")
        # acting on one object
        self.selected = widgets.Dropdown(description="Object", layout=narrow)
        self.move_bucket = widgets.Dropdown(description="To bucket", layout=narrow)
        self.move_key = widgets.Text(description="To key", placeholder="archive/today.txt", layout=narrow)
        self.move_button = widgets.Button(description="Move", icon="arrow-right",
                                          tooltip="copy to the new key, then delete the original")
        self.delete_button = widgets.Button(description="Delete object", icon="trash", button_style="warning")
        self.delete_bucket_button = widgets.Button(description="Delete bucket", icon="trash",
                                                   button_style="danger")
        self.root = widgets.VBox([
            widgets.HTML("<b>S3 browser</b>: folders are key prefixes up to a <code>/</code>"),
            widgets.HBox([self.bucket_choice, self.up_button]), self.breadcrumb, self.access_line,
            self.folders, self.listing,
            widgets.HTML("<b>Upload</b> a text object"), self.new_key, self.content, self.upload_button,
            widgets.HTML("<b>Move or delete</b> an object (a move is a copy plus a delete)"),
            self.selected, self.move_bucket, self.move_key,
            widgets.HBox([self.move_button, self.delete_button, self.delete_bucket_button]),
            self.status, self.output])
        self.bucket_choice.observe(self.guard(self._on_bucket), names="value")
        self.folders.observe(self.guard(self._on_folder), names="value")
        self.selected.observe(self.guard(self._on_selected), names="value")
        self.up_button.on_click(self.guard(lambda _b: self.go_up()))
        self.upload_button.on_click(self.guard(lambda _b: self.upload()))
        self.move_button.on_click(self.guard(lambda _b: self.move()))
        self.delete_button.on_click(self.guard(lambda _b: self.delete()))
        self.delete_bucket_button.on_click(self.guard(lambda _b: self.delete_bucket()))
        self._fill_buckets(prefer=bucket)
        self._ready = True
        self.refresh()

    # -- where we are ---------------------------------------------------------------------
    @property
    def bucket(self) -> str | None:
        """The bucket being browsed (None when the account has none)."""
        value = self.bucket_choice.value
        return None if value in (None, _NO_BUCKET) else value

    def _bucket_names(self) -> list[str]:
        return [b.name for b in self.cloud.s3.list_buckets()]

    def _fill_buckets(self, prefer: str | None = None) -> None:
        names = self._bucket_names()
        if prefer is not None and prefer not in names:
            raise NotFound("NoSuchBucket", f"There is no bucket {prefer!r} in account "
                                   f"{self.cloud.account_id}. Buckets: {', '.join(names) or 'none'}.")
        keep = prefer if prefer is not None else self.bucket
        self._quiet = True
        try:
            self.bucket_choice.options = names or [_NO_BUCKET]
            self.move_bucket.options = names
            if keep in names:
                self.bucket_choice.value = keep
            else:
                self.bucket_choice.value = names[0] if names else _NO_BUCKET
                self.prefix = ""
            if self.bucket is not None and self.move_bucket.value is None:
                self.move_bucket.value = self.bucket
        finally:
            self._quiet = False

    def open_folder(self, prefix: str) -> None:
        """Show the level under ``prefix`` (a folder's full prefix such as ``"img/2024/"``)."""
        if not isinstance(prefix, str) or (prefix and not prefix.endswith("/")):
            raise InvalidParameter("InvalidArgument", f"A folder is a prefix ending in '/', such as 'img/', "
                                   f"not {prefix!r}.")
        self.prefix = prefix
        self.refresh()

    def go_up(self) -> None:
        """Go to the parent prefix (``"img/2024/"`` -> ``"img/"``)."""
        if self.prefix:
            parent = self.prefix[:-1].rpartition("/")[0]
            self.open_folder(parent + "/" if parent else "")

    # -- reading the bucket --------------------------------------------------------------------
    def _list(self) -> tuple[list[str], list[dict]]:
        """Every common prefix and object of the current level (all pages)."""
        prefixes: list[str] = []
        contents: list[dict] = []
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix, "Delimiter": "/"}
        while True:
            page = self._client.list_objects_v2(**kwargs)
            prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
            contents += page.get("Contents", [])
            if not page.get("IsTruncated"):
                return prefixes, contents
            kwargs["ContinuationToken"] = page["NextContinuationToken"]

    def refresh(self) -> None:
        """Read the current level and the bucket's access settings again, and redraw."""
        start = time.perf_counter()
        rows: list[dict[str, Any]] = []
        if self.bucket is not None:
            prefixes, contents = self._list()
            cut = len(self.prefix)
            rows = [{"type": "folder", "name": p[cut:], "key": p} for p in prefixes]
            rows += [{"type": "object", "name": o["Key"][cut:], "key": o["Key"], "size": o["Size"],
                      "storage_class": o["StorageClass"], "last_modified": o["LastModified"],
                      "etag": o["ETag"]} for o in contents]
        self.rows = rows
        self.access = self._access()
        self._draw()
        self.refresh_count += 1
        self.last_refresh_ms = (time.perf_counter() - start) * 1000

    def _access(self) -> dict[str, Any]:
        if self.bucket is None:
            return {}
        s3 = self.cloud.s3
        b = s3.bucket(self.bucket)
        pab = b.public_access_block
        blocks = pab.to_dict() if pab is not None else {}
        return {"public": s3.is_public(b), "block_public_access": blocks, "policy": b.policy is not None,
                "website": b.website is not None}

    # -- drawing ------------------------------------------------------------------------------
    def _draw(self) -> None:
        name = self.bucket
        if name is None:
            self.breadcrumb.value = "<i>This account has no buckets: create one with cloud.s3.create_bucket().</i>"
            self.listing.value = self.access_line.value = ""
            self._set_options(self.folders, [])
            self._set_options(self.selected, [])
            return
        parts = [p for p in self.prefix.split("/") if p]
        trail = " / ".join([f"<b>s3://{html.escape(name)}</b>"] + [html.escape(p) for p in parts])
        self.breadcrumb.value = f"<div style='padding:2px 0'>{trail} /</div>"
        self._set_options(self.folders, [(r["name"], r["key"]) for r in self.rows if r["type"] == "folder"])
        self._set_options(self.selected, [(r["name"], r["key"]) for r in self.rows if r["type"] == "object"])
        self.listing.value = self._table_html()
        self.access_line.value = self._access_html()

    def _set_options(self, control: widgets.Widget, options: list[tuple[str, str]]) -> None:
        self._quiet = True
        try:
            keep = control.value
            control.options = options
            values = [v for _, v in options]
            control.value = keep if keep in values else (None if isinstance(control, widgets.Select)
                                                         or not values else values[0])
        finally:
            self._quiet = False

    def _table_html(self) -> str:
        if not self.rows:
            where = f"under <code>{html.escape(self.prefix)}</code>" if self.prefix else "in this bucket"
            return f"<p><i>No objects {where}.</i></p>"
        head = ("<tr><th style='text-align:left'>Name</th><th>Size</th><th>Storage class</th>"
                "<th>Last modified (UTC)</th><th>ETag</th></tr>")
        body = []
        for r in self.rows:
            if r["type"] == "folder":
                body.append(f"<tr><td>&#128193; {html.escape(r['name'])}</td><td></td><td></td><td></td>"
                            "<td></td></tr>")
            else:
                body.append(f"<tr><td>{html.escape(r['name'])}</td><td>{_size(r['size'])}</td>"
                            f"<td>{r['storage_class']}</td><td>{r['last_modified']:%Y-%m-%d %H:%M:%S}</td>"
                            f"<td><code>{html.escape(r['etag'])}</code></td></tr>")
        return f"<table>{head}{''.join(body)}</table>"

    def _access_html(self) -> str:
        a = self.access
        blocks = a["block_public_access"]
        on = [k for k, v in blocks.items() if v]
        bpa = ("Block Public Access: all four settings on" if len(on) == 4 else
               "Block Public Access: off" if not on else f"Block Public Access: only {', '.join(on)}")
        policy = "a bucket policy" if a["policy"] else "no bucket policy"
        site = "; website hosting on" if a["website"] else ""
        if a["public"]:
            badge = "<b style='color:#cf222e'>PUBLIC</b>: anyone on the internet can read objects"
        else:
            badge = "<b style='color:#1a7f37'>PRIVATE</b>: only this account (and whom a policy names) can read"
        return f"<div style='padding:2px 0'>{badge} &middot; {bpa}; {policy}{site}</div>"

    # -- actions ------------------------------------------------------------------------------------
    def _need_bucket(self) -> str:
        if self.bucket is None:
            raise NotFound("NoSuchBucket", "There is no bucket to act on: create one first.")
        return self.bucket

    def upload(self, key: str | None = None, text: str | None = None) -> None:
        """Store ``text`` (default: the Content box) under ``key`` (default: the Key box)."""
        bucket = self._need_bucket()
        key = self.new_key.value if key is None else key
        text = self.content.value if text is None else text
        if not key:
            raise InvalidParameter("InvalidArgument", "Type a key for the new object first, such as "
                                   f"{self.prefix or ''}notes.txt.")
        response = self._client.put_object(Bucket=bucket, Key=key, Body=text.encode("utf-8"),
                                           ContentType="text/plain")
        self.show_status(f"Uploaded s3://{bucket}/{key} (ETag {response['ETag']}).")

    def move(self, key: str | None = None, to_key: str | None = None, to_bucket: str | None = None) -> None:
        """Move an object: copy it to ``to_bucket``/``to_key``, then delete the original."""
        bucket = self._need_bucket()
        key = self.selected.value if key is None else key
        to_key = self.move_key.value if to_key is None else to_key
        to_bucket = (self.move_bucket.value or bucket) if to_bucket is None else to_bucket
        if not key:
            raise InvalidParameter("InvalidArgument", "Choose the object to move first.")
        if not to_key:
            raise InvalidParameter("InvalidArgument", "Type the key to move the object to.")
        self._client.copy_object(Bucket=to_bucket, Key=to_key, CopySource={"Bucket": bucket, "Key": key})
        self._client.delete_object(Bucket=bucket, Key=key)
        self.show_status(f"Moved s3://{bucket}/{key} to s3://{to_bucket}/{to_key} (copy, then delete).")

    def delete(self, key: str | None = None) -> None:
        """Delete an object (default: the one chosen in the Object list)."""
        bucket = self._need_bucket()
        key = self.selected.value if key is None else key
        if not key:
            raise InvalidParameter("InvalidArgument", "Choose the object to delete first.")
        self._client.delete_object(Bucket=bucket, Key=key)
        self.show_status(f"Deleted s3://{bucket}/{key}.")

    def delete_bucket(self) -> None:
        """Delete the bucket being browsed; S3 refuses (BucketNotEmpty) while it holds anything."""
        bucket = self._need_bucket()
        self._client.delete_bucket(Bucket=bucket)
        self.show_status(f"Deleted the bucket {bucket}.")

    # -- reacting -----------------------------------------------------------------------------------
    def _on_bucket(self, change: dict) -> None:
        if self._quiet:
            return
        self.prefix = ""
        self.refresh()

    def _on_folder(self, change: dict) -> None:
        if not self._quiet and change["new"]:
            self.open_folder(change["new"])

    def _on_selected(self, change: dict) -> None:
        if not self._quiet and change["new"]:
            self.move_key.value = change["new"]

    def on_event(self, message) -> None:
        if not self._ready:
            return
        if message.topic in ("s3.bucket.created", "s3.bucket.deleted"):
            self._fill_buckets()
            self.refresh()
        elif message.data.get("bucket") == self.bucket:
            self.refresh()

    def __repr__(self) -> str:
        if self.bucket is None:
            return "S3Browser(<no buckets>)"
        folders = sum(1 for r in self.rows if r["type"] == "folder")
        return (f"S3Browser(s3://{self.bucket}/{self.prefix}: {folders} folders, "
                f"{len(self.rows) - folders} objects)")
