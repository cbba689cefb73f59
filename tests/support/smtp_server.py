"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives and
can be told to answer 4xx/5xx, or be stopped and started again.

For fault injection its handler can also be slowed, answer each recipient's
first deliveries with 451, drop every n-th connection before answering DATA,
and call a hook before each answer (to move a test clock). Run as a module it
is a server in its own process that appends every accepted Message-ID to a
file, so a test can count deliveries across senders it kills:

    python -m tests.support.smtp_server --port 2525 --record received.txt --delay-ms 20
"""

from __future__ import annotations

import argparse
import asyncio
import email
import inspect
import signal
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.policy import default
from typing import Any, TextIO

from aiosmtpd.controller import Controller

from lokflow.devtools.ports import free_port

__all__ = ["SmtpServer", "free_port"]

BUSY = "451 4.3.2 Try again later"
DROPPED = "421 4.4.2 Connection dropped"


@dataclass
class Received:
    envelope_to: list[str]
    message: Message


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> "450 ..." or "550 ..."
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # seconds each DATA takes before its answer
    busy_first: int = 0  # each recipient's first n deliveries are answered 451
    drop_every: int = 0  # every n-th DATA: the connection is closed instead of answered
    before_answer: Callable[[], object] | None = None  # called (awaited) on each DATA
    record: TextIO | None = None  # one line "Message-ID recipient" per accepted message
    refused_ids: list[str] = field(default_factory=list)  # Message-IDs answered 4xx or dropped
    tries: Counter[str] = field(default_factory=Counter)
    data_count: int = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        answer = self.refuse.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.before_answer is not None:
            hook = self.before_answer()
            if inspect.isawaitable(hook):
                await hook
        parsed = email.message_from_bytes(envelope.content, policy=default)
        recipients = ",".join(sorted(a.lower() for a in envelope.rcpt_tos))
        with self.lock:
            self.data_count += 1
            self.tries[recipients] += 1
            dropped = bool(self.drop_every) and self.data_count % self.drop_every == 0
            busy = self.tries[recipients] <= self.busy_first
            if dropped or busy:
                self.refused_ids.append(str(parsed["Message-ID"]))
            else:
                self.received.append(Received(list(envelope.rcpt_tos), parsed))
                if self.record is not None:
                    self.record.write(f"{parsed['Message-ID']} {recipients}\n")
                    self.record.flush()
        if dropped:
            server.transport.close()  # the client sees the connection drop, nothing accepted
            return DROPPED
        if busy:
            return BUSY
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start/stop an aiosmtpd Controller on a fixed loopback port."""

    def __init__(self, port: int | None = None, handler: Handler | None = None) -> None:
        self.port = port or free_port()
        self.handler = handler or Handler()
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

    def reset(self) -> SmtpServer:
        """Ready for the next test: a fresh handler (nothing received, no faults)
        for every new connection, and started again if a test stopped it."""
        self.handler = Handler()
        if self.controller is None:
            return self.start()
        self.controller.handler = self.handler
        return self

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


def main(argv: list[str] | None = None) -> None:
    """Serve until SIGTERM, recording every accepted message."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record", required=True, help="file to append accepted Message-IDs to")
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--busy-first", type=int, default=0)
    parser.add_argument("--drop-every", type=int, default=0)
    args = parser.parse_args(argv)
    with open(args.record, "a", encoding="utf-8") as record:
        handler = Handler(delay=args.delay_ms / 1000, busy_first=args.busy_first,
                          drop_every=args.drop_every, record=record)
        server = SmtpServer(args.port, handler).start()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        print("ready", flush=True)
        while not stop.wait(0.2):
            pass
        server.stop()


if __name__ == "__main__":
    main()
