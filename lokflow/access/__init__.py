"""Who may do what: secret tokens, signed values, coordinator accounts and API keys."""
