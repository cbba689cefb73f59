"""The `lokflow` command line: parses arguments, calls services, prints."""
