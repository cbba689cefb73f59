"""Plans as data: plan files read and validated, loaded into the database, and read back."""
