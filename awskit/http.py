"""A tiny HTTP request/response pair shared by everything that serves or routes web traffic.

Nothing travels over a network in awskit: an application installed on an instance is a
Python callable ``app(request) -> response`` and a load balancer "forwards" by calling it.
These two records are what passes between them.

>>> from awskit.http import Request, Response
>>> def hello(request):
...     return Response(200, body=f"hello from {request.path}")
>>> hello(Request("GET", "/health")).body
'hello from /health'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["REASONS", "App", "Request", "Response"]

#: Reason phrases for the status codes awskit produces or teaches.
REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
           400: "Bad Request", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error",
           502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass(slots=True)
class Request:
    """An HTTP request: method, path, headers, query parameters and a text body."""

    method: str = "GET"
    path: str = "/"
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: str = ""
    #: who sent it (an IPv4 address as text), filled in by whoever delivers the request
    client_ip: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.method, str) or not self.method.isalpha():
            raise ValueError(f"An HTTP method is a word such as 'GET' or 'POST', not {self.method!r}.")
        self.method = self.method.upper()
        if not isinstance(self.path, str) or not self.path.startswith("/"):
            raise ValueError(f"A request path starts with '/', e.g. '/index.html', not {self.path!r}.")

    def __repr__(self) -> str:
        return f"Request({self.method!r}, {self.path!r})"


@dataclass(slots=True)
class Response:
    """An HTTP response: status code, headers and a text body."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400

    @property
    def reason(self) -> str:
        return REASONS.get(self.status, "")

    def __repr__(self) -> str:
        body = self.body if len(self.body) <= 40 else self.body[:37] + "..."
        return f"Response({self.status}, body={body!r})"


#: What an application is: a callable taking a Request and returning a Response.
App = Callable[[Request], Any]
