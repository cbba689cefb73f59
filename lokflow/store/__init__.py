"""Persistence: the schema, its migrations and the repositories over it."""
