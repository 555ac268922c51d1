"""Helpers the Redshift service shares (private): the checks on identifiers and passwords.

Cluster and snapshot identifiers are lower-cased letters, digits and hyphens; a master
password mixes upper case, lower case and digits.  A bad value raises
``InvalidParameterValue`` (or the code given) with a message that says what is allowed.
"""

from __future__ import annotations

import re
import string
from typing import Any

from ..core.errors import InvalidParameter

__all__: list[str] = []

_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_DB = re.compile(r"^[a-z_][a-z0-9_$]*$")
_USER = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED_USERS = {"user", "public", "default", "select", "table", "all", "rdsdb", "admin_role"}
_PASSWORD_BANNED = set("'\"\\/@ ")


def _bad(message: str, code: str = "InvalidParameterValue"):
    raise InvalidParameter(code, message)


def _check_identifier(value: Any, what: str, limit: int = 63) -> str:
    """Cluster and snapshot identifiers: letters, digits, hyphens; AWS stores them lower-case."""
    if not isinstance(value, str) or not value:
        _bad(f"{what} must be a non-empty string, not {value!r}.")
    ident = value.lower()
    if len(ident) > limit or not _ID.match(ident) or "--" in ident or ident.endswith("-"):
        _bad(f"{what} {value!r} is invalid: it must be 1-{limit} letters, digits or hyphens, start with a "
             "letter, and contain no two consecutive hyphens and no trailing hyphen.")
    return ident


def _check_password(pw: Any) -> str:
    if not isinstance(pw, str) or not 8 <= len(pw) <= 64:
        _bad("MasterUserPassword must be 8-64 characters long.")
    if not (any(c.isupper() for c in pw) and any(c.islower() for c in pw) and any(c.isdigit() for c in pw)):
        _bad("MasterUserPassword needs at least one uppercase letter, one lowercase letter and one digit.")
    bad = sorted({c for c in pw if c in _PASSWORD_BANNED or c not in string.printable or c in "\t\n\r\x0b\x0c"})
    if bad:
        _bad(f"MasterUserPassword may not contain {', '.join(repr(c) for c in bad)} "
             "(no quotes, backslash, slash, @ or spaces).")
    return pw
