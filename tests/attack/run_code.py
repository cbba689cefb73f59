"""Runs a line of Python given on the command line (for measured children)."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    code, sys.argv = sys.argv[1], [sys.argv[0], *sys.argv[2:]]
    exec(compile(code, "<measured>", "exec"))
