"""IAM policy documents: validation and the evaluation logic AWS documents.

A policy is a JSON document of statements; each statement allows or denies a set of
actions on a set of resources, optionally only when conditions on the request hold.
AWS decides a request in three steps: an explicit ``Deny`` in any policy that applies wins;
otherwise an ``Allow`` grants it; otherwise it is implicitly denied.  :func:`evaluate`
implements those rules for a list of policies and one request.

>>> doc = {"Version": "2012-10-17", "Statement": [
...     {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::photos/*"},
...     {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/private/*"}]}
>>> evaluate([doc], "s3:GetObject", "arn:aws:s3:::photos/cat.jpg").decision
'allowed'
>>> evaluate([doc], "s3:GetObject", "arn:aws:s3:::photos/private/me.jpg").decision
'explicitDeny'
>>> evaluate([doc], "s3:PutObject", "arn:aws:s3:::photos/cat.jpg").decision
'implicitDeny'
"""

from __future__ import annotations

import datetime as _dt
import functools
import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidParameter

__all__ = [
    "CONDITION_OPERATORS",
    "Decision",
    "MatchedStatement",
    "Policy",
    "PolicyKind",
    "Statement",
    "evaluate",
    "parse_policy",
]


class PolicyKind:
    """Where a policy document is used; each kind has its own structural rules."""

    IDENTITY = "identity"      # attached to a user, group or role: no Principal, needs Resource
    TRUST = "trust"            # a role's AssumeRolePolicyDocument: Principal, no Resource
    RESOURCE = "resource"      # e.g. an S3 bucket policy: Principal and Resource


VALID_VERSIONS = ("2012-10-17", "2008-10-17")
_TOP_KEYS = {"Version", "Id", "Statement"}
_STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal",
                   "NotPrincipal", "Condition"}
_BASE_OPERATORS = (
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
    "StringLike", "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan",
    "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals",
    "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
    "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals",
    "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
)
#: The condition operators IAM accepts (each also with ``IfExists`` and the
#: ``ForAnyValue:``/``ForAllValues:`` set qualifiers, except ``Null``).
CONDITION_OPERATORS = frozenset(_BASE_OPERATORS)
_NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals",
            "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike"}


def _malformed(message: str) -> InvalidParameter:
    return InvalidParameter("MalformedPolicyDocument", message)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


# -- wildcards ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern:
    """``*`` matches any run of characters and ``?`` exactly one; nothing else is special."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _like(pattern: str, value: str, ignore_case: bool = False) -> bool:
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == value.lower() if ignore_case else pattern == value
    return _glob(pattern, ignore_case).fullmatch(value) is not None


def action_matches(pattern: str, action: str) -> bool:
    """Actions compare case-insensitively: ``S3:get*`` matches ``s3:GetObject``."""
    return pattern == "*" or _like(pattern, action, ignore_case=True)


def _arn_like(pattern: str, arn: str) -> bool:
    """ARNs compare segment by segment (the six colon-separated parts), case-sensitively."""
    if pattern == "*":
        return True
    p_parts, a_parts = pattern.split(":", 5), arn.split(":", 5)
    if len(p_parts) != 6 or len(a_parts) != 6:
        return _like(pattern, arn)
    return all(_like(p, a) for p, a in zip(p_parts, a_parts))


# -- policy variables ------------------------------------------------------------------------

_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class _Missing(Exception):
    """A policy variable whose key the request does not carry: the element cannot match."""


def _substitute(text: str, context: Mapping[str, Any]) -> str:
    if "${" not in text:
        return text

    def repl(m: re.Match) -> str:
        inner = m.group(1).strip()
        if inner in ("*", "?", "$"):           # ${*} ${?} ${$}: the literal character
            return inner
        key, _, default = inner.partition(",")
        value = context.get(key.strip().lower())
        if value is None:
            default = default.strip()
            if len(default) >= 2 and default[0] == default[-1] == "'":
                return default[1:-1]
            raise _Missing(key)
        return str(value[0] if isinstance(value, list) and value else value)

    return _VARIABLE.sub(repl, text)


# -- conditions ----------------------------------------------------------------------------

def _parse_date(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, _dt.datetime):
        return value.timestamp()
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return float(text)
    try:
        parsed = _dt.datetime.fromisoformat(text)  # Python 3.11 reads the trailing Z
    except ValueError:
        raise ValueError(text) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.UTC)
    return parsed.timestamp()


def _compare(op: str, want: str, have: Any) -> bool:
    """One policy value against one request value, for a base (non-negated) operator."""
    if op in ("StringEquals", "StringNotEquals"):
        return str(have) == want
    if op in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return str(have).lower() == want.lower()
    if op in ("StringLike", "StringNotLike"):
        return _like(want, str(have))
    if op in ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"):
        return _arn_like(want, str(have))
    if op == "Bool":
        return str(have).lower() == str(want).lower()
    if op == "BinaryEquals":
        return str(have) == want
    try:
        if op.startswith("Numeric"):
            a, b = float(have), float(want)
        elif op.startswith("Date"):
            a, b = _parse_date(have), _parse_date(want)
        elif op in ("IpAddress", "NotIpAddress"):
            return ipaddress.ip_address(str(have)) in ipaddress.ip_network(str(want), strict=False)
        else:  # pragma: no cover - validation rejects unknown operators
            return False
    except ValueError:
        return False  # AWS: a value that does not parse as the operator's type does not match
    suffix = op[7:] if op.startswith("Numeric") else op[4:]
    return {"Equals": a == b, "NotEquals": a == b, "LessThan": a < b, "LessThanEquals": a <= b,
            "GreaterThan": a > b, "GreaterThanEquals": a >= b}[suffix]


def _condition_holds(qualified: str, key: str, wanted: list, context: Mapping[str, Any],
                     substitute: bool) -> bool:
    qualifier, _, op = qualified.rpartition(":")
    if_exists = op.endswith("IfExists")
    if if_exists:
        op = op[: -len("IfExists")]
    have = context.get(key.lower())
    if op == "Null":
        present = have is not None and have != []
        return any((str(w).lower() == "true") != present for w in wanted)
    try:
        values = [_substitute(str(w), context) if substitute and isinstance(w, str) else
                  (str(w).lower() if isinstance(w, bool) else str(w)) for w in wanted]
    except _Missing:
        return False
    negated = op in _NEGATED
    if have is None or have == []:
        if qualifier == "ForAllValues":
            return True           # every one of zero request values matches
        if qualifier == "ForAnyValue":
            return False
        return if_exists or negated  # a missing key fails a positive test, passes a negated one
    haves = have if isinstance(have, (list, tuple, set)) else [have]
    haves = [str(h).lower() if isinstance(h, bool) else h for h in haves]

    def one(h: Any) -> bool:
        hit = any(_compare(op, w, h) for w in values)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return all(one(h) for h in haves)
    if qualifier == "ForAnyValue":
        return any(one(h) for h in haves)
    return one(haves[0]) if len(haves) == 1 else any(one(h) for h in haves)


# -- documents -------------------------------------------------------------------------------

@dataclass(slots=True, kw_only=True)
class Statement:
    """One validated statement; ``index`` is its position in the document."""

    index: int
    sid: str | None
    effect: str
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    principal: Any = None
    not_principal: Any = None
    condition: dict[str, dict[str, list]] = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False)

    def matches_action(self, action: str) -> bool:
        if self.actions is not None:
            return any(action_matches(p, action) for p in self.actions)
        return not any(action_matches(p, action) for p in self.not_actions or ())

    def matches_resource(self, resource: str, context: Mapping[str, Any], variables: bool) -> bool:
        def hit(patterns: tuple[str, ...]) -> bool:
            for p in patterns:
                try:
                    p = _substitute(p, context) if variables else p
                except _Missing:
                    continue
                if _arn_like(p, resource):
                    return True
            return False

        if self.resources is not None:
            return hit(self.resources)
        if self.not_resources is not None:
            return not hit(self.not_resources)
        return True  # trust policies have no Resource: the role itself is the resource

    def conditions_hold(self, context: Mapping[str, Any], variables: bool) -> bool:
        return all(_condition_holds(op, key, values, context, variables)
                   for op, block in self.condition.items() for key, values in block.items())


@dataclass(slots=True, kw_only=True)
class Policy:
    """A parsed, validated policy document.  ``text`` keeps what the user gave, unchanged.

    >>> p = Policy.parse('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", '
    ...                  '"Action": "*", "Resource": "*"}}')
    >>> p.version, len(p.statements), p.document["Statement"]["Effect"]
    ('2012-10-17', 1, 'Allow')
    """

    document: dict
    text: str
    kind: str = PolicyKind.IDENTITY
    version: str = "2008-10-17"
    id: str | None = None
    statements: tuple[Statement, ...] = ()

    @classmethod
    def parse(cls, document: Any, kind: str = PolicyKind.IDENTITY) -> Policy:
        return parse_policy(document, kind)

    @property
    def variables(self) -> bool:
        """Policy variables (``${aws:username}``) only work in version 2012-10-17 documents."""
        return self.version == "2012-10-17"

    def __repr__(self) -> str:
        effects = ", ".join(f"{s.effect} {','.join(s.actions or ('Not ' + ','.join(s.not_actions or ()),))}"
                            for s in self.statements[:3])
        more = f", ... ({len(self.statements) - 3} more)" if len(self.statements) > 3 else ""
        return f"Policy({effects}{more})"


def parse_policy(document: Any, kind: str = PolicyKind.IDENTITY, *, strict_version: bool = True) -> Policy:
    """Validate a policy (a JSON string, a dict or a :class:`Policy`) for its use.

    ``strict_version`` applies IAM's rule that identity policies must say
    ``"Version": "2012-10-17"``; :func:`evaluate` relaxes it to read older documents.

    Raises:
        MalformedPolicyDocument: bad JSON, an unknown element, a bad Version or Effect,
            a statement without actions or (identity policies) without resources, a
            Principal in an identity policy, a Resource in a trust policy, or an unknown
            condition operator.
    """
    if isinstance(document, Policy):
        if document.kind == kind:
            return document
        document = document.document
    if isinstance(document, (bytes, bytearray)):
        try:
            document = document.decode()
        except UnicodeDecodeError:
            raise _malformed("The policy document is bytes that are not UTF-8 text: give the JSON as a "
                             "string (json.dumps(policy)).") from None
    if isinstance(document, str):
        text = document
        try:
            doc = json.loads(document)
        except ValueError as err:
            raise _malformed(f"Syntax errors in policy: the document is not valid JSON ({err}).") from None
    elif isinstance(document, Mapping):
        doc = document
        try:
            text = json.dumps(document)
        except (TypeError, ValueError):
            raise _malformed("Syntax errors in policy: the document holds values that are not JSON.") from None
        doc = json.loads(text)
    else:
        raise _malformed(f"A policy document is a JSON string or a dict, not {type(document).__name__}.")
    if not isinstance(doc, dict):
        raise _malformed("Syntax errors in policy: the document must be a JSON object {...}.")
    extra = set(doc) - _TOP_KEYS
    if extra:
        raise _malformed(f"Syntax errors in policy: unknown element(s) {', '.join(sorted(extra))}; "
                         f"a policy has Version, Id and Statement.")
    version = doc.get("Version")
    if version is not None and version not in VALID_VERSIONS:
        raise _malformed(f"Syntax errors in policy: Version {version!r} is not valid; use \"2012-10-17\".")
    if strict_version and kind == PolicyKind.IDENTITY and version != "2012-10-17":
        # IAM refuses identity policies without the current version (moto and AWS agree).
        raise _malformed("Policy document must be version 2012-10-17 or greater. "
                         'Add "Version": "2012-10-17" at the top of the document.')
    if "Statement" not in doc:
        raise _malformed("Syntax errors in policy: the document has no Statement.")
    raw_statements = doc["Statement"]
    if isinstance(raw_statements, dict):
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, list) or not raw_statements:
        raise _malformed("Syntax errors in policy: Statement must be a statement object or a non-empty list of them.")
    statements = tuple(_statement(i, st, kind) for i, st in enumerate(raw_statements))
    sids = [s.sid for s in statements if s.sid]
    if len(sids) != len(set(sids)):
        raise _malformed("Statement IDs (SID) in a single policy must be unique.")
    return Policy(document=doc, text=text, kind=kind, version=version or "2008-10-17",
                  id=doc.get("Id"), statements=statements)


def _strings(st: dict, key: str, i: int) -> tuple[str, ...] | None:
    if key not in st:
        return None
    value = st[key]
    values = _as_list(value)
    if not values or not all(isinstance(v, str) and v for v in values):
        raise _malformed(f"Syntax errors in policy: Statement[{i}].{key} must be a non-empty string "
                         f"or list of strings, not {value!r}.")
    return tuple(values)


def _statement(i: int, st: Any, kind: str) -> Statement:
    if not isinstance(st, dict):
        raise _malformed(f"Syntax errors in policy: Statement[{i}] must be an object, not {st!r}.")
    extra = set(st) - _STATEMENT_KEYS
    if extra:
        raise _malformed(f"Syntax errors in policy: Statement[{i}] has unknown element(s) "
                         f"{', '.join(sorted(extra))}; valid: {', '.join(sorted(_STATEMENT_KEYS))}.")
    effect = st.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise _malformed(f"Syntax errors in policy: Statement[{i}].Effect is {effect!r}; it must be "
                         f"\"Allow\" or \"Deny\" (case matters).")
    if ("Action" in st) == ("NotAction" in st):
        raise _malformed(f"Policy statement must contain actions: Statement[{i}] needs exactly one of "
                         f"Action or NotAction.")
    actions, not_actions = _strings(st, "Action", i), _strings(st, "NotAction", i)
    for a in actions or not_actions or ():
        if a != "*" and (a.count(":") != 1 or not re.fullmatch(r"[A-Za-z0-9\-.*?]+", a.split(":")[0])):
            raise _malformed(f"Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.: "
                             f"{a!r} should look like \"s3:GetObject\".")
    if "Resource" in st and "NotResource" in st:
        raise _malformed(f"Syntax errors in policy: Statement[{i}] has both Resource and NotResource.")
    resources, not_resources = _strings(st, "Resource", i), _strings(st, "NotResource", i)
    has_principal = "Principal" in st or "NotPrincipal" in st
    if kind == PolicyKind.IDENTITY:
        if has_principal:
            raise _malformed(f"Policy document should not specify a principal: Statement[{i}] has a Principal; "
                             f"principals belong in trust policies and resource-based policies.")
        if resources is None and not_resources is None:
            raise _malformed(f"Policy statement must contain resources: add \"Resource\" to Statement[{i}].")
    elif kind == PolicyKind.TRUST:
        if resources is not None or not_resources is not None:
            raise _malformed("Has prohibited field Resource: a trust policy's resource is the role itself.")
        if not has_principal:
            raise _malformed(f"Missing required field Principal in Statement[{i}] of the trust policy.")
        for a in actions or ():
            if not a.lower().startswith("sts:") and a != "*":
                raise _malformed("Trust Policy statement actions can only be sts:AssumeRole, "
                                 f"sts:AssumeRoleWithSAML, and sts:AssumeRoleWithWebIdentity, not {a!r}.")
    else:
        if not has_principal:
            raise _malformed(f"Missing required field Principal in Statement[{i}] of the resource policy.")
    for key in ("Principal", "NotPrincipal"):
        if key in st:
            _check_principal(st[key], i)
    condition = _condition(st.get("Condition", {}), i)
    sid = st.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise _malformed(f"Syntax errors in policy: Statement[{i}].Sid must be a string.")
    return Statement(index=i, sid=sid, effect=effect, actions=actions, not_actions=not_actions,
                     resources=resources, not_resources=not_resources, principal=st.get("Principal"),
                     not_principal=st.get("NotPrincipal"), condition=condition, raw=st)


def _check_principal(value: Any, i: int) -> None:
    if value == "*":
        return
    if not isinstance(value, dict) or not value:
        raise _malformed(f"Invalid principal in policy: Statement[{i}].Principal must be \"*\" or an object "
                         f"such as {{\"AWS\": \"arn:aws:iam::123456789012:root\"}} or {{\"Service\": "
                         f"\"ec2.amazonaws.com\"}}, not {value!r}.")
    for ptype, who in value.items():
        if ptype not in ("AWS", "Service", "Federated", "CanonicalUser"):
            raise _malformed(f"Invalid principal in policy: {ptype!r}; use AWS, Service, Federated or CanonicalUser.")
        if not all(isinstance(w, str) and w for w in _as_list(who)):
            raise _malformed(f"Invalid principal in policy: {ptype} must name strings, not {who!r}.")


def _condition(value: Any, i: int) -> dict[str, dict[str, list]]:
    if not isinstance(value, dict):
        raise _malformed(f"Syntax errors in policy: Statement[{i}].Condition must be an object.")
    out: dict[str, dict[str, list]] = {}
    for qualified, block in value.items():
        qualifier, _, op = str(qualified).rpartition(":")
        base = op.removesuffix("IfExists")
        if base not in CONDITION_OPERATORS or qualifier not in ("", "ForAnyValue", "ForAllValues"):
            raise _malformed(f"Invalid Condition type : {qualified}. Valid operators: "
                             f"{', '.join(_BASE_OPERATORS)} (optionally ...IfExists, ForAnyValue:/ForAllValues:).")
        if not isinstance(block, dict):
            raise _malformed(f"Syntax errors in policy: Condition {qualified} must map keys to values.")
        out[qualified] = {}
        for key, values in block.items():
            values = _as_list(values)
            if not values or not all(isinstance(v, (str, bool, int, float)) for v in values):
                raise _malformed(f"Syntax errors in policy: Condition {qualified} {key} needs a value or a list of values.")
            if base.startswith("Date"):
                for v in values:
                    try:
                        _parse_date(v)
                    except ValueError:
                        raise _malformed(f"The policy failed legacy parsing: {v!r} is not a date "
                                         f"(use ISO 8601 such as 2026-01-31T00:00:00Z).") from None
            out[qualified][key] = values
    return out


# -- principals ------------------------------------------------------------------------------

def principal_match(spec: Any, principal: Mapping[str, Any] | None) -> str | None:
    """How a Principal element names the caller: ``"direct"``, ``"account"`` or ``None``.

    ``principal`` is a mapping with ``arn``, ``account`` and optionally ``role_arn`` and
    ``service``.  Naming the account (``123456789012`` or ``arn:aws:iam::123456789012:root``)
    only delegates to that account's identity policies, so it is reported as ``"account"``.
    """
    if principal is None:
        return None
    if spec == "*":
        return "direct"
    best = None
    for ptype, who in spec.items():
        for w in _as_list(who):
            if ptype == "Service":
                if principal.get("service") == w:
                    return "direct"
            elif ptype == "AWS":
                if w == "*":
                    return "direct"
                if w in (principal.get("arn"), principal.get("role_arn")):
                    return "direct"
                if w in (principal.get("account"), f"arn:aws:iam::{principal.get('account')}:root"):
                    best = "account"
    return best


# -- evaluation ---------------------------------------------------------------------------------

@dataclass(slots=True, frozen=True)
class MatchedStatement:
    """A statement that applied to the request, and the policy it came from."""

    policy_id: str
    policy_type: str
    index: int
    sid: str | None
    effect: str

    def __repr__(self) -> str:
        sid = f" {self.sid!r}" if self.sid else ""
        return f"<{self.effect} statement {self.index}{sid} of {self.policy_id}>"


@dataclass(slots=True)
class Decision:
    """The outcome of :func:`evaluate`: ``decision`` is AWS's own word for it."""

    allowed: bool
    decision: str            # "allowed" | "explicitDeny" | "implicitDeny"
    matched_statements: list[MatchedStatement] = field(default_factory=list)
    action: str = ""
    resource: str = ""
    #: why a request was denied, in the words AWS puts at the end of an AccessDenied message
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def __repr__(self) -> str:
        return f"Decision({self.decision!r}, {self.action!r} on {self.resource!r}, matched={len(self.matched_statements)})"


def context_keys(context: Mapping[str, Any] | None) -> dict[str, Any]:
    """Condition keys are case-insensitive: normalise the names once."""
    if context is not None and not isinstance(context, Mapping):
        raise InvalidParameter("InvalidInput", f"A request context is a dict of condition keys to values "
                               f"(e.g. {{'aws:SourceIp': '203.0.113.7'}}), not {context!r:.60}.")
    return {str(k).lower(): v for k, v in (context or {}).items()}


def _policies(policies: Any) -> Iterable[tuple[str, str, Policy]]:
    if isinstance(policies, (str, dict, Policy)):
        policies = [policies]
    for n, item in enumerate(policies):
        if isinstance(item, tuple):
            yield item[0], item[1], item[2] if isinstance(item[2], Policy) else parse_policy(item[2], strict_version=False)
        elif isinstance(item, Policy):
            yield f"policy{n + 1}", item.kind, item
        else:
            kind = PolicyKind.IDENTITY
            if isinstance(item, dict) and any("Principal" in s or "NotPrincipal" in s
                                              for s in _as_list(item.get("Statement", []))
                                              if isinstance(s, dict)):
                kind = PolicyKind.RESOURCE
            yield f"policy{n + 1}", kind, parse_policy(item, kind, strict_version=False)


def evaluate(policies: Any, action: str, resource: str = "*", context: Mapping[str, Any] | None = None,
             *, principal: Mapping[str, Any] | None = None) -> Decision:
    """Decide one request against some policies: explicit Deny, then Allow, else implicit deny.

    Args:
        policies: policy documents (dicts, JSON strings or :class:`Policy`), or
            ``(source_id, source_type, policy)`` tuples to label matched statements.
        action: e.g. ``"s3:GetObject"`` (compared case-insensitively).
        resource: the ARN acted on (compared case-sensitively).
        context: request condition keys, e.g. ``{"aws:SourceIp": "203.0.113.7",
            "aws:username": "alice"}``; names are case-insensitive.
        principal: for policies with a Principal element: ``{"arn": ..., "account": ...}``.

    >>> deny_http = {"Version": "2012-10-17", "Statement": [
    ...     {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    ...     {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
    ...      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    >>> evaluate([deny_http], "s3:ListBucket", "arn:aws:s3:::b", {"aws:SecureTransport": False}).decision
    'explicitDeny'
    """
    if not isinstance(action, str) or not action:
        raise InvalidParameter("InvalidInput", f"action must be a string such as 's3:GetObject', not {action!r}.")
    if not isinstance(resource, str) or not resource:
        raise InvalidParameter("InvalidInput", f"resource must be an ARN string or '*', not {resource!r}.")
    ctx = context_keys(context)
    allows: list[MatchedStatement] = []
    denies: list[MatchedStatement] = []
    for source_id, source_type, policy in _policies(policies):
        for st in policy.statements:
            if not st.matches_action(action):
                continue
            if st.principal is not None or st.not_principal is not None:
                if st.principal is not None and principal_match(st.principal, principal) is None:
                    continue
                if st.not_principal is not None and principal_match(st.not_principal, principal) is not None:
                    continue
            if not st.matches_resource(resource, ctx, policy.variables):
                continue
            if not st.conditions_hold(ctx, policy.variables):
                continue
            m = MatchedStatement(source_id, source_type, st.index, st.sid, st.effect)
            (denies if st.effect == "Deny" else allows).append(m)
    if denies:
        return Decision(False, "explicitDeny", denies, action, resource)
    if allows:
        return Decision(True, "allowed", allows, action, resource)
    return Decision(False, "implicitDeny", [], action, resource)
