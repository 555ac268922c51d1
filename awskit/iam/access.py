"""Who is calling, and may they?  Acting as a principal, authorization, STS and simulation.

Every request in AWS is made by a principal: the root user, an IAM user, or a session of a
role assumed through STS.  ``cloud.as_principal(alice)`` makes calls as alice; services ask
``cloud.authorize(action, resource_arn)`` before they act, and the request is decided the
way AWS documents for one account: an explicit Deny anywhere wins, then a permissions
boundary or session policy must allow, then an identity-based policy (or a resource-based
policy naming the caller) must allow; otherwise the request is implicitly denied.

How a service adopts it (one line per operation)::

    def get_object(self, bucket, key):
        b = self._bucket(bucket)
        self.cloud.authorize("s3:GetObject", f"arn:aws:s3:::{b.name}/{key}",
                             resource_policy=b.policy)          # resource_policy is optional
        ...

``cloud.authorize`` returns at once when nobody is acting (the default caller is the
account's root user), so it costs nothing in code that does not use IAM.  Pass
``code="UnauthorizedOperation"`` (EC2) or ``code="AccessDeniedException"`` (DynamoDB,
Lambda) where the service uses its own error code.  A service acting on its own behalf
(Auto Scaling launching instances) wraps that work in ``with cloud.as_principal(None):``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Self

from ..core.errors import AccessDenied, AWSError, InvalidParameter, NotFound
from .entities import AccessKey, AccessKeyStatus, AssumedRoleSession, Group, Role, Root, User
from .policy import (
    Decision,
    MatchedStatement,
    Policy,
    PolicyKind,
    context_keys,
    evaluate,
    parse_policy,
    principal_match,
)

__all__ = ["Acting", "bind_credentials"]

_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")
_ROLE_ARN = re.compile(r"arn:aws:iam::(\d{12}):role/(?:[\x21-\x7E]*/)?([\w+=,.@-]{1,64})")
_TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _denied(message: str, code: str = "AccessDenied") -> AccessDenied:
    return AccessDenied(code, message, status=403)


class Acting:
    """A principal at work: a context manager, a view of the cloud, and a client factory.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=0)
    >>> bob = cloud.iam.create_user("bob")
    >>> as_bob = cloud.as_principal(bob)
    >>> try:
    ...     as_bob.iam.create_user("mallory")
    ... except Exception as err:
    ...     print(err.code)
    AccessDenied
    >>> with cloud.as_principal(bob):
    ...     cloud.iam.caller is bob
    True
    """

    def __init__(self, iam, principal, *, context: Mapping[str, Any] | None = None,
                 credentials: tuple[str, str | None, str | None] | None = None) -> None:
        self._iam = iam
        self.cloud = iam.cloud
        self.principal = principal
        self.context = context_keys(context)
        self.credentials = credentials

    # -- the context manager ------------------------------------------------------------
    def __enter__(self) -> Self:
        if self.credentials is not None:
            self._check_credentials()
        self._iam._acting.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self._iam._acting.pop()

    def _check_credentials(self) -> None:
        key_id, secret, token = self.credentials  # type: ignore[misc]
        record = self.cloud.namespace("iam.credentials").get(key_id)
        now = self.cloud.clock.now
        if record is None:
            raise _denied("The security token included in the request is invalid (the access key "
                          f"{key_id} was deleted).", "InvalidClientTokenId")
        if isinstance(record, AccessKey):
            if record.status is not AccessKeyStatus.ACTIVE:
                raise _denied(f"The security token included in the request is invalid (access key {key_id} "
                              "is Inactive).", "InvalidClientTokenId")
            if secret is not None and secret != record.secret:
                raise _denied("The request signature we calculated does not match the signature you provided. "
                              "Check your AWS Secret Access Key.", "SignatureDoesNotMatch")
            record.last_used = now
            return
        if secret is not None and secret != record.secret:
            raise _denied("The request signature we calculated does not match the signature you provided. "
                          "Check your AWS Secret Access Key.", "SignatureDoesNotMatch")
        if token != record.session_token:
            raise _denied("The security token included in the request is invalid: temporary credentials "
                          "(ASIA...) need their aws_session_token.", "InvalidClientTokenId")
        if record.expired(now):
            raise AWSError("ExpiredToken", f"The security token included in the request is expired (it expired at "
                                           f"{self.cloud.clock.isoformat(record.expiration)}).", status=400)

    # -- the view ----------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return _wrap(getattr(self.cloud, name), self)

    def region(self, name: str | None = None) -> _Proxy:
        return _Proxy(self.cloud.region(name), self)

    def client(self, service: str, region_name: str | None = None, **kwargs: Any):
        """A boto3-shaped client whose calls are made as this principal."""
        client = self.cloud.client(service, region_name, **kwargs)
        client._principal = self
        return client

    def __repr__(self) -> str:
        return f"<acting as {self.principal.arn}>"


def _wrap(value: Any, acting: Acting) -> Any:
    kind = type(value).__name__
    if kind.endswith("Service") or kind == "Region":
        return _Proxy(value, acting)
    if callable(value) and not isinstance(value, type):
        def call(*args: Any, **kwargs: Any) -> Any:
            with acting:
                return value(*args, **kwargs)
        return call
    return value


class _Proxy:
    """A service (or region) seen by a principal: every method call is made as that principal."""

    __slots__ = ("_acting", "_target")

    def __init__(self, target: Any, acting: Acting) -> None:
        self._target, self._acting = target, acting

    def __getattr__(self, name: str) -> Any:
        return _wrap(getattr(self._target, name), self._acting)

    def __repr__(self) -> str:
        return f"{self._target!r} as {self._acting.principal.arn}"


def bind_credentials(cloud, kwargs: Mapping[str, Any]) -> Acting | None:
    """The principal behind a client's ``aws_access_key_id`` (None: unknown key, acts as root).

    Keys awskit never issued (placeholders like ``"testing"``) leave the caller as the
    account's root user so existing scripts run; keys it issued are checked on every call
    (deleted or inactive: InvalidClientTokenId, wrong secret: SignatureDoesNotMatch,
    expired session: ExpiredToken).
    """
    key_id = kwargs.get("aws_access_key_id")
    table = cloud.namespace("iam.credentials")
    if key_id not in table:
        return None
    creds = (key_id, kwargs.get("aws_secret_access_key"), kwargs.get("aws_session_token"))
    record = table[key_id]
    if record is None:
        return Acting(cloud.iam, cloud.iam.root, credentials=creds)
    account = cloud.account(record.account_id)
    principal = record.user if isinstance(record, AccessKey) else record
    return Acting(account.iam, principal, credentials=creds)


class _Access:
    """The part of IAMService that decides requests and speaks STS."""

    # -- who is calling ---------------------------------------------------------------
    @property
    def caller(self) -> Any:
        """The principal making the current call: the root user unless someone is acting."""
        return self._acting[-1].principal if self._acting else self.root  # type: ignore[attr-defined]

    def as_principal(self, principal: Any = None, *, context: Mapping[str, Any] | None = None) -> Acting:
        """Act as a user, a role (an implicit session, skipping the trust check), a session, or
        the root user (``None``).  ``context`` adds request keys such as ``aws:SourceIp``."""
        if principal is None:
            principal = self.root  # type: ignore[attr-defined]
        elif isinstance(principal, str):
            principal = self._role(principal) if ":role/" in principal else self._user(principal.rsplit("/", 1)[-1])
        if isinstance(principal, Role):
            principal = self._implicit_session(principal)
        if not isinstance(principal, (User, Root, AssumedRoleSession)):
            raise InvalidParameter("InvalidParameterValue", f"Cannot act as {principal!r}: give an IAM user, a role, "
                                   "an assumed-role session, or None for the root user. Groups are not principals.")
        if principal.account_id != self.account_id:  # type: ignore[attr-defined]
            raise InvalidParameter("InvalidParameterValue", f"{principal.arn} belongs to account "
                                   f"{principal.account_id}; act in that account's cloud, or assume a role "
                                   f"in this one with assume_role.")
        if isinstance(principal, User) and self.users.get(principal.name.lower()) is not principal:  # type: ignore[attr-defined]
            raise NotFound("NoSuchEntity", f"User {principal.name} no longer exists in this account.", status=404)
        return Acting(self, principal, context=context)

    def _implicit_session(self, role: Role) -> AssumedRoleSession:
        return AssumedRoleSession(role=role, session_name="awskit", access_key_id="", secret="", session_token="",
                                  expiration=math.inf, issued=self.cloud.clock.now)  # type: ignore[attr-defined]

    # -- deciding ------------------------------------------------------------------------
    def _context(self, principal: Any, extra: Mapping[str, Any] | None) -> dict[str, Any]:
        clock = self.cloud.clock  # type: ignore[attr-defined]
        ctx = principal.request_context(clock.isoformat(), clock.now)
        if self._acting:  # type: ignore[attr-defined]
            ctx.update(self._acting[-1].context)  # type: ignore[attr-defined]
        ctx.update(context_keys(extra))
        return ctx

    @staticmethod
    def _decide(principal_info: Mapping[str, Any], identity: list, boundaries: list, resource_policy: Any,
                action: str, resource: str, ctx: Mapping[str, Any], *, root: bool = False) -> Decision:
        rdec = rp = None
        if resource_policy is not None:
            rp = resource_policy if isinstance(resource_policy, Policy) else parse_policy(resource_policy,
                                                                                         PolicyKind.RESOURCE)
            rdec = evaluate([("resource-policy", "resource", rp)], action, resource, ctx, principal=principal_info)
        if root:
            if rdec is not None and rdec.decision == "explicitDeny":
                rdec.reason = "with an explicit deny in a resource-based policy"
                return rdec
            return Decision(True, "allowed", [], action, resource)
        idec = evaluate(identity, action, resource, ctx)
        bdecs = [(evaluate([b], action, resource, ctx), b[1]) for b in boundaries]
        where = {"permissions-boundary": "a permissions boundary", "session": "a session policy"}
        checks = [(idec, "an identity-based policy")] + [(d, where.get(t, t)) for d, t in bdecs]
        if rdec is not None:
            checks.append((rdec, "a resource-based policy"))
        for dec, name in checks:
            if dec.decision == "explicitDeny":
                dec.reason = f"with an explicit deny in {name}"
                return dec
        if rdec is not None and rdec.allowed and any(
                principal_match(resource_policy_statement, principal_info) == "direct"
                for resource_policy_statement in _principals_of(rp, rdec.matched_statements)):
            return rdec  # a resource-based policy that names the caller grants on its own
        for dec, kind in bdecs:
            if not dec.allowed:
                return Decision(False, "implicitDeny", [], action, resource,
                                f"because no {'session policy' if kind == 'session' else 'permissions boundary'} "
                                f"allows the {action} action")
        if idec.allowed:
            if rdec is not None and rdec.allowed:
                idec.matched_statements += rdec.matched_statements
            return idec
        idec.reason = f"because no identity-based policy allows the {action} action"
        return idec

    def evaluate_request(self, principal: Any, action: str, resource: str = "*",
                         context: Mapping[str, Any] | None = None, *, resource_policy: Any = None) -> Decision:
        """Decide what AWS would answer if ``principal`` asked for ``action`` on ``resource``."""
        if not hasattr(principal, "request_context"):
            raise InvalidParameter("InvalidInput", f"{principal!r:.60} is not a principal: pass a user, role "
                                   "session or root object (e.g. cloud.iam.get_user('alice')).")
        ctx = self._context(principal, context)
        same = principal.account_id == self.account_id  # type: ignore[attr-defined]
        return self._decide(principal.principal_info(), principal.identity_policies(), principal.boundaries(),
                            resource_policy, action, resource, ctx, root=isinstance(principal, Root) and same)

    def authorize(self, action: str, resource: str = "*", context: Mapping[str, Any] | None = None, *,
                  resource_policy: Any = None, code: str = "AccessDenied") -> None:
        """Raise AccessDenied unless the current caller may do ``action`` on ``resource``."""
        principal = self.caller
        if isinstance(principal, Root) and resource_policy is None:
            return
        decision = self.evaluate_request(principal, action, resource, context, resource_policy=resource_policy)
        if not decision.allowed:
            raise _denied(f"User: {principal.arn} is not authorized to perform: {action} on resource: {resource} "
                          f"{decision.reason}", code)

    def _auth(self, action: str, resource: str) -> None:
        if self._acting:  # type: ignore[attr-defined]
            self.authorize(action, resource)

    # -- STS -------------------------------------------------------------------------------
    def get_caller_identity(self) -> Any:
        """The principal making this call (no permission is needed to ask)."""
        return self.caller

    def assume_role(self, role_arn: Any, session_name: str, *, duration_seconds: int = 3600,
                    external_id: str | None = None, policy: Any = None) -> AssumedRoleSession:
        """Get temporary credentials for a role whose trust policy allows the caller.

        The role may be in another account of the same world.  Raises: AccessDenied (the root
        user, an untrusted caller, a missing role), ValidationError (session name, duration).
        """
        caller = self.caller
        if isinstance(role_arn, Role):
            role_arn = role_arn.arn
        if not isinstance(session_name, str) or not _SESSION_NAME.fullmatch(session_name):
            raise InvalidParameter("ValidationError", f"1 validation error detected: Value {session_name!r} at "
                                   "'roleSessionName' failed to satisfy constraint: 2 to 64 characters of letters, "
                                   "digits and +=,.@_-.")
        m = _ROLE_ARN.fullmatch(role_arn) if isinstance(role_arn, str) else None
        if m is None:
            raise InvalidParameter("ValidationError", f"{role_arn!r} is not a role ARN; it looks like "
                                   "arn:aws:iam::123456789012:role/NAME.")
        if isinstance(duration_seconds, bool) or not isinstance(duration_seconds, int) or duration_seconds < 900:
            raise InvalidParameter("ValidationError", f"1 validation error detected: Value {duration_seconds!r} at "
                                   "'durationSeconds' failed to satisfy constraint: Member must have value greater "
                                   "than or equal to 900.")
        refuse = f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
        if isinstance(caller, Root):
            raise _denied("Roles may not be assumed by root accounts. Call AssumeRole as an IAM user or role "
                          "(create a user, give it an access key, and make a client with that key).")
        account_id, name = m.groups()
        accounts = self.cloud._universe.accounts  # type: ignore[attr-defined]
        target = accounts.get(account_id)
        role = target.iam.roles.get(name.lower()) if target is not None else None
        if role is None or role.arn != role_arn:
            raise _denied(f"{refuse} (no such role in account {account_id}).")
        chained = isinstance(caller, AssumedRoleSession)
        limit = 3600 if chained else role.max_session_duration
        if duration_seconds > limit:
            why = ("role chaining limits a session to one hour" if chained
                   else f"the role's MaxSessionDuration is {role.max_session_duration} seconds")
            raise InvalidParameter("ValidationError", f"The requested DurationSeconds ({duration_seconds}) exceeds "
                                   f"the MaxSessionDuration set for this role: {why}.")
        session_policy = parse_policy(policy, PolicyKind.IDENTITY) if policy is not None else None
        ctx = self._context(caller, {"sts:ExternalId": external_id} if external_id is not None else None)
        info = caller.principal_info()
        trust = evaluate([("trust-policy", "resource", role.trust_policy)], "sts:AssumeRole", role.arn, ctx,
                         principal=info)
        if not trust.allowed:
            raise _denied(f"{refuse} (the role's trust policy does not allow this caller).")
        direct = any(principal_match(s, info) == "direct" for s in _principals_of(role.trust_policy,
                                                                                   trust.matched_statements))
        ident = self._decide(info, caller.identity_policies(), caller.boundaries(), None, "sts:AssumeRole",
                             role.arn, ctx)
        same_account = role.account_id == caller.account_id
        if ident.decision == "explicitDeny" or (not ident.allowed and not (same_account and direct)):
            raise _denied(f"{refuse} {ident.reason}")
        iam = target.iam
        clock = self.cloud.clock  # type: ignore[attr-defined]
        key_id = iam._key_id("ASIA")
        rng = iam.cloud.rng
        session = AssumedRoleSession(
            role=role, session_name=session_name, access_key_id=key_id, secret=iam._secret(),
            session_token="IQoJb3JpZ2luX2VjE" + "".join(rng.choice(_TOKEN_CHARS) for _ in range(340)),
            expiration=clock.now + duration_seconds, issued=clock.now, session_policy=session_policy,
            source_arn=caller.arn, mfa=getattr(caller, "mfa", False))
        self.cloud.namespace("iam.credentials")[key_id] = session  # type: ignore[attr-defined]
        role.last_used = clock.now
        iam._sessions[key_id] = session
        return session

    # -- the policy simulator ---------------------------------------------------------------
    def simulate_principal_policy(self, source: Any, action_names: Iterable[str], resource_arns: Iterable[str] | None
                                  = None, context: Mapping[str, Any] | None = None, *,
                                  policy_inputs: Iterable[Any] = (), resource_policy: Any = None) -> list[Decision]:
        """What each action on each resource would get for a user, group or role (by object or ARN).

        >>> from awskit import Cloud
        >>> iam = Cloud(seed=0).iam
        >>> u = iam.create_user("carol")
        >>> _ = iam.put_policy(u, "logs", {"Version": "2012-10-17", "Statement": [
        ...     {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]})
        >>> [d.decision for d in iam.simulate_principal_policy(u, ["logs:PutLogEvents", "s3:GetObject"])]
        ['allowed', 'implicitDeny']
        """
        entity = self._simulation_source(source)
        self._auth("iam:SimulatePrincipalPolicy", entity.arn)
        extra = [(f"PolicyInputList.{n}", "IAM Policy", parse_policy(p)) for n, p in enumerate(policy_inputs, 1)]
        if isinstance(entity, Group):
            identity, boundaries, info = entity._own_policies("group"), [], {"arn": entity.arn, "account": self.account_id}
            base = {"aws:principalaccount": self.account_id}
        else:
            principal = self._implicit_session(entity) if isinstance(entity, Role) else entity
            identity, boundaries, info = principal.identity_policies(), principal.boundaries(), principal.principal_info()
            base = {k: v for k, v in self._context(principal, None).items()
                    if k in ("aws:username", "aws:userid", "aws:principalarn", "aws:principalaccount",
                             "aws:principaltype")}
        base.update(context_keys(context))
        return self._simulate(identity + extra, boundaries, info, action_names, resource_arns, base, resource_policy)

    def simulate_custom_policy(self, policies: Iterable[Any], action_names: Iterable[str],
                               resource_arns: Iterable[str] | None = None, context: Mapping[str, Any] | None = None,
                               *, resource_policy: Any = None, caller_arn: str | None = None) -> list[Decision]:
        """Evaluate policies you pass in (not attached to anything) against actions and resources."""
        self._auth("iam:SimulateCustomPolicy", "*")
        if isinstance(policies, (str, bytes, dict)) or not isinstance(policies, Iterable):
            raise InvalidParameter("InvalidInput", f"policies is a list of policy documents, not {policies!r:.60}.")
        identity = [(f"PolicyInputList.{n}", "IAM Policy", parse_policy(p)) for n, p in enumerate(policies, 1)]
        if not identity:
            raise InvalidParameter("InvalidInput", "simulate_custom_policy needs at least one policy document.")
        info = {"arn": caller_arn or "", "account": self.account_id}
        return self._simulate(identity, [], info, action_names, resource_arns, context_keys(context), resource_policy)

    def _simulate(self, identity, boundaries, info, action_names, resource_arns, ctx, resource_policy):
        if isinstance(action_names, str) or not all(isinstance(a, str) for a in action_names):
            raise InvalidParameter("InvalidInput", f"ActionNames is a list of strings such as ['s3:GetObject'], "
                                   f"not {action_names!r}.")
        resources = ["*"] if resource_arns is None else list(resource_arns)
        out = []
        for action in action_names:
            for resource in resources:
                out.append(self._decide(info, identity, boundaries, resource_policy, action, resource, ctx))
        return out

    def _simulation_source(self, source: Any) -> User | Group | Role:
        if isinstance(source, (User, Group, Role)):
            return source
        if isinstance(source, str) and source.startswith("arn:aws:iam::"):
            kind, _, name = source.split(":", 5)[5].partition("/")
            name = name.rsplit("/", 1)[-1]
            finder = {"user": self._user, "group": self._group, "role": self._role}.get(kind)  # type: ignore[attr-defined]
            if finder is not None:
                return finder(name)
        raise InvalidParameter("InvalidInput", f"PolicySourceArn must be the ARN of a user, group or role, "
                               f"not {source!r}.")


def _principals_of(policy: Any, matched: list[MatchedStatement]) -> list[Any]:
    if not isinstance(policy, Policy):
        policy = parse_policy(policy, PolicyKind.RESOURCE)
    return [policy.statements[m.index].principal for m in matched
            if m.effect == "Allow" and policy.statements[m.index].principal is not None]
