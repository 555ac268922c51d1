"""Listener rules: conditions (what a request must look like) and actions (what to do with it).

A rule's conditions are AND'ed and the values inside one condition are OR'ed.  Path patterns
are case-sensitive; host names, header values and query strings are not; ``*`` matches any
characters and ``?`` exactly one.  Actions forward (to one target group or several by weight,
optionally sticky), redirect (with ``#{protocol} #{host} #{port} #{path} #{query}``
placeholders) or answer with a fixed response.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..http import Request, Response
from ._common import check_int, fail

if TYPE_CHECKING:
    from .application import Listener, LoadBalancer
    from .service import ELBService
    from .targets import TargetGroup

__all__ = ["Action", "Condition", "Rule", "parse_action", "parse_condition", "render_redirect", "wildcard"]

#: AWS's quota of condition values ("match evaluations") per rule
CONDITION_VALUES_PER_RULE = 5
CONDITION_FIELDS = ("path-pattern", "host-header", "http-header", "query-string", "http-request-method", "source-ip")
ACTION_TYPES = ("forward", "redirect", "fixed-response")
CONTENT_TYPES = ("text/plain", "text/css", "text/html", "application/javascript", "application/json")


def wildcard(pattern: str, *, case_sensitive: bool) -> re.Pattern[str]:
    """A compiled matcher for ELB's wildcards: ``*`` any characters, ``?`` exactly one.

    >>> bool(wildcard("/img/*", case_sensitive=True).match("/img/cat.png"))
    True
    >>> bool(wildcard("/IMG/*", case_sensitive=True).match("/img/cat.png"))
    False
    """
    body = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(f"^{body}$", 0 if case_sensitive else re.IGNORECASE)


# -- conditions -------------------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class Condition:
    """One rule condition: its field and values (OR'ed); a rule's conditions are AND'ed.

    ``values`` are strings, except for ``query-string`` where each is ``(key, value)`` (key
    may be None) and ``http-header`` which also has ``header_name``.
    """

    field: str
    values: list[Any]
    header_name: str | None = None
    _compiled: list[Any] = field(default_factory=list, repr=False)

    @property
    def n_values(self) -> int:
        return len(self.values)

    def compile(self) -> Condition:
        f = self.field
        if f == "path-pattern":
            self._compiled = [wildcard(v, case_sensitive=True) for v in self.values]
        elif f in ("host-header", "http-header"):
            self._compiled = [wildcard(v, case_sensitive=False) for v in self.values]
        elif f == "query-string":
            self._compiled = [(None if k is None else wildcard(k, case_sensitive=False),
                               wildcard(v, case_sensitive=False)) for k, v in self.values]
        elif f == "source-ip":
            self._compiled = [ipaddress.ip_network(v, strict=False) for v in self.values]
        else:
            self._compiled = list(self.values)
        return self

    def actual(self, request: Request) -> Any:
        """What this condition looks at in ``request``."""
        f = self.field
        if f == "path-pattern":
            return request.path
        if f == "host-header":
            return _header(request, "Host").split(":")[0]
        if f == "http-header":
            return _header(request, self.header_name or "")
        if f == "query-string":
            return dict(request.query)
        if f == "http-request-method":
            return request.method
        return request.client_ip

    def matches(self, request: Request) -> bool:
        actual = self.actual(request)
        f = self.field
        if f in ("path-pattern", "host-header", "http-header"):
            return actual is not None and any(p.match(actual) for p in self._compiled)
        if f == "query-string":
            return any(any((k is None or k.match(qk)) and v.match(qv) for qk, qv in actual.items())
                       for k, v in self._compiled)
        if f == "http-request-method":
            return actual in self._compiled
        if not actual:
            return False
        try:
            addr = ipaddress.ip_address(actual)
        except ValueError:
            return False
        return any(addr in net for net in self._compiled)

    def describe(self) -> str:
        if self.field == "http-header":
            return f"http-header {self.header_name} in {self.values}"
        if self.field == "query-string":
            shown = [f"{k}={v}" if k is not None else v for k, v in self.values]
            return f"query-string in {shown}"
        return f"{self.field} in {self.values}"


def _header(request: Request, name: str) -> str:
    low = name.lower()
    for k, v in request.headers.items():
        if k.lower() == low:
            return v
    return ""


def parse_condition(spec: Any) -> Condition:
    """A Condition from a Condition, a boto3 dict (``{"Field": ..., "Values": [...]}`` or the
    ``PathPatternConfig``-style forms) or a shorthand tuple ``("path-pattern", ["/api/*"])``."""
    if isinstance(spec, Condition):
        return spec.compile()
    if isinstance(spec, tuple) and len(spec) in (2, 3):
        fld, values = spec[0], spec[-1]
        header = spec[1] if len(spec) == 3 else None
        spec = {"Field": fld, "Values": values, "_header": header}
    if not isinstance(spec, dict) or "Field" not in spec:
        fail("ValidationError", f"A condition is {{'Field': ..., 'Values': [...]}}, not {spec!r}.")
    fld = spec["Field"]
    if fld not in CONDITION_FIELDS:
        fail("ValidationError", f"Condition field {fld!r} must be one of {', '.join(CONDITION_FIELDS)}.")
    header = spec.get("_header")
    cfg_key = {"path-pattern": "PathPatternConfig", "host-header": "HostHeaderConfig",
               "http-header": "HttpHeaderConfig", "query-string": "QueryStringConfig",
               "http-request-method": "HttpRequestMethodConfig", "source-ip": "SourceIpConfig"}[fld]
    cfg = spec.get(cfg_key)
    values: Any = spec.get("Values")
    if cfg is not None:
        if fld == "http-header":
            header = cfg.get("HttpHeaderName")
        values = cfg.get("Values")
    if fld == "query-string":
        pairs = []
        for v in values or []:
            if isinstance(v, dict):
                pairs.append((v.get("Key"), v.get("Value")))
            elif isinstance(v, tuple) and len(v) == 2:
                pairs.append(v)
            elif isinstance(v, str):
                k, eq, val = v.partition("=")
                pairs.append((k, val) if eq else (None, k))
            else:
                fail("ValidationError", f"A query-string value is {{'Key': ..., 'Value': ...}}, not {v!r}.")
        values = pairs
    if not isinstance(values, list) or not values:
        fail("ValidationError", f"A {fld} condition needs a non-empty list of values, got {values!r}.")
    for v in values:
        flat = v[1] if fld == "query-string" else v
        if not isinstance(flat, str) or not flat:
            fail("ValidationError", f"Condition values are non-empty strings, not {v!r}.")
        if len(flat) > 128:
            fail("ValidationError", f"Condition value {flat[:20]!r}... is longer than 128 characters.")
    if fld == "http-header" and (not isinstance(header, str) or not header):
        fail("ValidationError", "An http-header condition needs HttpHeaderName, e.g. 'User-Agent'.")
    if fld == "http-request-method":
        for v in values:
            if not re.fullmatch(r"[A-Z_-]+", v):
                fail("ValidationError", f"HTTP request method {v!r} must be upper case letters, '-' or '_' "
                                        "(e.g. 'GET'); method matching is case-sensitive.")
    if fld == "source-ip":
        for v in values:
            try:
                ipaddress.ip_network(v, strict=False)
            except ValueError:
                fail("ValidationError", f"Source IP {v!r} is not a CIDR block such as '203.0.113.0/24'.")
            if "/" not in v:
                fail("ValidationError", f"Source IP {v!r} must be written as a CIDR block, e.g. '{v}/32'.")
    if fld == "path-pattern":
        for v in values:
            if not v.startswith("/") and not v.startswith("*"):
                fail("ValidationError", f"A path pattern starts with '/', not {v!r}.")
    return Condition(field=fld, values=list(values), header_name=header).compile()


# -- actions ----------------------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class Action:
    """What a rule does: forward (to one or several weighted groups), redirect, fixed-response."""

    type: str
    target_groups: list[tuple[TargetGroup, int]] = field(default_factory=list)
    stickiness: bool = False
    stickiness_seconds: int = 3600
    redirect: dict[str, str] = field(default_factory=dict)
    fixed_response: dict[str, str] = field(default_factory=dict)
    order: int = 1

    @property
    def target_group(self) -> TargetGroup | None:
        return self.target_groups[0][0] if len(self.target_groups) == 1 else None

    def describe(self) -> str:
        if self.type == "forward":
            if len(self.target_groups) == 1:
                return f"forward to {self.target_groups[0][0].name}"
            return "forward to " + ", ".join(f"{tg.name} (weight {w})" for tg, w in self.target_groups)
        if self.type == "redirect":
            return f"redirect {self.redirect.get('StatusCode')}"
        return f"fixed-response {self.fixed_response.get('StatusCode')}"


def parse_action(service: ELBService, spec: Any, *, lb: LoadBalancer) -> Action:
    """An Action from a boto3 dict, a TargetGroup (forward), or an Action."""
    from .targets import TargetGroup

    if isinstance(spec, Action):
        return spec
    if isinstance(spec, TargetGroup):
        spec = {"Type": "forward", "TargetGroupArn": spec.arn}
    if not isinstance(spec, dict) or "Type" not in spec:
        fail("ValidationError", f"An action is {{'Type': 'forward', 'TargetGroupArn': ...}} or similar, not {spec!r}.")
    kind = spec["Type"]
    if kind not in ACTION_TYPES:
        fail("ValidationError", f"Action type {kind!r} is not modelled: use {', '.join(ACTION_TYPES)}.")
    order = spec.get("Order", 1)
    if kind == "forward":
        cfg = spec.get("ForwardConfig") or {}
        listed = cfg.get("TargetGroups") or []
        # AWS: with both TargetGroupArn and ForwardConfig, ForwardConfig may name only that group.
        if spec.get("TargetGroupArn") and listed and (
                len(listed) > 1 or listed[0].get("TargetGroupArn") != spec["TargetGroupArn"]):
            fail("ValidationError", "With both TargetGroupArn and ForwardConfig, ForwardConfig can name only the "
                                    "same single target group.")
        groups: list[tuple[Any, int]] = ([(i.get("TargetGroupArn"), i.get("Weight", 1)) for i in listed]
                                         if listed else [(spec.get("TargetGroupArn"), 1)] if spec.get(
                                             "TargetGroupArn") else [])
        if not groups:
            fail("ValidationError", "A forward action needs a TargetGroupArn or ForwardConfig.TargetGroups.")
        if len(groups) > 5:
            fail("ValidationError", f"A forward action can name at most 5 target groups, not {len(groups)}.")
        resolved = []
        for arn, weight in groups:
            tg = service.get_target_group(arn)
            check_int(weight, "Weight", 0, 999)
            service._check_tg_for(lb, tg)
            resolved.append((tg, weight))
        if len({tg.arn for tg, _ in resolved}) != len(resolved):
            fail("ValidationError", "A target group can appear only once in a forward action.")
        if resolved and sum(w for _, w in resolved) == 0:
            fail("ValidationError", "At least one target group of a forward action needs a weight above 0.")
        sticky = (cfg.get("TargetGroupStickinessConfig") or {})
        return Action(type="forward", target_groups=resolved, stickiness=bool(sticky.get("Enabled", False)),
                      stickiness_seconds=sticky.get("DurationSeconds", 3600), order=order)
    if kind == "redirect":
        cfg = dict(spec.get("RedirectConfig") or {})
        code = cfg.get("StatusCode")
        if code not in ("HTTP_301", "HTTP_302"):
            fail("ValidationError", f"A redirect StatusCode is 'HTTP_301' or 'HTTP_302', not {code!r}.")
        proto = cfg.get("Protocol", "#{protocol}")
        if proto not in ("HTTP", "HTTPS", "#{protocol}"):
            fail("ValidationError", f"A redirect Protocol is HTTP, HTTPS or #{{protocol}}, not {proto!r}.")
        path = cfg.get("Path", "/#{path}")
        if not path.startswith("/"):
            fail("ValidationError", f"A redirect Path starts with '/', not {path!r}.")
        query = cfg.get("Query", "#{query}")
        if query.startswith("?"):
            fail("ValidationError", f"A redirect Query has no leading '?': {query!r}.")
        full = {"Protocol": proto, "Port": str(cfg.get("Port", "#{port}")), "Host": cfg.get("Host", "#{host}"),
                "Path": path, "Query": query, "StatusCode": code}
        return Action(type="redirect", redirect=full, order=order)
    cfg = dict(spec.get("FixedResponseConfig") or {})
    code = str(cfg.get("StatusCode", ""))
    if not re.fullmatch(r"[245]\d\d", code):
        fail("ValidationError", f"A fixed-response StatusCode is 2XX, 4XX or 5XX, not {code!r}.")
    ctype = cfg.get("ContentType", "text/plain")
    if ctype not in CONTENT_TYPES:
        fail("ValidationError", f"ContentType {ctype!r} is not allowed: use {', '.join(CONTENT_TYPES)}.")
    body = cfg.get("MessageBody", "")
    if not isinstance(body, str) or len(body) > 1024:
        fail("ValidationError", "A fixed-response MessageBody is text of at most 1024 characters.")
    return Action(type="fixed-response", fixed_response={"StatusCode": code, "ContentType": ctype,
                                                         "MessageBody": body}, order=order)


# -- listeners and rules ----------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True, eq=False)
class Rule:
    """A listener rule: priority (1-50000, or the default rule), conditions and actions."""

    arn: str
    listener: Listener = field(repr=False)
    priority: int | None
    conditions: list[Condition] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def is_default(self) -> bool:
        return self.priority is None

    @property
    def action(self) -> Action:
        return max(self.actions, key=lambda a: a.order)

    def __repr__(self) -> str:
        where = "default" if self.is_default else f"priority={self.priority}"
        conds = " AND ".join(c.describe() for c in self.conditions) or "always"
        return f"Rule({where}: if {conds} -> {self.action.describe()})"


def _fmt_query(q: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in q.items())


def render_redirect(action: Action, request: Request, protocol: str, port: int) -> Response:
    """Build the redirect response, filling ``#{protocol} #{host} #{port} #{path} #{query}``.

    ``#{path}`` is the original path without its leading '/', so the default ``/#{path}`` keeps
    it; the port is left out of the Location when it is the protocol's default (80/443).
    """
    host = _header(request, "Host").split(":")[0]
    values = {"#{protocol}": protocol, "#{host}": host, "#{port}": str(port),
              "#{path}": request.path[1:], "#{query}": _fmt_query(request.query)}

    def fill(text: str) -> str:
        for k, v in values.items():
            text = text.replace(k, v)
        return text

    cfg = action.redirect
    proto = fill(cfg["Protocol"]).upper()
    out_port = fill(cfg["Port"])
    out_host = fill(cfg["Host"])
    path = fill(cfg["Path"])
    query = fill(cfg["Query"])
    default_port = {"HTTP": "80", "HTTPS": "443"}.get(proto)
    port_part = "" if out_port == default_port else f":{out_port}"
    location = f"{proto.lower()}://{out_host}{port_part}{path}{'?' + query if query else ''}"
    status = 301 if cfg["StatusCode"] == "HTTP_301" else 302
    return Response(status, headers={"Location": location})


def _same_actions(a: list[Action], b: list[Action]) -> bool:
    key = lambda x: (x.type, [(tg.arn, w) for tg, w in x.target_groups], x.redirect, x.fixed_response)
    return [key(x) for x in a] == [key(x) for x in b]
