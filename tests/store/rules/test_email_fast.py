"""The email shortcut (store.rules.email_fast) answers a plain yes or no, the same every time."""

from __future__ import annotations

from store.rules.email_fast import known_valid


def test_known_valid_answers_true_or_false_and_keeps_its_answer():
    for _ in range(2):  # the second answer comes from what the first remembered
        assert known_valid("ann@example.com") is True
        assert known_valid("ann@-example-.com") is False  # a domain email-validator refuses
        assert known_valid("a b@example.com") is False  # not plain: email-validator decides
