"""Helpers the CloudFront service modules share (private): raising an error, random tokens."""

from __future__ import annotations

import string

from ..core.errors import InvalidParameter

__all__: list[str] = []

_ALNUM = string.ascii_uppercase + string.digits
_LOWER = string.ascii_lowercase + string.digits


def _fail(code: str, message: str, family=InvalidParameter, status: int | None = None):
    raise family(code, message, **({"status": status} if status else {}))
