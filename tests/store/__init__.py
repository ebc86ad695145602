"""Store tests: every rule, against the real JSON file under tmp_path."""
