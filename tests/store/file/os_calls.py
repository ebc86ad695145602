"""Stand-ins for os.open in tests of the data file's rules: one that fails for one path as the
system would, one that records the flags each open of a path used."""

from __future__ import annotations

import os


def failing_open(path, error: OSError):
    """An os.open that raises ``error`` for ``path`` and opens anything else as usual."""
    real_open = os.open

    def fake_open(name, *args, **kwargs):
        if os.fspath(name) == os.fspath(path):
            raise error
        return real_open(name, *args, **kwargs)

    return fake_open


def record_open_flags(monkeypatch, path) -> list[int]:
    """Patch os.open to note the flags of every open of ``path``; returns the (growing) list."""
    flags_used: list[int] = []
    real_open = os.open

    def recording_open(name, flags, *args, **kwargs):
        if os.fspath(name) == os.fspath(path):
            flags_used.append(flags)
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    return flags_used
