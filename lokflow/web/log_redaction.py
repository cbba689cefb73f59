"""Secret links must not end up in logs: the access log shows
`/rapport/…` and `/feeds/….ics` instead of the tokens."""

from __future__ import annotations

import logging
import re

SECRET_PATHS = re.compile(r"/(rapport|feeds)/[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    return SECRET_PATHS.sub(lambda m: f"/{m.group(1)}/…", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
