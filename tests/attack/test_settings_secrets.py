"""Bad settings and weak secret keys: every entrypoint refuses them with one
line that names the variable (never the secret itself), and the key file is
created once, atomically, by whichever process comes first."""

from __future__ import annotations

import asyncio
import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import annotated_types
import pytest

from lokflow.bootstrap import bootstrap
from lokflow.devtools.ports import free_port
from lokflow.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
LINE = "error: LOKFLOW_REPORT_LINK_DAYS=0: must be between 1 and 365\n"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LOKFLOW_") and k != "PREFECT_API_URL"}
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**env, "PYTHONPATH": path, "LOKFLOW_HOME": str(home), **extra}


def lokflow(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a child (in an empty folder: no .env); stopped by PID if it keeps running."""
    process = subprocess.Popen([sys.executable, "-m", "lokflow.cli", *args], cwd=tmp_path,
                               env=clean_env(tmp_path / "home", **extra), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = process.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"`lokflow {' '.join(args)}` kept running instead of refusing:\n{err}")
    return subprocess.CompletedProcess(args, process.returncode, out, err)


@pytest.mark.parametrize("command", [["plans"], ["serve"], ["run", "--once"]])
def test_a_bad_setting_is_one_line_for_every_entrypoint(command: list[str],
                                                       tmp_path: Path) -> None:
    if command == ["serve"]:
        command = ["serve", "--port", str(free_port())]
    result = lokflow(command, tmp_path, LOKFLOW_REPORT_LINK_DAYS="0")
    assert result.returncode != 0
    assert (result.stderr, result.stdout) == (LINE, "")


def _int_ranges() -> list[tuple[str, str, str]]:
    """Every integer setting with bounds: a value just outside, and the promised line."""
    cases = []
    for name, field in Settings.model_fields.items():
        low = next((m.ge for m in field.metadata if isinstance(m, annotated_types.Ge)), None)
        high = next((m.le for m in field.metadata if isinstance(m, annotated_types.Le)), None)
        if low is None and high is None:
            continue
        if low is not None and high is not None:
            rule, value = f"must be between {low} and {high}", high + 1  # type: ignore[operator]
        elif low is not None:
            rule, value = f"must be at least {low}", low - 1  # type: ignore[operator]
        else:
            rule, value = f"must be at most {high}", high + 1  # type: ignore[operator]
        cases.append((f"LOKFLOW_{name.upper()}", str(value), rule))
    return cases


SETTING_CASES = [
    *_int_ranges(),
    ("LOKFLOW_REPORT_LINK_DAYS", "0", "must be between 1 and 365"),
    ("LOKFLOW_WEB_PORT", "eighty", "must be a whole number"),
    ("LOKFLOW_WEB_PORT", "70000", "must be between 1 and 65535"),
    ("LOKFLOW_PREFECT_PORT", "0", "must be between 1 and 65535"),
    ("LOKFLOW_TIMEZONE", "Mars/Olympus_Mons", "unknown time zone; use e.g. Europe/Stockholm"),
    ("LOKFLOW_LANGUAGE", "de", "must be 'sv' or 'en'"),
    ("LOKFLOW_SEND_TIME", "25:00", "must be a time of day written HH:MM, e.g. 07:30"),
    ("LOKFLOW_SWEEP_TIME", "noon", "must be a time of day written HH:MM, e.g. 07:30"),
]


@pytest.mark.parametrize(("variable", "value", "rule"), SETTING_CASES)
def test_a_bad_setting_names_the_variable_and_its_range(
    variable: str, value: str, rule: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path))
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError) as refused:
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert str(refused.value) == f"{variable}={value}: {rule}"


def test_a_flow_run_fails_with_the_one_line(prefect_harness: None, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.reporting_rounds import reporting_rounds

    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LOKFLOW_REPORT_LINK_DAYS", "0")
    state = asyncio.run(reporting_rounds(return_state=True))  # type: ignore[call-overload]
    assert state.is_failed()
    assert "\n" not in state.message
    assert state.message.endswith(LINE.removeprefix("error: ").rstrip("\n"))


@pytest.mark.parametrize("key", ["CHANGE_ME", "change_me", "Zq9-short-key-Xy",
                                 "CHANGE_ME-CHANGE_ME-CHANGE_ME-CHANGE_ME"])
def test_a_weak_secret_key_setting_is_refused_without_showing_it(key: str,
                                                                 tmp_path: Path) -> None:
    result = lokflow(["plans"], tmp_path, LOKFLOW_SECRET_KEY=key)
    assert result.returncode != 0
    assert result.stderr.startswith("error: LOKFLOW_SECRET_KEY: ")
    assert result.stderr.count("\n") == 1 and key not in result.stderr


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "is empty"), (b"\n", "is empty"), (b"kort nyckel\n", "is 11 bytes; at least 32"),
    (b"CHANGE_ME\n", "is a placeholder")])
def test_a_weak_key_file_is_refused_and_left_alone(content: bytes, reason: str,
                                                   tmp_path: Path) -> None:
    key = tmp_path / "home" / "secret_key"
    key.parent.mkdir()
    key.write_bytes(content)
    result = lokflow(["plans"], tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith(f"error: {key}: the secret key {reason}")
    assert result.stderr.count("\n") == 1
    assert key.read_bytes() == content


def test_serve_refuses_to_start_with_an_empty_key_file(tmp_path: Path) -> None:
    key = tmp_path / "home" / "secret_key"
    key.parent.mkdir()
    key.touch()
    result = lokflow(["serve", "--port", str(free_port())], tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith(f"error: {key}: the secret key is empty")
    assert key.read_bytes() == b""


def test_a_new_key_file_is_private_long_and_kept(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", _env_file=None)  # type: ignore[call-arg]
    first = bootstrap(settings, migrate=False)
    key = first.secret()
    path = tmp_path / "home" / "secret_key"
    assert len(key) >= 32 and path.read_bytes().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert bootstrap(settings, migrate=False).secret() == key
    first.close()


CHILD = """
import hashlib, sys
from pathlib import Path
from lokflow.bootstrap import bootstrap
from lokflow.settings import Settings
print("ready", flush=True)
for line in sys.stdin:
    try:
        app = bootstrap(Settings(home=Path(line.strip()), _env_file=None), migrate=False)
        key = app.secret()
        print(hashlib.sha256(key).hexdigest(), len(key), flush=True)
    except Exception as error:
        print("refused", type(error).__name__, str(error).replace(chr(10), " "), flush=True)
"""


def _answer(child: subprocess.Popen[str]) -> str:
    assert child.stdout is not None
    return child.stdout.readline().strip()


def test_processes_racing_on_a_fresh_home_agree_on_one_key(tmp_path: Path) -> None:
    """Eight processes ask for the key of the same fresh home at once, forty times."""
    children = [subprocess.Popen([sys.executable, "-c", CHILD], cwd=tmp_path, text=True,
                                 env=clean_env(tmp_path), stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE) for _ in range(8)]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for trial in range(40):
            home = tmp_path / f"home{trial}"
            for child in children:
                assert child.stdin is not None
                child.stdin.write(f"{home}\n")
                child.stdin.flush()
            answers = {_answer(child) for child in children}
            stored = (home / "secret_key").read_bytes().strip()
            expected = f"{hashlib.sha256(stored).hexdigest()} {len(stored)}"
            assert answers == {expected}, (trial, answers)
            assert len(stored) >= 32
    finally:
        for child in children:
            if child.stdin:
                child.stdin.close()
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
