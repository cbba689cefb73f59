"""Getting messages out: the outbox, email rendering and SMTP/maildir sending."""
