"""The annual follow-up report: snapshot, rules and its formats."""
