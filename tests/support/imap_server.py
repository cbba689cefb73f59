"""A real IMAP server for the tests: Debian's Dovecot in a temporary folder,
listening on a free loopback port, with one passwd-file user whose mail is
a maildir in that folder. Started as a child process and stopped by its PID.

`make test` installs `dovecot-imapd` (tests/install-system-deps.sh); the
test suite never touches a system-wide Dovecot or its configuration."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from lokflow.devtools.ports import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "svar", "svar-losenord-1234"
CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = lokflow-test-{port}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


class ImapServer:
    """Start/stop a throw-away Dovecot; `url` is what LOKFLOW_INBOUND_IMAP_URL takes."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="lokflow-imap-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def start(self) -> ImapServer:
        owner = pwd.getpwnam("dovecot")
        self.root.chmod(0o755)  # Dovecot's own users read the config and passwd file
        for sub in ("run", "state", "mail"):
            (self.root / sub).mkdir()
        os.chown(self.root / "mail", owner.pw_uid, owner.pw_gid)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
        config = self.root / "dovecot.conf"
        config.write_text(CONFIG.format(
            root=self.root, port=self.port, uid=owner.pw_uid, gid=owner.pw_gid,
            login_user="dovenull", internal_user="dovecot", internal_group="dovecot"),
            encoding="utf-8")
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with self.client():
                    return self
            except (OSError, imaplib.IMAP4.error):
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        log = self.log()
        self.stop()
        raise RuntimeError(f"dovecot did not start: {log}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def deliver(self, raw: bytes) -> None:
        """Put a message in the inbox, as the mail server would (IMAP APPEND)."""
        with self.client() as client:
            status, _ = client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
            assert status == "OK", status

    def keywords(self) -> list[set[str]]:
        """The flags of every message in the inbox, in order."""
        with self.client() as client:
            client.select("INBOX")
            _, data = client.fetch("1:*", "(FLAGS)")
            found = []
            for line in data:
                if isinstance(line, bytes) and b"FLAGS" in line:
                    inner = line.split(b"FLAGS (", 1)[1].split(b")", 1)[0]
                    found.append({f.decode() for f in inner.split()})
            return found

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)
