"""The public transparency page of a plan (öppenhet och insyn): opt-in per
plan (`public: true`), read-only, without personal data, with open data
(JSON, CSV) and an Atom feed of changes, cached by a stamp of the data."""
