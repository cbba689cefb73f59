"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives and
can be told to answer 4xx/5xx, or be stopped and started again."""

from __future__ import annotations

import email
import threading
from dataclasses import dataclass, field
from email.message import Message
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

from lokflow.devtools.ports import free_port

__all__ = ["SmtpServer", "free_port"]


@dataclass
class Received:
    envelope_to: list[str]
    message: Message


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> "450 ..." or "550 ..."
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        answer = self.refuse.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=default)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start/stop an aiosmtpd Controller on a fixed loopback port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = Handler()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[Message]:
        with self.handler.lock:
            return [r.message for r in self.handler.received]

    def to(self, address: str) -> list[Message]:
        return [
            r.message
            for r in self.handler.received
            if address.lower() in (a.lower() for a in r.envelope_to)
        ]
