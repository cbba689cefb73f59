"""`python -m lokflow.cli` runs the CLI (used by tests that start servers)."""

from lokflow.cli.app import main

main()
