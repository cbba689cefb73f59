"""Child processes are managed by lokflow.devtools (the benchmark uses them too)."""

from lokflow.devtools.processes import Children, wait_healthy

__all__ = ["Children", "wait_healthy"]
