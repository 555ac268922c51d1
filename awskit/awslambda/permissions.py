"""A function's resource-based policy: who else (a service, another account) may invoke it.

Identity policies say what a caller may do; a function's resource policy says who may call
*it*.  S3, EventBridge and other services invoke a function only when a statement added
with ``add_permission`` names their service principal (ideally with the source ARN and
account, so no other bucket or account can use the grant).
"""

from __future__ import annotations

import re
from typing import Any

from ..core.errors import NotFound
from .functions import conflict, invalid, validation

__all__: list[str] = []

_ACTION = re.compile(r"(lambda:[*]|lambda:[a-zA-Z]+|[*])")
_SID = re.compile(r"[a-zA-Z0-9-_.]{1,100}")


class _Permissions:
    """The resource-policy operations of :class:`~awskit.awslambda.LambdaService`."""

    def add_permission(self, function: Any, statement_id: str, action: str, principal: str, *,
                       source_arn: str | None = None, source_account: str | None = None,
                       qualifier: str | None = None, function_url_auth_type: str | None = None,
                       principal_org_id: str | None = None) -> dict:
        """Let a service or account invoke the function: a statement in its resource policy.

        >>> from awskit import Cloud
        >>> lam = Cloud(seed=0).awslambda
        >>> fn = lam.create_function("thumbs", handler=lambda e, c: None)
        >>> st = lam.add_permission("thumbs", "s3", "lambda:InvokeFunction", "s3.amazonaws.com",
        ...                         source_arn="arn:aws:s3:::photos")
        >>> st["Principal"]
        {'Service': 's3.amazonaws.com'}

        Raises: ResourceConflictException (statement id taken), ValidationException.
        """
        fn, version, alias = self.resolve(function, qualifier)
        if not isinstance(statement_id, str) or not _SID.fullmatch(statement_id):
            raise validation("statementId", statement_id, "Member must satisfy regular expression pattern: "
                             "([a-zA-Z0-9-_.]+) (1-100 characters)")
        if not isinstance(action, str) or not _ACTION.fullmatch(action):
            raise validation("action", action, "Member must satisfy regular expression pattern: "
                             "(lambda:[*]|lambda:[a-zA-Z]+|[*]), e.g. lambda:InvokeFunction")
        if not isinstance(principal, str) or not principal:
            raise invalid(f"Principal is a service (s3.amazonaws.com), an account id, an ARN or '*', "
                          f"not {principal!r}.")
        if any(s["Sid"] == statement_id for s in fn.policy):
            raise conflict(f"The statement id ({statement_id}) provided already exists. Please provide a new "
                           f"statement id, or remove the existing statement.")
        if principal == "*":
            who: Any = "*"
        elif principal.endswith((".amazonaws.com", ".amazonaws.com.cn")):
            who = {"Service": principal}
        elif re.fullmatch(r"\d{12}", principal):
            who = {"AWS": f"arn:aws:iam::{principal}:root"}
        elif principal.startswith("arn:"):
            who = {"AWS": principal}
        else:
            raise invalid(f"The provided principal was invalid: {principal!r}. Use a service principal such as "
                          f"s3.amazonaws.com, a 12-digit account id, an IAM ARN or '*'.")
        resource = alias.arn if alias else (version.arn if version.version != "$LATEST" or qualifier else fn.arn)
        statement: dict[str, Any] = {"Sid": statement_id, "Effect": "Allow", "Principal": who, "Action": action,
                                     "Resource": resource}
        cond: dict[str, dict[str, str]] = {}
        if source_account is not None:
            cond.setdefault("StringEquals", {})["AWS:SourceAccount"] = source_account
        if principal_org_id is not None:
            cond.setdefault("StringEquals", {})["aws:PrincipalOrgID"] = principal_org_id
        if function_url_auth_type is not None:
            if function_url_auth_type not in ("NONE", "AWS_IAM"):
                raise validation("functionUrlAuthType", function_url_auth_type,
                                 "Member must satisfy enum value set: [NONE, AWS_IAM]")
            cond.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = function_url_auth_type
        if source_arn is not None:
            cond.setdefault("ArnLike", {})["AWS:SourceArn"] = source_arn
        if cond:
            statement["Condition"] = cond
        fn.policy.append(statement)
        return statement

    def remove_permission(self, function: Any, statement_id: str, qualifier: str | None = None) -> None:
        fn = self.resolve(function, qualifier)[0]
        for i, st in enumerate(fn.policy):
            if st["Sid"] == statement_id:
                del fn.policy[i]
                return
        raise NotFound("ResourceNotFoundException", f"Statement {statement_id} is not found in resource policy. "
                       f"Statements: {', '.join(s['Sid'] for s in fn.policy) or 'none'}.", status=404)

    def get_policy(self, function: Any, qualifier: str | None = None) -> dict:
        """The resource-based policy document (ResourceNotFoundException when there is none)."""
        fn = self.resolve(function, qualifier)[0]
        doc = fn.policy_document()
        if doc is None:
            raise NotFound("ResourceNotFoundException", "The resource you requested does not exist. (This function "
                           "has no resource-based policy: add_permission creates one.)", status=404)
        return doc

    def allows(self, function: Any, principal_service: str, action: str = "lambda:InvokeFunction", *,
               source_arn: str | None = None, source_account: str | None = None) -> bool:
        """Does the function's resource policy let ``principal_service`` (e.g. s3.amazonaws.com) do ``action``?

        What S3 checks before accepting a notification destination, and Lambda before running
        a service's event.
        """
        fn, version, alias = self.resolve(function)
        doc = fn.policy_document()
        if doc is None:
            return False
        from ..iam.policy import PolicyKind, evaluate, parse_policy

        ctx = {}
        if source_arn is not None:
            ctx["aws:SourceArn"] = source_arn
        if source_account is not None:
            ctx["aws:SourceAccount"] = source_account
        policy = parse_policy(doc, PolicyKind.RESOURCE, strict_version=False)
        resources = {fn.arn, alias.arn if alias else version.arn}
        return any(evaluate([("resource-policy", "resource", policy)], action, r, ctx,
                            principal={"service": principal_service}).allowed for r in resources)
