"""What the sender needs from the composition root: settings, sessions, the
engine (for its outcome writer), the clock and the secret key. `bootstrap.App`
provides it; the sender never sees the rest of the app."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lokflow.settings import Settings


class SenderContext(Protocol):
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    def now(self) -> datetime: ...

    def secret(self) -> bytes: ...
