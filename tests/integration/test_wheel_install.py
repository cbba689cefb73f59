"""Installed from a wheel (not a source checkout), lokflow still finds its
bundled plans and the flows its workers run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_wheel_install_finds_its_plans_and_flows(tmp_path: Path) -> None:
    wheels, prefix = tmp_path / "wheels", tmp_path / "prefix"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, capture_output=True)
    wheel = next(wheels.glob("lokflow-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--ignore-installed", "--prefix", str(prefix), str(wheel)],
                   check=True, capture_output=True)
    site = next(prefix.glob("lib/python3*/site-packages"))
    env = {**os.environ, "PYTHONPATH": str(site), "LOKFLOW_HOME": str(tmp_path / "home")}
    env.pop("LOKFLOW_PLANS_DIR", None)
    env.pop("LOKFLOW_CODE_DIR", None)
    probe = ("import lokflow, flows\n"
             "from lokflow.settings import Settings\n"
             "s = Settings(_env_file=None)\n"
             "print(lokflow.__file__); print(s.plans_dir); print(s.code_dir)\n")
    out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    package, plans, code = (Path(line) for line in out)
    assert package.is_relative_to(site)
    assert plans == (prefix / "share" / "lokflow" / "plans").resolve()
    assert code == site and (code / "flows" / "activity_reminders.py").is_file()
    validated = subprocess.run([sys.executable, "-m", "lokflow.cli", "validate"], env=env,
                               cwd=tmp_path, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stderr
    assert "5 plan(s) valid" in validated.stdout
