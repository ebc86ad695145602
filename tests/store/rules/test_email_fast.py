"""The email shortcut (store.rules.email_fast) answers a plain yes or no, the same every time."""

from __future__ import annotations

import uuid

from store.rules.email_fast import known_valid


def test_known_valid_answers_true_or_false_and_keeps_its_answer():
    fresh = uuid.uuid4().hex  # domains no earlier check (in this process or its parent) has seen
    for _ in range(2):  # the second answer comes from what the first remembered
        assert known_valid(f"ann@{fresh}.example.com") is True
        assert known_valid(f"ann@-{fresh}-.com") is False  # a domain email-validator refuses
        assert known_valid(f"a b@{fresh}.example.com") is False  # not plain: email-validator decides
