"""The Lambda service of one account in one region: functions, versions, aliases, permissions."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from ..core.errors import NotFound
from .functions import (
    Alias,
    Code,
    Function,
    FunctionState,
    LastUpdateStatus,
    Version,
    check_alias_name,
    check_environment,
    check_int,
    check_runtime,
    conflict,
    invalid,
    parse_name,
    validation,
)
from .invocation import _Invocations
from .layers import _Layers
from .permissions import _Permissions
from .sources import _Sources

__all__ = ["ACCOUNT_CONCURRENCY", "MIN_UNRESERVED", "PENDING_SECONDS", "UPDATE_SECONDS", "LambdaService"]

#: Simulated seconds a new function stays Pending, and an update InProgress.  AWS takes
#: about a second for a function outside a VPC; awskit uses round numbers.
PENDING_SECONDS = 2
UPDATE_SECONDS = 1
#: AWS's default quota of concurrent executions per account and region (new accounts may
#: start lower and are raised automatically as they are used).
ACCOUNT_CONCURRENCY = 1000
#: Reserved concurrency may never leave fewer than this many for the other functions.
MIN_UNRESERVED = 100

_ROLE_ARN = re.compile(r"arn:aws[a-zA-Z-]*:iam::(\d{12}):role/(?:[\x21-\x7E]*/)?([\w+=,.@-]{1,64})")
_HANDLER = re.compile(r"[^\s]{1,128}")


def _not_found(what: str, known: list[str] | None = None) -> NotFound:
    where = f" Functions here: {', '.join(known) or 'none'}." if known is not None else ""
    return NotFound("ResourceNotFoundException", f"Function not found: {what}.{where}", status=404)


class LambdaService(_Invocations, _Sources, _Layers, _Permissions):
    """AWS Lambda in one region of one account: ``cloud.awslambda``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=0)
    >>> def handler(event, context):
    ...     print("got", event)
    ...     return {"total": sum(event["numbers"])}
    >>> fn = cloud.awslambda.create_function("adder", handler=handler)
    >>> result = cloud.awslambda.invoke("adder", {"numbers": [1, 2, 3]})
    >>> result.status_code, result.payload
    (200, {'total': 6})
    >>> result.cold_start, cloud.awslambda.invoke("adder", {"numbers": []}).cold_start
    (True, False)
    """

    def __init__(self, cloud, region) -> None:
        self.cloud = cloud
        self.region = region
        self.functions: dict[str, Function] = {}
        self.layers: dict[str, Any] = {}
        #: AWS's per-region concurrency quota; lower it to watch throttling with few invocations
        self.concurrency_limit = ACCOUNT_CONCURRENCY
        self._init_invocations()
        self._init_sources()

    # -- helpers -------------------------------------------------------------------------
    def _arn(self, resource: str) -> str:
        return f"arn:aws:lambda:{self.region.name}:{self.cloud.account_id}:{resource}"

    def _revision(self) -> str:
        return self.cloud.ids.uuid()

    def function(self, function: Any) -> Function:
        """A function by name, ARN or object (a qualifier in the name is ignored here)."""
        if isinstance(function, Function):
            if self.functions.get(function.name) is not function:
                raise _not_found(function.arn, sorted(self.functions))
            return function
        if isinstance(function, (Version, Alias)):
            return self.function(function.function)
        name, _, account, region = parse_name(function)
        fn = self.functions.get(name)
        if fn is None or (account and account != self.cloud.account_id) or (region and region != self.region.name):
            raise _not_found(self._arn(f"function:{name}"), sorted(self.functions))
        return fn

    def resolve(self, function: Any, qualifier: str | None = None) -> tuple[Function, Version, Alias | None]:
        """(function, version, alias) for a name that may carry a ``:qualifier``."""
        if isinstance(function, Version):
            return self.function(function.function), function, None
        if isinstance(function, Alias):
            return self.function(function.function), self._version(function.function, function.version), function
        fn = self.function(function)
        inline = parse_name(function)[1] if isinstance(function, str) else None
        if inline and qualifier and inline != qualifier:
            raise invalid(f"The derived qualifier from the function name ({inline}) does not match the specified "
                          f"qualifier ({qualifier}).")
        qualifier = qualifier or inline
        if qualifier in (None, "$LATEST"):
            return fn, fn.latest, None
        if qualifier in fn.aliases:
            alias = fn.aliases[qualifier]
            return fn, self._version(fn, alias.version), alias
        if qualifier in fn.versions:
            return fn, fn.versions[qualifier], None
        raise _not_found(f"{fn.arn}:{qualifier} (versions: $LATEST, {', '.join(fn.versions) or '-'}; aliases: "
                         f"{', '.join(fn.aliases) or '-'})")

    def _version(self, fn: Function, version: str) -> Version:
        if version == "$LATEST":
            return fn.latest
        found = fn.versions.get(str(version))
        if found is None:
            raise _not_found(f"{fn.arn}:{version}")
        return found

    def _role(self, role: Any) -> str:
        arn = getattr(role, "arn", role)
        if not isinstance(arn, str) or not _ROLE_ARN.fullmatch(arn):
            raise validation("role", arn, "Member must satisfy regular expression pattern: "
                             "arn:aws:iam::ACCOUNT:role/NAME (an IAM role's ARN)")
        from ..iam.policy import evaluate  # IAM is loaded only when a function names a role

        account, name = _ROLE_ARN.fullmatch(arn).groups()  # type: ignore[union-attr]
        owner = self.cloud._universe.accounts.get(account)
        found = owner.iam.roles.get(name.lower()) if owner is not None else None
        ok = found is not None and found.arn == arn and evaluate(
            [("trust-policy", "resource", found.trust_policy)], "sts:AssumeRole", arn,
            principal={"service": "lambda.amazonaws.com"}).allowed
        if not ok:
            raise invalid("The role defined for the function cannot be assumed by Lambda. (It must exist in IAM and "
                          "its trust policy must allow the service principal lambda.amazonaws.com to call "
                          "sts:AssumeRole.)")
        return arn

    def _default_role(self) -> str:
        """The execution role the model API uses when none is given (created once, trusting Lambda)."""
        iam = self.cloud.iam
        role = iam.roles.get("awskit-lambda-execution")
        if role is None:
            role = iam.create_role("awskit-lambda-execution", {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                               "Action": "sts:AssumeRole"}]},
                description="Created by awskit for functions made without a role")
        return role.arn

    def _check_architectures(self, architectures: Any) -> tuple[str, ...]:
        if architectures is None:
            return ("x86_64",)
        if not isinstance(architectures, (list, tuple)) or len(architectures) != 1 or \
                architectures[0] not in ("x86_64", "arm64"):
            raise validation("architectures", architectures, "Member must be a list of exactly one of "
                             "[x86_64, arm64]")
        return (architectures[0],)

    def _check_size(self, code: Code, layers: list) -> None:
        total = code.unzipped_size + sum(lv.code.unzipped_size for lv in layers)
        if total > 262_144_000:
            raise invalid(f"Function code combined with layers exceeds the maximum allowed size of 262144000 "
                          f"bytes. The actual size is {total} bytes.")

    def _activate_later(self, fn: Function, versions: list[Version]) -> None:
        def activate() -> None:
            for v in versions:
                if v.state is FunctionState.PENDING:
                    v.state = FunctionState.ACTIVE
            self.cloud.events.publish("lambda.function.active", function=fn.name)

        self.cloud.clock.schedule(PENDING_SECONDS, activate, name=f"lambda {fn.name} active")

    def _wait(self, condition: Callable[[], bool]) -> None:
        """Let simulated time pass until ``condition`` holds (not from inside a clock event)."""
        if getattr(self.cloud.clock, "_running", False):
            return
        self.cloud.clock.run_until_true(condition, timeout=60, poll=1)

    # -- functions ---------------------------------------------------------------------------
    def create_function(self, name: str, handler: str | Callable[..., Any] | None = None, *,
                        runtime: str | None = None, role: Any = None, code: bytes | None = None,
                        timeout: int = 3, memory_size: int = 128, environment: dict[str, str] | None = None,
                        layers: list | None = None, publish: bool = False, tags: dict[str, str] | None = None,
                        architectures: list[str] | None = None, description: str = "",
                        ephemeral_storage: int = 512, wait: bool = True) -> Function:
        """Create a function from a .zip (``code=`` bytes, ``handler="module.function"``) or,
        in the model API only, from a Python function (``handler=my_function``).

        The function starts Pending and becomes Active on the clock; ``wait=True`` (the
        default here, not in the boto3-shaped client) lets that time pass.  Without ``role``,
        awskit uses (creating once) a role named ``awskit-lambda-execution`` that trusts Lambda.

        Raises: ResourceConflictException (name taken), InvalidParameterValueException (role
        Lambda cannot assume, retired runtime, environment over 4 KB, bad zip, layers),
        ValidationException (name, timeout 1-900, memory 128-10240).
        """
        fname, qualifier, _, _ = parse_name(name)
        if qualifier:
            raise validation("functionName", name, "a new function's name carries no :qualifier")
        if fname in self.functions:
            raise conflict(f"Function already exist: {fname}")
        if callable(handler):
            fcode = Code.from_callable(handler)
            runtime = check_runtime(runtime or "python3.13")
            if not runtime.startswith("python"):
                raise invalid(f"A Python callable runs only on a Python runtime, not {runtime}.")
            handler_name = f"{getattr(handler, '__module__', None) or 'handler'}.{getattr(handler, '__name__', 'handler')}"
        else:
            if code is None or runtime is None or handler is None:
                raise invalid("Runtime and Handler are mandatory parameters for functions created with deployment "
                              "packages (give code=<zip bytes>, runtime='python3.13', handler='lambda_function."
                              "lambda_handler'), or pass a Python function as handler.")
            runtime = check_runtime(runtime)
            if not isinstance(handler, str) or not _HANDLER.fullmatch(handler):
                raise validation("handler", handler, "Member must satisfy regular expression pattern: [^\\s]+ "
                                 "(e.g. 'lambda_function.lambda_handler')")
            fcode = Code.from_zip(code)
            handler_name = handler
        role_arn = self._default_role() if role is None else self._role(role)
        timeout = check_int("timeout", timeout, 1, 900)
        memory_size = check_int("memorySize", memory_size, 128, 10240)
        ephemeral_storage = check_int("ephemeralStorage.size", ephemeral_storage, 512, 10240)
        env = check_environment(environment)
        layer_versions = self._resolve_layers(layers)
        self._check_size(fcode, layer_versions)
        arch = self._check_architectures(architectures)
        if tags is not None and (not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                                       for k, v in tags.items())):
            raise invalid(f"Tags are a dict of strings to strings, not {tags!r}.")
        now = self.cloud.clock.now
        fn = Function(name=fname, arn=self._arn(f"function:{fname}"), region=self.region.name,
                      tags=dict(tags or {}), created=now)
        fn.latest = Version(function=fn, version="$LATEST", runtime=runtime, handler=handler_name, role=role_arn,
                            code=fcode, timeout=timeout, memory_size=memory_size, environment=env,
                            layers=layer_versions, architectures=arch, description=str(description),
                            ephemeral_storage=ephemeral_storage, last_modified=now, revision_id=self._revision())
        self.functions[fname] = fn
        pending = [fn.latest]
        if publish:
            pending.append(self._publish(fn, None))
        self._activate_later(fn, pending)
        self.cloud.events.publish("lambda.function.created", function=fname)
        if wait:
            self._wait(lambda: fn.latest.state is FunctionState.ACTIVE)
        return fn

    def get_function(self, function: Any) -> Function:
        """A function by name or ARN."""
        return self.function(function)

    def get_function_configuration(self, function: Any, qualifier: str | None = None) -> Version:
        return self.resolve(function, qualifier)[1]

    def list_functions(self, all_versions: bool = False) -> list[Version]:
        """``$LATEST`` of every function, by name (with every published version if ``all_versions``)."""
        out = []
        for name in sorted(self.functions):
            fn = self.functions[name]
            out.append(fn.latest)
            if all_versions:
                out.extend(fn.versions.values())
        return out

    def _begin_update(self, fn: Function) -> None:
        v = fn.latest
        if v.state is FunctionState.PENDING:
            raise conflict("The operation cannot be performed at this time. The function is currently in the "
                           "following state: Pending (wait for Active: advance the clock or use the "
                           "function_active waiter).")
        if v.last_update_status is LastUpdateStatus.IN_PROGRESS:
            raise conflict(f"The operation cannot be performed at this time. An update is in progress for "
                           f"resource: {fn.arn} (wait for LastUpdateStatus Successful: the function_updated "
                           f"waiter).")

    def _finish_update(self, fn: Function, wait: bool) -> None:
        v = fn.latest
        v.last_update_status = LastUpdateStatus.IN_PROGRESS
        v.last_modified = self.cloud.clock.now
        v.revision_id = self._revision()
        # Lambda retires the environments running the old code or settings.
        fn.environments = [e for e in fn.environments if e.version is not v]

        def done() -> None:
            v.last_update_status = LastUpdateStatus.SUCCESSFUL
            self.cloud.events.publish("lambda.function.updated", function=fn.name)

        self.cloud.clock.schedule(UPDATE_SECONDS, done, name=f"lambda {fn.name} updated")
        if wait:
            self._wait(lambda: v.last_update_status is LastUpdateStatus.SUCCESSFUL)

    def update_function_code(self, function: Any, code: bytes | Callable[..., Any], *, publish: bool = False,
                             architectures: list[str] | None = None, wait: bool = True) -> Version:
        """Replace ``$LATEST``'s code (zip bytes, or a Python function in the model API).

        Raises: ResourceConflictException while Pending or while another update is in progress.
        """
        fn = self.function(function)
        self._begin_update(fn)
        v = fn.latest
        if callable(code):
            if not v.python:
                raise invalid(f"A Python callable runs only on a Python runtime, not {v.runtime}.")
            new = Code.from_callable(code)
        else:
            new = Code.from_zip(code)
        self._check_size(new, v.layers)
        if architectures is not None:
            v.architectures = self._check_architectures(architectures)
        v.code = new
        if callable(code):
            v.handler = f"{getattr(code, '__module__', None) or 'handler'}.{getattr(code, '__name__', 'handler')}"
        self._finish_update(fn, wait)
        if publish:
            return self._publish(fn, None)
        return v

    def update_function_configuration(self, function: Any, *, runtime: str | None = None, role: Any = None,
                                      handler: str | None = None, timeout: int | None = None,
                                      memory_size: int | None = None, environment: dict[str, str] | None = None,
                                      layers: list | None = None, description: str | None = None,
                                      ephemeral_storage: int | None = None, wait: bool = True) -> Version:
        """Change ``$LATEST``'s settings; LastUpdateStatus is InProgress until the clock moves on."""
        fn = self.function(function)
        self._begin_update(fn)
        v = fn.latest
        changes: dict[str, Any] = {}
        if runtime is not None:
            changes["runtime"] = check_runtime(runtime)
            if v.code.callable is not None and not changes["runtime"].startswith("python"):
                raise invalid(f"This function's code is a Python callable; it cannot run on {runtime}.")
        if role is not None:
            changes["role"] = self._role(role)
        if handler is not None:
            if not isinstance(handler, str) or not _HANDLER.fullmatch(handler):
                raise validation("handler", handler, "Member must satisfy regular expression pattern: [^\\s]+")
            changes["handler"] = handler
        if timeout is not None:
            changes["timeout"] = check_int("timeout", timeout, 1, 900)
        if memory_size is not None:
            changes["memory_size"] = check_int("memorySize", memory_size, 128, 10240)
        if ephemeral_storage is not None:
            changes["ephemeral_storage"] = check_int("ephemeralStorage.size", ephemeral_storage, 512, 10240)
        if environment is not None:
            changes["environment"] = check_environment(environment)
        if layers is not None:
            changes["layers"] = self._resolve_layers(layers)
            self._check_size(v.code, changes["layers"])
        if description is not None:
            changes["description"] = str(description)
        for key, value in changes.items():
            setattr(v, key, value)
        self._finish_update(fn, wait)
        return v

    def delete_function(self, function: Any, qualifier: str | None = None) -> None:
        """Delete a function (with its versions, aliases, URL and triggers), or one version.

        Raises: ResourceConflictException (a version an alias points to),
        InvalidParameterValueException ($LATEST alone, or an alias as qualifier).
        """
        fn = self.function(function)
        inline = parse_name(function)[1] if isinstance(function, str) else None
        qualifier = qualifier or inline
        if qualifier is not None:
            if qualifier == "$LATEST":
                raise invalid("$LATEST version cannot be deleted without deleting the function.")
            if qualifier in fn.aliases:
                raise invalid(f"Deletion of aliases is not supported by DeleteFunction; use delete_alias "
                              f"({qualifier}).")
            if qualifier not in fn.versions:
                raise _not_found(f"{fn.arn}:{qualifier}")
            users = [a.name for a in fn.aliases.values() if a.version == qualifier or qualifier in a.weights]
            if users:
                raise conflict(f"Unable to delete version because the following aliases reference it: {users}")
            gone = fn.versions.pop(qualifier)
            fn.environments = [e for e in fn.environments if e.version is not gone]
            return
        self._drop_sources(fn)
        del self.functions[fn.name]
        self.cloud.events.publish("lambda.function.deleted", function=fn.name)

    # -- versions and aliases --------------------------------------------------------------------
    def _publish(self, fn: Function, description: str | None) -> Version:
        latest = fn.latest
        if fn.versions:
            last = fn.versions[max(fn.versions, key=int)]
            if last.fingerprint() == latest.fingerprint() and description in (None, last.description):
                return last  # nothing changed since: AWS returns the existing version
        number = str(fn.next_version)
        fn.next_version += 1
        snap = dataclasses.replace(latest, version=number, environment=dict(latest.environment),
                                   layers=list(latest.layers), revision_id=self._revision(),
                                   last_modified=self.cloud.clock.now)
        if description is not None:
            snap.description = str(description)
        fn.versions[number] = snap
        self.cloud.events.publish("lambda.version.published", function=fn.name, version=number)
        return snap

    def publish_version(self, function: Any, description: str | None = None, *,
                        code_sha256: str | None = None) -> Version:
        """Freeze ``$LATEST`` as the next numbered version (or return the last one if unchanged)."""
        fn = self.function(function)
        self._begin_update(fn)
        if code_sha256 is not None and code_sha256 != fn.latest.code.sha256:
            raise invalid(f"CodeSHA256 ({code_sha256}) is different from current CodeSHA256 in $LATEST "
                          f"({fn.latest.code.sha256}). Please try again with the CodeSHA256 in $LATEST.")
        return self._publish(fn, description)

    def list_versions_by_function(self, function: Any) -> list[Version]:
        fn = self.function(function)
        return [fn.latest] + [fn.versions[k] for k in sorted(fn.versions, key=int)]

    def _check_routing(self, fn: Function, version: str, routing: Any) -> dict[str, float]:
        if not routing:
            return {}
        if not isinstance(routing, dict) or len(routing) > 1:
            raise invalid(f"RoutingConfig sends traffic to at most one additional version: a dict such as "
                          f"{{'2': 0.1}}, not {routing!r}.")
        (extra, weight), = routing.items()
        extra = str(extra)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 <= weight <= 1.0:
            raise validation("routingConfig.additionalVersionWeights", weight,
                             "Member must have value between 0.0 and 1.0")
        if version == "$LATEST" or extra == "$LATEST":
            raise invalid("RoutingConfig is not supported for $LATEST: point the alias and the additional "
                          "version at published versions.")
        if extra == version:
            raise invalid(f"Invalid function version {extra}. The additional version must differ from the "
                          f"alias's primary version.")
        self._version(fn, extra)
        return {extra: float(weight)}

    def create_alias(self, function: Any, name: str, function_version: str, *, description: str = "",
                     routing: dict[str, float] | None = None) -> Alias:
        """Point alias ``name`` at a version; ``routing={"2": 0.1}`` sends 10% to version 2.

        Raises: ResourceConflictException (alias exists), ResourceNotFoundException (version).
        """
        fn = self.function(function)
        check_alias_name(name)
        function_version = str(function_version)
        self._version(fn, function_version)
        if name in fn.aliases:
            raise conflict(f"Alias already exists: {fn.arn}:{name}")
        alias = Alias(function=fn, name=name, version=function_version, description=str(description),
                      weights=self._check_routing(fn, function_version, routing), revision_id=self._revision())
        fn.aliases[name] = alias
        return alias

    def get_alias(self, function: Any, name: str) -> Alias:
        fn = self.function(function)
        alias = fn.aliases.get(name)
        if alias is None:
            raise NotFound("ResourceNotFoundException", f"Alias not found: {fn.arn}:{name}. Aliases: "
                           f"{', '.join(fn.aliases) or 'none'}.", status=404)
        return alias

    def update_alias(self, function: Any, name: str, *, function_version: str | None = None,
                     description: str | None = None, routing: dict[str, float] | None = None) -> Alias:
        """Move an alias or change its traffic split (``routing={}`` removes the split)."""
        alias = self.get_alias(function, name)
        fn = alias.function
        version = alias.version if function_version is None else str(function_version)
        self._version(fn, version)
        weights = alias.weights if routing is None else self._check_routing(fn, version, routing)
        if routing is None and weights:
            weights = self._check_routing(fn, version, weights)
        alias.version, alias.weights = version, weights
        if description is not None:
            alias.description = str(description)
        alias.revision_id = self._revision()
        return alias

    def delete_alias(self, function: Any, name: str) -> None:
        alias = self.get_alias(function, name)
        del alias.function.aliases[name]

    def list_aliases(self, function: Any, function_version: str | None = None) -> list[Alias]:
        fn = self.function(function)
        return [a for _, a in sorted(fn.aliases.items())
                if function_version is None or a.version == str(function_version)]

    # -- concurrency settings ---------------------------------------------------------------------
    def put_function_concurrency(self, function: Any, reserved: int) -> int:
        """Reserve concurrency for a function (and cap it there); 0 stops every invocation.

        Raises: InvalidParameterValueException when the rest of the account would keep fewer
        than 100 unreserved executions.
        """
        fn = self.function(function)
        check_int("reservedConcurrentExecutions", reserved, 0, self.concurrency_limit)
        others = sum(f.reserved_concurrency or 0 for f in self.functions.values() if f is not fn)
        if self.concurrency_limit - others - reserved < MIN_UNRESERVED:
            raise invalid(f"Specified ReservedConcurrentExecutions for function decreases account's "
                          f"UnreservedConcurrentExecution below its minimum value of [{MIN_UNRESERVED}]. "
                          f"(Account limit {self.concurrency_limit}, already reserved by other functions {others}.)")
        fn.reserved_concurrency = reserved
        return reserved

    def get_function_concurrency(self, function: Any) -> int | None:
        return self.function(function).reserved_concurrency

    def delete_function_concurrency(self, function: Any) -> None:
        self.function(function).reserved_concurrency = None

    @property
    def unreserved_concurrency(self) -> int:
        return self.concurrency_limit - sum(f.reserved_concurrency or 0 for f in self.functions.values())

    def get_account_settings(self) -> dict[str, Any]:
        return {"AccountLimit": {"TotalCodeSize": 80530636800, "CodeSizeUnzipped": 262144000,
                                 "CodeSizeZipped": 52428800, "ConcurrentExecutions": self.concurrency_limit,
                                 "UnreservedConcurrentExecutions": self.unreserved_concurrency},
                "AccountUsage": {"TotalCodeSize": sum(v.code.size for f in self.functions.values()
                                                      for v in [f.latest, *f.versions.values()]),
                                 "FunctionCount": len(self.functions)}}

    # -- tags -----------------------------------------------------------------------------------
    def tag_resource(self, function: Any, tags: dict[str, str]) -> None:
        fn = self.function(function)
        if not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
            raise invalid(f"Tags are a dict of strings to strings, not {tags!r}.")
        if len({**fn.tags, **tags}) > 50:
            raise invalid("A function can have at most 50 tags.")
        fn.tags.update(tags)

    def untag_resource(self, function: Any, keys: list[str]) -> None:
        fn = self.function(function)
        for k in keys:
            fn.tags.pop(k, None)

    def __repr__(self) -> str:
        return f"LambdaService({self.region.name!r}, functions={len(self.functions)})"

