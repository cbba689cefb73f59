"""Use cases: each module does one job for the CLI, the web app and the flows."""
