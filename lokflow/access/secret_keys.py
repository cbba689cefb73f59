"""The key that signs forms and sessions when LOKFLOW_SECRET_KEY is not set: a
random one kept in $LOKFLOW_HOME/secret_key.

The file is created once, atomically: the key is written to a private
temporary file, which is then hard-linked into place. link() fails when the
key file exists, so of several processes starting at once exactly one key
wins and every process reads that one; nobody ever sees an empty or
half-written file. An existing file that is empty, short or a placeholder is
refused, never silently used and never overwritten.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from lokflow.settings import KEY_ADVICE, SettingsError, weak_key_reason

KEY_FILE = "secret_key"


def file_key(home: Path) -> bytes:
    """The key in `home`, created if there is none yet."""
    path = home / KEY_FILE
    if not path.exists():
        _create(path)
    return _read(path)


def _read(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except OSError as error:
        raise SettingsError(f"{path}: cannot read the secret key ({error.strerror})") from None
    reason = weak_key_reason(key)
    if reason:
        raise SettingsError(f"{path}: the secret key {reason}; delete the file to have "
                            f"lokflow create a new key, or write {KEY_ADVICE} into it")
    return key


def _create(path: Path) -> None:
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}.")
    except OSError as error:
        raise SettingsError(f"{path}: cannot create the secret key ({error.strerror}); "
                            "set LOKFLOW_SECRET_KEY instead") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:  # mode 0600, from mkstemp
            handle.write(secrets.token_urlsafe(48).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process was first: its key is the key
        except OSError as error:
            raise SettingsError(f"{path}: cannot create the secret key ({error.strerror}); "
                                "set LOKFLOW_SECRET_KEY instead") from None
    finally:
        os.unlink(temporary)
