"""Shapes every EC2 networking adapter shares: ids, tag specifications, describe pages.

Private to the EC2 facade modules (:mod:`.ec2_vpc`, :mod:`.ec2_routing`,
:mod:`.ec2_security`).  These helpers translate; they decide nothing about the network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.errors import AWSError, InvalidParameter
from .base import BaseClient, ParamValidationError, apply_filters, check_type, from_tags, to_tags

#: TagSpecifications ResourceType -> the id prefix of that resource
RESOURCE_TYPES = {
    "vpc": "vpc", "subnet": "subnet", "internet-gateway": "igw", "route-table": "rtb",
    "network-acl": "acl", "security-group": "sg", "network-interface": "eni",
}
#: id prefix -> ResourceType as DescribeTags reports it
TYPE_OF_PREFIX = {prefix: rtype for rtype, prefix in RESOURCE_TYPES.items()}


def ident(param: str, value: Any) -> str:
    """An id parameter: boto3 sends strings only (the model then answers Malformed/NotFound)."""
    return check_type(param, value, str)


def ident_list(param: str, values: Any) -> list[str]:
    check_type(param, values, list, tuple)
    for i, v in enumerate(values):
        check_type(f"{param}[{i}]", v, str)
    return list(values)


def flag(param: str, value: Any) -> bool | None:
    """``{"Value": True}`` attribute values (ModifySubnetAttribute, ModifyVpcAttribute...)."""
    if value is None:
        return None
    check_type(param, value, dict)
    if "Value" not in value:
        raise ParamValidationError(f'Missing required parameter in {param}: "Value"')
    return check_type(f"{param}.Value", value["Value"], bool)


def tag_spec(specs: Any, resource_type: str) -> dict[str, str]:
    """``TagSpecifications=[{"ResourceType": "vpc", "Tags": [...]}]`` -> the model's tag dict.

    A ResourceType other than the resource being created is ``InvalidParameterValue``, as EC2
    answers.  Tag keys and values are then checked by the model.
    """
    if specs is None:
        return {}
    check_type("TagSpecifications", specs, list, tuple)
    tags: dict[str, str] = {}
    for i, spec in enumerate(specs):
        check_type(f"TagSpecifications[{i}]", spec, dict)
        rtype = spec.get("ResourceType")
        if rtype != resource_type:
            raise InvalidParameter(
                "InvalidParameterValue",
                f"'{rtype}' is not a valid taggable resource type for this operation: it creates a "
                f"{resource_type}, so use ResourceType='{resource_type}'.")
        tags.update(from_tags(spec.get("Tags", []), f"TagSpecifications[{i}].Tags"))
    return tags


def tagged(shape: dict[str, Any], tags: dict[str, str], key: str = "Tags") -> dict[str, Any]:
    """Add the tag list to a shape; EC2 leaves the key out when a resource has no tags."""
    if tags:
        shape[key] = to_tags(tags)
    return shape


def check_max_results(value: Any, minimum: int = 5, maximum: int = 1000) -> int | None:
    if value is None:
        return None
    check_type("MaxResults", value, int)
    if not minimum <= value <= maximum:
        raise InvalidParameter("InvalidParameterValue",
                               f"Value ( {value} ) for parameter maxResults is invalid. Expecting a value "
                               f"from {minimum} to {maximum}.")
    return value


def describe(*, items: Callable[[], Any], ids: Any, id_param: str, lookup: Callable[[str], Any],
             filters: Any, getters: dict[str, Callable[[Any], Any]], shape: Callable[[Any], dict],
             result_key: str, max_results: Any = None, next_token: Any = None,
             ids_with_max_results: bool = False) -> dict[str, Any]:
    """One Describe* call: ids (looked up in the model's dicts), then filters, then one page.

    ``lookup`` raises the resource's Malformed/NotFound code; objects are shaped only for the
    page that is returned.
    """
    limit = check_max_results(max_results)
    if ids is not None:
        wanted = ident_list(id_param, ids)
        if limit is not None and wanted and not ids_with_max_results:
            raise InvalidParameter("InvalidParameterCombination",
                                   f"The parameter {id_param} cannot be used with the parameter maxResults.")
        found: dict[int, Any] = {}
        for value in wanted:
            obj = lookup(value)
            found.setdefault(id(obj), obj)
        objs = list(found.values()) if wanted else list(items())
    else:
        objs = list(items())
    objs = apply_filters(objs, filters, getters, tag_getter=lambda o: o.tags)
    start = page_start(next_token)
    end = len(objs) if limit is None else start + limit
    out: dict[str, Any] = {result_key: [shape(o) for o in objs[start:end]]}
    if end < len(objs):
        out["NextToken"] = f"page-{end}"
    return out


def page_start(next_token: Any) -> int:
    """Where the page a ``NextToken`` ("page-<n>", as awskit hands it out) starts."""
    if not next_token:
        return 0
    check_type("NextToken", next_token, str)
    head, _, num = next_token.partition("-")
    if head != "page" or not num.isdigit():
        raise InvalidParameter("InvalidNextToken", f"The token '{next_token}' is invalid: pass the "
                                                   "NextToken of the previous page unchanged.")
    return int(num)


def owner(resource: Any) -> str:
    return resource.owner_id


class NetworkClientBase(BaseClient):
    """What the EC2 networking adapters share: the Region's network model and DryRun."""

    @property
    def _net(self):
        """The network model (``cloud.region(<client region>).vpc``)."""
        return self._region.vpc

    def _dry_run(self, dry_run: Any) -> None:
        """EC2's DryRun: check the request, then answer DryRunOperation instead of acting."""
        if dry_run:
            check_type("DryRun", dry_run, bool)
            raise AWSError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.",
                           status=412)


def unsupported(param: str, what: str) -> None:
    """A real EC2 parameter awskit does not model: say so instead of ignoring it."""
    raise AWSError("UnsupportedOperation",
                   f"{param} is not modelled by awskit ({what}); the simulation covers IPv4 networking only.",
                   status=400)
