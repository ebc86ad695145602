"""A verified shortcut for the email syntax check: one email-validator call per domain, not per row.

email-validator spends ~15 us an address, mostly checking the domain (IDNA, UTS #46 character by
character), and a contacts file repeats a few domains thousands of times. For an address
``local@domain`` whose local part is plain ASCII dot-atom text (email-validator's own
``DOT_ATOM_TEXT``) and whose domain is ASCII letters, digits, dots and hyphens, email-validator's
verdict (with ``check_deliverability=False``) depends only on the domain and on the local part's
length: such a local part is accepted as it is and its length is all the address-length checks
see. So the verdict for ``"a" * len(local) + "@" + domain`` is the verdict for the address, and
it is worked out once per (length, domain) by email-validator itself.

``known_valid`` answers True only for an address email-validator accepts; anything else (another
shape, or a domain it refuses) gets False and goes through email-validator in full, which words
the rejection. tests/csv/test_import_speed_equivalence.py checks it against email-validator.
"""

from __future__ import annotations

import re
from functools import cache

_PLAIN_DOMAIN = re.compile(r"[A-Za-z0-9.-]+")
_MAX_REMEMBERED = 100_000

_verdicts: dict[tuple[int, str], bool] = {}


@cache
def _dot_atom() -> re.Pattern[str]:
    # email-validator is imported on the first email checked, not when the app starts (14 ms).
    from email_validator.rfc_constants import DOT_ATOM_TEXT

    return DOT_ATOM_TEXT


def known_valid(text: str) -> bool:
    """True when email-validator certainly accepts ``text`` (already trimmed); False: ask it."""
    local, at, domain = text.partition("@")
    if not at or _dot_atom().match(local) is None or _PLAIN_DOMAIN.fullmatch(domain) is None:
        return False
    key = (len(local), domain)
    verdict = _verdicts.get(key)
    if verdict is None:
        from email_validator import EmailNotValidError, validate_email  # once per domain and length

        try:
            validate_email("a" * len(local) + "@" + domain, check_deliverability=False)
            verdict = True
        except EmailNotValidError:
            verdict = False
        if len(_verdicts) >= _MAX_REMEMBERED:
            _verdicts.clear()
        _verdicts[key] = verdict
    return verdict
