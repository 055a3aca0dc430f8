"""What guards every request of the web app: host, token, cross-site posts, response headers.

* **Host**: a server bound to a loopback address answers only requests addressed to a loopback
  name (``127.0.0.1``, ``localhost``, ``[::1]``), so a web page cannot reach it through a DNS name
  that resolves to 127.0.0.1 (DNS rebinding).
* **Token**: when the app has a token (required for a non-loopback address), every request must
  carry it: ``Authorization: Bearer TOKEN``, or the ``newsfold_token`` cookie, which opening any
  page with ``?token=TOKEN`` once sets (HttpOnly, SameSite=Strict).
* **Size**: a POST must state its ``Content-Length``, at most ``max_body`` bytes (checked
  before anything is read).
* **Cross-site posts**: every POST must carry the server's CSRF token (form field ``csrf_token``
  or header ``X-CSRF-Token``; pages embed it, ``GET /api/csrf`` returns it to same-origin
  scripts), and when the browser names an ``Origin`` it must be this server's.
* **Headers**: a Content-Security-Policy allowing only this server's own scripts and styles (no
  inline script), ``nosniff``, no framing, no referrer sent to other sites (``same-origin``:
  with ``no-referrer`` browsers send ``Origin: null`` on their own form posts).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

__all__ = ["LOOPBACK_NAMES", "Guard", "host_name", "is_loopback"]

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
TOKEN_COOKIE = "newsfold_token"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine only."""
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without the port: ``[::1]:8765`` → ``[::1]``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1]
    return header.split(":", 1)[0]


@dataclass
class Guard:
    """The checks above, as one ASGI-style HTTP middleware (``app.middleware("http")``)."""

    token: str | None = None
    loopback_only: bool = True
    #: The largest request body accepted (bytes); a POST must state its length.
    max_body: int = 64 * 1_048_576
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def _token_ok(self, request: Request) -> bool:
        if self.token is None:
            return True
        given = request.headers.get("authorization", "")
        candidates = [
            given[7:] if given.lower().startswith("bearer ") else "",
            request.cookies.get(TOKEN_COOKIE, ""),
            request.query_params.get("token", ""),
        ]
        return any(c and hmac.compare_digest(c, self.token) for c in candidates)

    def csrf_ok(self, request: Request, form_value: str | None = None) -> bool:
        given = form_value or request.headers.get("x-csrf-token", "")
        return bool(given) and hmac.compare_digest(given, self.csrf)

    def _origin_ok(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        if origin is None:  # not sent by this client (same-origin forms may omit it)
            return True
        parts = urlsplit(origin)
        return parts.netloc == request.headers.get("host", "") and parts.scheme in ("http", "https")

    async def __call__(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        host = host_name(request.headers.get("host", ""))
        if self.loopback_only and host not in LOOPBACK_NAMES:
            return PlainTextResponse(
                f"newsfold serves loopback names only, not {host!r}", status_code=421
            )
        if not self._token_ok(request):
            return _refuse(request, 401, "a valid token is required (?token=… or Authorization)")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return _refuse(request, 411, "a POST must state its Content-Length")
            if int(length) > self.max_body:
                limit = self.max_body / 1_048_576
                return _refuse(request, 413, f"request larger than {limit:g} MB (the limit)")
            if not self._origin_ok(request):
                return _refuse(request, 403, "cross-site request refused (Origin)")
            if request.url.path.startswith("/api/") and not self.csrf_ok(request):
                return _refuse(request, 403, "missing or wrong X-CSRF-Token (GET /api/csrf)")
        if self.token is not None and "token" in request.query_params and request.method == "GET":
            # Keep the token in an HttpOnly cookie, out of the address bar and the history.
            query = urlencode([kv for kv in request.query_params.multi_items() if kv[0] != "token"])
            response: Response = RedirectResponse(
                request.url.path + (f"?{query}" if query else ""), status_code=303
            )
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        return response


def _refuse(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    return PlainTextResponse(f"{status}: {message}", status_code=status)
