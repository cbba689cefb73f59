"""Trusting a reverse proxy, safely. Uvicorn's own proxy handling replaces the
client address with the forwarded one, after which nobody can tell whether a
request really came through the proxy. This middleware remembers the direct
peer first (`scope["lokflow.peer"]`), then applies the same X-Forwarded-*
handling, so a login header is only believed when the proxy itself sent it.
`*` is refused (the settings refuse it first): any client could then pick the
address the login limit counts."""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

PEER = "lokflow.peer"


class PeerThenProxyHeaders:
    def __init__(self, app: ASGIApp, trusted: str) -> None:
        if "*" in (e.strip() for e in trusted.split(",")):
            raise ValueError("X-Forwarded-For is never trusted from everyone ('*')")
        self.inner: Any = ProxyHeadersMiddleware(app, trusted_hosts=trusted)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            scope[PEER] = client[0] if client else None
        await self.inner(scope, receive, send)


def peer_of(scope: Scope) -> str | None:
    """The address that connected to us (the proxy, if there is one)."""
    if PEER in scope:
        peer: str | None = scope[PEER]
        return peer
    client = scope.get("client")
    return str(client[0]) if client else None


def is_trusted(peer: str | None, trusted: str, allow_any: bool = True) -> bool:
    """Whether `peer` is in the comma-separated list of addresses or networks
    (`*` is everyone, unless `allow_any` is false)."""
    if not peer:
        return False
    for entry in (e.strip() for e in trusted.split(",") if e.strip()):
        if (entry == "*" and allow_any) or entry == peer:
            return True
        try:
            if ipaddress.ip_address(peer) in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False
