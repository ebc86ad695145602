"""The data file on disk: where it is, following links safely, atomic writes under a write lock,
and reading it back (the one-pass typed read, then the schema check of every record)."""
