"""Applications and application versions: what Elastic Beanstalk deploys.

An *application* is a named folder for everything about one piece of software: its
*versions* (each a labelled, immutable source bundle, usually a zip in S3) and the
*environments* that run one of those versions.

**The awskit application convention.**  A real Python platform runs a WSGI callable with
gunicorn behind nginx.  awskit has no sockets, so its source bundle is a zip holding an
``application.py`` at the root of the archive that defines a module-level callable named
``application``: it takes an :class:`awskit.http.Request` and returns an
:class:`awskit.http.Response` (or a string, answered as 200).  In the model API a Python
callable may be given directly instead of a bundle.  Only ``application.py`` is run (other
files in the zip are ignored); it may import the standard library and :mod:`awskit.http`.

>>> import io, zipfile
>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w") as z:
...     z.writestr("application.py", "def application(request):\\n    return 'hello from ' + request.path\\n")
>>> _ = cloud.s3.create_bucket("bundles-4f2a")
>>> _ = cloud.s3.put_object("bundles-4f2a", "shop/v1.zip", buf.getvalue())
>>> shop = cloud.beanstalk.create_application("shop")
>>> v1 = cloud.beanstalk.create_application_version("shop", "v1", source_bundle=("bundles-4f2a", "shop/v1.zip"),
...                                                 process=True)
>>> v1.status.value, v1.load()(__import__("awskit.http").http.Request("GET", "/cart"))
('Processed', 'hello from /cart')
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.errors import AWSError
from ..http import Response
from ._common import MAX_APPLICATIONS, MAX_VERSIONS, VersionStatus, fail, listing

if TYPE_CHECKING:
    from .service import BeanstalkService

__all__ = ["Application", "ApplicationVersion", "BundleError", "sample_application"]

#: The file and the callable a source bundle must provide (the awskit convention above).
ENTRY_FILE = "application.py"
ENTRY_NAME = "application"


def sample_application(request) -> Response:
    """What a version without a source bundle runs: Elastic Beanstalk's sample page."""
    return Response(200, headers={"Content-Type": "text/html"},
                    body="<h1>Congratulations</h1><p>Your Elastic Beanstalk application is now running.</p>")


class BundleError(Exception):
    """A source bundle that cannot run (why, in words)."""


@dataclass(slots=True, kw_only=True, eq=False)
class ApplicationVersion:
    """One labelled, immutable build of an application.

    ``source_bundle`` is ``(bucket, key)`` when the code came from S3 (its bytes are read
    when the version is created); ``app`` is set when a callable was given directly.
    """

    application: Application = field(repr=False)
    label: str
    arn: str
    description: str = ""
    source_bundle: tuple[str, str] | None = None
    app: Callable | None = field(default=None, repr=False)
    status: VersionStatus = VersionStatus.UNPROCESSED
    created: float = 0.0
    updated: float = 0.0
    failure: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    _bytes: bytes | None = field(default=None, repr=False)
    _loaded: Callable | None = field(default=None, repr=False)

    @property
    def application_name(self) -> str:
        return self.application.name

    def load(self) -> Callable:
        """The callable this version runs (run ``application.py`` once and keep its ``application``).

        Raises: :class:`BundleError` saying what is wrong with the bundle.
        """
        if self._loaded is not None:
            return self._loaded
        if self.app is not None:
            self._loaded = self.app
        elif self._bytes is None:
            self._loaded = sample_application
        else:
            self._loaded = _load_bundle(self._bytes, self.label)
        return self._loaded

    def __repr__(self) -> str:
        src = f", source_bundle={self.source_bundle!r}" if self.source_bundle else ""
        return f"ApplicationVersion({self.application.name!r}, {self.label!r}{src}, status={self.status.value!r})"


def _load_bundle(data: bytes, label: str) -> Callable:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BundleError(f"the source bundle of version {label!r} is not a zip file") from None
    with archive:
        names = archive.namelist()
        if ENTRY_FILE not in names:
            nested = [n for n in names if n.endswith("/" + ENTRY_FILE)]
            hint = (f" (it is at {nested[0]!r}: zip the folder's contents, not the folder)" if nested else "")
            raise BundleError(f"the source bundle of version {label!r} has no {ENTRY_FILE} at its root{hint}")
        source = archive.read(ENTRY_FILE).decode("utf-8", errors="replace")
    namespace: dict[str, Any] = {"__name__": "application", "__file__": ENTRY_FILE}
    try:
        exec(compile(source, ENTRY_FILE, "exec"), namespace)  # noqa: S102 - the student's own code, by design
    except Exception as exc:  # noqa: BLE001 - any error while importing the module fails the deployment
        raise BundleError(f"{ENTRY_FILE} of version {label!r} failed to load: {type(exc).__name__}: {exc}") from None
    app = namespace.get(ENTRY_NAME)
    if not callable(app):
        raise BundleError(f"{ENTRY_FILE} of version {label!r} defines no callable named {ENTRY_NAME!r} "
                          "(define: def application(request): return 'hello')")
    return app


@dataclass(slots=True, kw_only=True, eq=False)
class Application:
    """A named application: its versions, and (through the service) its environments."""

    service: BeanstalkService = field(repr=False)
    name: str
    arn: str
    description: str = ""
    created: float = 0.0
    updated: float = 0.0
    versions: dict[str, ApplicationVersion] = field(default_factory=dict, repr=False)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def environments(self) -> list:
        return [e for e in self.service._envs.values() if e.application is self and e.status.value != "Terminated"]

    def version(self, label: str) -> ApplicationVersion:
        """Raises: InvalidParameterValue for an unknown label."""
        v = self.versions.get(label) if isinstance(label, str) else None
        if v is None:
            fail("InvalidParameterValue", f"No Application Version named {label!r} found. Versions of {self.name}: "
                                          f"{listing(self.versions)}.")
        return v

    def __repr__(self) -> str:
        return f"Application({self.name!r}, versions={list(self.versions)})"

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(v.label)}</td><td>{v.status.value}</td>"
                       f"<td>{html.escape(str(v.source_bundle or 'callable'))}</td></tr>"
                       for v in list(self.versions.values())[:20])
        more = f"<p>... ({len(self.versions) - 20} versions omitted)</p>" if len(self.versions) > 20 else ""
        return (f"<div><b>{html.escape(self.name)}</b><table><tr><th>version</th><th>status</th><th>source</th></tr>"
                f"{rows}</table>{more}</div>")


class _ApplicationOps:
    """Application and version actions of :class:`~awskit.beanstalk.BeanstalkService`."""

    @property
    def applications(self: BeanstalkService) -> list[Application]:
        return list(self._apps.values())

    def get_application(self: BeanstalkService, application: Any) -> Application:
        """An application by object or name.  Raises: InvalidParameterValue."""
        if isinstance(application, Application) and self._apps.get(application.name) is application:
            return application
        found = self._apps.get(application) if isinstance(application, str) else None
        if found is None:
            fail("InvalidParameterValue", f"No Application named {getattr(application, 'name', application)!r} "
                                          f"found. Applications: {listing(self._apps)}.")
        return found

    def create_application(self: BeanstalkService, name: str, *, description: str = "",
                           tags: dict[str, str] | None = None) -> Application:
        """CreateApplication: a name unique in the account and Region (1-100 characters, no ``/``).

        Raises: InvalidParameterValue (bad or taken name), TooManyApplicationsException.
        """
        if not isinstance(name, str) or not 1 <= len(name) <= 100 or "/" in name:
            fail("InvalidParameterValue", f"Value {name!r} at 'applicationName' failed to satisfy constraint: "
                                          "1-100 characters, without '/'.")
        if name in self._apps:
            fail("InvalidParameterValue", f"Application {name} already exists.")
        if len(self._apps) >= MAX_APPLICATIONS:
            fail("TooManyApplicationsException", f"You have reached the limit of {MAX_APPLICATIONS} applications "
                                                 f"in {self.region_name}; delete one or request a quota increase.")
        if not isinstance(description, str) or len(description) > 200:
            fail("InvalidParameterValue", "A description is text of at most 200 characters.")
        now = self.cloud.clock.now
        app = Application(service=self, name=name, arn=self._arn(f"application/{name}"), description=description,
                          created=now, updated=now, tags=self._tags(tags))
        self._apps[name] = app
        return app

    def delete_application(self: BeanstalkService, application: Any, *, terminate_env_by_force: bool = False) -> None:
        """DeleteApplication with all its versions.  Running environments must be terminated first,
        unless ``terminate_env_by_force`` (which terminates them).

        Raises: InvalidParameterValue.
        """
        app = self.get_application(application)
        running = app.environments
        if running and not terminate_env_by_force:
            fail("InvalidParameterValue", f"Unable to delete application {app.name} because it has running "
                                          f"environments: {listing(e.name for e in running)}. Terminate them first "
                                          "or set TerminateEnvByForce.")
        for env in running:
            if env.status.value not in ("Terminating", "Terminated"):
                self.terminate_environment(env)
        del self._apps[app.name]

    def create_application_version(self: BeanstalkService, application: Any, label: str, *,
                                   source_bundle: Any = None, app: Callable | None = None, description: str = "",
                                   process: bool = False, auto_create_application: bool = False,
                                   tags: dict[str, str] | None = None) -> ApplicationVersion:
        """CreateApplicationVersion.

        Args:
            source_bundle: ``(bucket, key)`` or ``{"S3Bucket": .., "S3Key": ..}`` of a zip in S3 (see
                the module docstring for what it holds); omitted with ``app`` omitted: the sample app.
            app: instead of a bundle, a callable ``app(request) -> Response | str`` (awskit only).
            process: check the bundle now (status ``Processed`` or ``Failed``); otherwise it stays
                ``Unprocessed`` and is checked when deployed.

        Raises: InvalidParameterValue (label taken, unknown application), InvalidParameterCombination
        (bundle not found in S3, or both a bundle and a callable), TooManyApplicationVersionsException.
        """
        if auto_create_application and isinstance(application, str) and application not in self._apps:
            self.create_application(application)
        appl = self.get_application(application)
        if not isinstance(label, str) or not 1 <= len(label) <= 100 or "/" in label:
            fail("InvalidParameterValue", f"Value {label!r} at 'versionLabel' failed to satisfy constraint: "
                                          "1-100 characters, without '/'.")
        if label in appl.versions:
            fail("InvalidParameterValue", f"Application Version {label} already exists.")
        if sum(len(a.versions) for a in self._apps.values()) >= MAX_VERSIONS:
            fail("TooManyApplicationVersionsException", f"You have reached the limit of {MAX_VERSIONS} application "
                                                        "versions; delete old versions.")
        if not isinstance(process, bool):
            fail("InvalidParameterValue", f"Process is True or False, not {process!r}.")
        if app is not None and source_bundle is not None:
            fail("InvalidParameterCombination", "Give either a source bundle in S3 or a callable, not both.")
        if app is not None and not callable(app):
            fail("InvalidParameterValue", f"An application is a callable app(request) -> Response, not {app!r}.")
        bundle, data = None, None
        if source_bundle is not None:
            bundle = _bundle_location(source_bundle)
            data = self._read_bundle(*bundle)
        now = self.cloud.clock.now
        v = ApplicationVersion(application=appl, label=label, arn=self._arn(f"applicationversion/{appl.name}/{label}"),
                               description=description, source_bundle=bundle, app=app, created=now, updated=now,
                               tags=self._tags(tags), _bytes=data)
        if process:
            try:
                v.load()
                v.status = VersionStatus.PROCESSED
            except BundleError as err:
                v.status, v.failure = VersionStatus.FAILED, str(err)
        appl.versions[label] = v
        appl.updated = now
        return v

    def _read_bundle(self: BeanstalkService, bucket: str, key: str) -> bytes:
        try:
            return bytes(self.cloud.s3.get_object(bucket, key).data)
        except AWSError as err:
            reason = "Not Found" if err.code in ("NoSuchKey", "NoSuchBucket") else err.code
            fail("InvalidParameterCombination",
                 f"Unable to download from S3 location (Bucket: {bucket}  Key: {key}). Reason: {reason}")

    def delete_application_version(self: BeanstalkService, application: Any, label: str, *,
                                   delete_source_bundle: bool = False) -> None:
        """DeleteApplicationVersion.  Raises: InvalidParameterValue (unknown, or deployed to an environment)."""
        appl = self.get_application(application)
        v = appl.version(label)
        users = [e.name for e in appl.environments if e.version is v or e._target_version is v]
        if users:
            fail("InvalidParameterValue", f"Unable to delete application version {label} because it is being "
                                          f"deployed or is in use by environment(s): {listing(users)}.")
        if delete_source_bundle and v.source_bundle is not None:
            try:
                self.cloud.s3.delete_object(*v.source_bundle)
            except AWSError as err:
                fail("SourceBundleDeletionException", f"Unable to delete the source bundle from S3: {err.message}")
        del appl.versions[v.label]


def _bundle_location(value: Any) -> tuple[str, str]:
    if isinstance(value, dict):
        value = (value.get("S3Bucket"), value.get("S3Key"))
    if not (isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(x, str) and x for x in value)):
        fail("InvalidParameterValue", f"A source bundle is (bucket, key) or {{'S3Bucket': .., 'S3Key': ..}}, "
                                      f"not {value!r}.")
    return value[0], value[1]
