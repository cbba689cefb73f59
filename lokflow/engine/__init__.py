"""The engine: what is due, decided from the database and written to the outbox."""
