"""Status reports: recorded from every channel, read back for pages, the API and the CLI."""
