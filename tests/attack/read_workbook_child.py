"""Reads one foreign file with lokflow's importer (the same call the web and
the CLI make) and prints the outcome as one line of JSON. The attack tests
run it in a child process to measure its memory."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lokflow.plan_import.mapping import Mapping
from lokflow.plan_import.service import prepare


def main(path: str) -> None:
    raw = Path(path).read_bytes()
    found = prepare(raw, path, None, Mapping())
    print(json.dumps({"kind": found.kind, "refused": found.refused.code if found.refused else None,
                      "problems": [p.code for p in found.problems]}))


if __name__ == "__main__":
    main(sys.argv[1])
