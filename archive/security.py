"""Who is asking: the client address that login throttling counts failures against.

Behind ``KIROKU_NUM_PROXIES`` reverse proxies (setting ``KIROKU_PROXY_COUNT``), the client is
the address the outermost of them saw, which the innermost appended to ``X-Forwarded-For``: the
entry that many from the right. Anything to the left of it was written by the client and is
ignored, so a spoofed header cannot move failed logins onto somebody else's address. With no
proxy (the default) the header is ignored altogether and the socket's address is used.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    proxies = settings.KIROKU_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote  # not through the expected proxies: trust only the socket
    return forwarded[-proxies]
