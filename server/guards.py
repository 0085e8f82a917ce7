"""What keeps one client from hurting the others: rate limits and security headers.

Rate limits use the `limits` library's moving windows, per client address and per portal
origin, from BUDGETQA_RATE_LIMIT and BUDGETQA_RATE_LIMIT_ORIGIN, counted in the storage
BUDGETQA_RATE_LIMIT_STORAGE names (this process's memory by default; redis:// to share the
counts among several worker processes or machines). A refused request gets 429
with Retry-After and the RateLimit-* headers; an allowed one carries RateLimit-* too.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import time

from limits import strategies

from budgetqa import settings
from budgetqa.errors import RequestRefused

# /api/health is for load balancers and monitors: it is cheap and never limited.
UNLIMITED_PATHS = frozenset({"/api/health"})


class RateLimiter:
    """Moving-window limits per client and per origin, counted in the configured storage."""

    def __init__(self):
        self._limiter = strategies.MovingWindowRateLimiter(settings.rate_limit_storage())
        self._per_client = settings.rate_limits("BUDGETQA_RATE_LIMIT")
        self._per_origin = settings.rate_limits("BUDGETQA_RATE_LIMIT_ORIGIN")

    def check(self, client: str, origin: str | None) -> dict[str, str]:
        """The RateLimit-* headers of an allowed request; raises RequestRefused (429) with
        Retry-After in its context when one of the limits is used up."""
        keys = [(limit, "client", client) for limit in self._per_client]
        if origin:
            keys += [(limit, "origin", origin) for limit in self._per_origin]
        tightest: dict[str, str] = {}
        tightest_remaining = math.inf
        for limit, scope, key in keys:
            if not self._limiter.hit(limit, scope, key):
                stats = self._limiter.get_window_stats(limit, scope, key)
                retry = max(1, math.ceil(stats.reset_time - time.time()))
                raise RequestRefused(
                    f"too many requests from this {scope} (limit {limit}); try again in "
                    f"{retry} s", 429, retry_after=retry, limit=str(limit))
            stats = self._limiter.get_window_stats(limit, scope, key)
            if stats.remaining < tightest_remaining:
                tightest_remaining = stats.remaining
                tightest = _headers(limit.amount, stats.remaining, stats.reset_time)
        return tightest


def _headers(amount: int, remaining: int, reset_time: float) -> dict[str, str]:
    return {"RateLimit-Limit": str(amount), "RateLimit-Remaining": str(max(0, remaining)),
            "RateLimit-Reset": str(max(0, math.ceil(reset_time - time.time())))}


def retry_headers(error: RequestRefused) -> dict[str, str]:
    """Retry-After and RateLimit-* headers of a 429."""
    retry = str(error.context.get("retry_after", 1))
    return {"Retry-After": retry, "RateLimit-Remaining": "0", "RateLimit-Reset": retry}


def security_headers(path: str, allowed_origins: set[str]) -> dict[str, str]:
    """Headers every API response carries. The API serves JSON, PNG and one script, so its
    content policy allows nothing to run or load; only the allowed portals may frame it."""
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
               "Cross-Origin-Resource-Policy": "cross-origin"}
    if not path.startswith(("/docs", "/redoc")):  # the OpenAPI pages carry page_policy's
        ancestors = " ".join(sorted(allowed_origins)) or "'none'"
        headers["Content-Security-Policy"] = (f"default-src 'none'; frame-ancestors {ancestors}; "
                                              "base-uri 'none'; form-action 'none'")
    return headers


# An inline <script> block of a page the API itself writes (never of user input).
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def page_policy(html: str) -> str:
    """The content policy of an HTML page the API serves (the offline /docs): scripts, styles
    and calls only from the API itself, and of the inline scripts only those the page holds
    now, by their hash; no framing, no plugins, no forms sent elsewhere."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html))
    return (f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


class GuardMiddleware:
    """A plain ASGI middleware handing every HTTP request to `guard(scope, receive, send,
    inner)` (server/api.py), which admits or refuses it and adds the response headers."""

    def __init__(self, app, guard):
        self.app = app
        self.guard = guard

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.guard(scope, receive, send, self.app)
