"""Reads one plan file with lokflow's reader and prints the outcome as one line
of JSON. The attack tests run it in a child process to measure its memory."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lokflow.plans.plan_files import PlanFile, read_plan_file


def main(path: str) -> None:
    result = read_plan_file(Path(path))
    if isinstance(result, PlanFile):
        print(json.dumps({"plan": result.document.slug}))
    else:
        print(json.dumps({"errors": [[str(e.file), e.line, e.field, e.message] for e in result]}))


if __name__ == "__main__":
    main(sys.argv[1])
