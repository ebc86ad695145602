"""A verified fast path for phone numbers typed in the common formats.

``phonenumbers.parse`` + ``is_valid_number`` cost 10-20 us a number, which made them 80 % of a
CSV import. Most numbers people type are ASCII digits with the separators space ( ) . - and an
optional leading +, such as ``(415) 555-0132``, ``415.555.0132``, ``1 415 555 0132`` or
``+44 7911 123456``. For such a string phonenumbers ignores the separators, and what it does with
the digits comes down to a few rules of its metadata, which this module applies directly, with the
metadata's own regular expressions compiled once per country calling code:

- country code: after ``+``, the first 1-3 digits naming a known calling code; without ``+``, the
  default region's (its international prefix, e.g. ``011``, is left to phonenumbers), or the
  region's own code in front of a number that only then fits the region (``1 415 555 0132``);
- national prefix: numbers that its national-prefix pattern would touch are left to phonenumbers;
- validity: phonenumbers' ``is_valid_number`` (pick the region of the calling code by leading
  digits or by matching, then any number type's pattern and lengths), and its
  ``is_possible_number_with_reason`` (the main region's possible lengths);
- result: ``+`` calling code national number (numbers with leading zeros are left to phonenumbers).

``e164(text, region)`` returns the E.164 string only when phonenumbers would accept the number
and give exactly that string. Otherwise (any other shape, letters, extensions, ``0`` trunk
prefixes, non-geographic codes, every invalid number...) it returns None and the caller runs the
full phonenumbers path, which also words the rejection. It never rejects anything itself, so a
number phonenumbers would refuse cannot get in through it. tests/store/rules/test_phone_fast.py checks
it against phonenumbers over hundreds of thousands of generated numbers, valid and invalid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from phonenumbers import SUPPORTED_REGIONS
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

# ASCII digits and the separators phonenumbers ignores; starts with + or ( or a digit and ends
# with a digit, so nothing is trimmed or taken for an extension, a second number or a letter.
_SHAPE = re.compile(r"\+?\(?[0-9][0-9 ().-]*[0-9]")
_SEPARATORS = b"+ ().-"
_MIN_DIGITS = 3  # phonenumbers' "viable number" needs three digits once punctuation is involved
_MIN_NSN, _MAX_NSN = 2, 17  # phonenumbers' _MIN_LENGTH_FOR_NSN and _MAX_LENGTH_FOR_NSN
_CALLING_CODES = {str(code): code for code in COUNTRY_CODE_TO_REGION_CODE}


def e164(text: str, region: str) -> str | None:
    """``text`` (already trimmed) as E.164 when certainly valid for phonenumbers, else None."""
    home = _HOMES.get(region) or _home(region)
    if home is None or _SHAPE.fullmatch(text) is None:
        return None
    digits = text.encode("ascii").translate(None, _SEPARATORS).decode("ascii")  # the shape is ASCII
    if len(digits) < _MIN_DIGITS:
        return None
    if text[0] == "+":
        rules, nsn = _split_calling_code(digits)
        if rules is None or _touched(rules.prefixes, nsn):
            return None
    else:
        rules = home.rules
        nsn = home.national_significant(digits)
        if rules is None or nsn is None or _touched(home.prefixes, nsn):
            return None
    if not _MIN_NSN <= len(nsn) <= _MAX_NSN or nsn[0] == "0" or not rules.accepts(nsn):
        return None
    return rules.plus_code + nsn


def _split_calling_code(digits: str) -> tuple[_CallingCodeRules | None, str]:
    """phonenumbers' _extract_country_code, once the + is gone: the first 1-3 digits that name a
    calling code (codes never start with 0; two digits or fewer are too short after a +)."""
    if len(digits) > 2 and digits[0] != "0":
        for size in (1, 2, 3):
            code = _CALLING_CODES.get(digits[:size])
            if code is not None:
                return _calling_code(code), digits[size:]
    return None, digits


def _touched(prefixes: tuple[re.Pattern[str], ...], nsn: str) -> bool:
    """Would phonenumbers try to strip a national prefix from ``nsn``? (Left to it if so.)"""
    for prefix in prefixes:
        if prefix.match(nsn) is not None:
            return True
    return False


# -- the metadata, compiled once ---------------------------------------------------------------


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


def _desc_pattern(desc: Any) -> str | None:
    """phonenumbers' _is_number_matching_desc as one pattern (for fullmatch on a digit string):
    a length guard when possible lengths are given, then the national number pattern."""
    if desc is None or not desc.national_number_pattern:
        return None
    lengths = desc.possible_length
    if lengths:
        real = [n for n in lengths if n > 0]
        if not real:
            return None  # (-1,): no number of this type exists
        guard = "(?=(?:" + "|".join(f"[0-9]{{{n}}}" for n in real) + r")\Z)"
    else:
        guard = ""
    return f"{guard}(?:{desc.national_number_pattern})"


# Every type phonenumbers' _number_type_helper tries. Only whether one matches counts (any type
# but UNKNOWN is valid), so the common ones come first; mobile is skipped, as there, when the
# metadata says its pattern is the fixed-line one.
_TYPE_DESCS = (
    "fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "voip", "personal_number", "pager", "uan",
    "voicemail",
)


def _known_type_pattern(metadata: Any) -> str | None:
    """A pattern that fully matches exactly the national numbers whose phonenumbers type in this
    region is not UNKNOWN: the general description, and any one type's description."""
    general = _desc_pattern(metadata.general_desc)
    names = [n for n in _TYPE_DESCS if not (n == "mobile" and metadata.same_mobile_and_fixed_line_pattern)]
    kinds = [p for p in (_desc_pattern(getattr(metadata, name, None)) for name in names) if p]
    if general is None or not kinds:
        return None
    return rf"(?={general}\Z)(?:" + "|".join(f"(?:{k})" for k in kinds) + ")"


class _Region:
    """One region of a calling code: its leading digits, and its known-type pattern (compiled on
    first use: most regions sharing +1 are only ever asked about their leading digits)."""

    __slots__ = ("leading", "_source", "_known")

    def __init__(self, metadata: Any):
        self.leading = _compile(metadata.leading_digits)
        self._source = _known_type_pattern(metadata)
        self._known: re.Pattern[str] | None = None

    def known(self, nsn: str) -> bool:
        if self._source is None:
            return False
        if self._known is None:
            self._known = re.compile(self._source)
        return self._known.fullmatch(nsn) is not None


@dataclass(frozen=True)
class _CallingCodeRules:
    """What phonenumbers decides from one calling code's metadata, for a national number."""

    plus_code: str  # "+1"
    regions: tuple[_Region, ...]  # in phonenumbers' order (the main region first)
    possible_lengths: frozenset[int]  # the main region's, less its local-only lengths
    prefixes: tuple[re.Pattern[str], ...]  # the main region's national prefix for parsing

    def accepts(self, nsn: str) -> bool:
        """is_possible_number_with_reason == IS_POSSIBLE and is_valid_number."""
        if len(nsn) not in self.possible_lengths:
            return False
        regions = self.regions
        if len(regions) == 1:  # region_code_for_number: the only region
            return regions[0].known(nsn)
        for region in regions:  # _region_code_for_number_from_list, then is_valid_number_for_region
            if region.leading is not None:
                if region.leading.match(nsn):
                    return region.known(nsn)
            elif region.known(nsn):
                return True
        return False


_RULES: dict[int, _CallingCodeRules | None] = {}


def _calling_code(code: int) -> _CallingCodeRules | None:
    if code not in _RULES:
        _RULES[code] = _build_rules(code)
    return _RULES[code]


def _build_rules(code: int) -> _CallingCodeRules | None:
    names = COUNTRY_CODE_TO_REGION_CODE.get(code)
    if not names or any(name not in SUPPORTED_REGIONS for name in names):
        return None  # non-geographic codes (region "001") are left to phonenumbers
    regions = []
    for name in names:
        metadata = PhoneMetadata.metadata_for_region(name, None)
        if metadata is None:
            continue  # as phonenumbers does
        if metadata.country_code != code:
            return None  # phonenumbers would pick this region and then refuse it: left to it
        regions.append(_Region(metadata))
    main = PhoneMetadata.metadata_for_region(names[0], None)
    if main is None or not main.general_desc or not main.general_desc.possible_length:
        return None
    local_only = set(main.general_desc.possible_length_local_only or ())
    lengths = frozenset(n for n in main.general_desc.possible_length if n > 0 and n not in local_only)
    prefix = _compile(main.national_prefix_for_parsing)
    return _CallingCodeRules(f"+{code}", tuple(regions), lengths, (prefix,) if prefix else ())


@dataclass(frozen=True)
class _HomeRegion:
    """The default region's rules for numbers typed without +."""

    code_text: str  # "1"
    rules: _CallingCodeRules | None
    idd: re.Pattern[str] | None  # international prefix (011 in the US): left to phonenumbers
    prefixes: tuple[re.Pattern[str], ...]  # national prefix patterns of the region and its main region
    general: re.Pattern[str] | None  # general national number pattern (no length check)

    def national_significant(self, digits: str) -> str | None:
        """The national number phonenumbers takes from ``digits`` typed without +, or None when
        it would take a path this module leaves to it."""
        if self.idd is not None and self.idd.match(digits):
            return None
        if not digits.startswith(self.code_text):
            return digits
        # phonenumbers strips the region's own calling code (1 415 555 0132) when the number did
        # not fit the region before and does after (its TOO_LONG alternative is left to it).
        rest = digits[len(self.code_text):]
        general = self.general
        if general is None or _touched(self.prefixes, rest):
            return None
        if general.fullmatch(digits) is None and general.fullmatch(rest) is not None:
            return rest
        return None


_HOMES: dict[str, _HomeRegion | None] = {}


def _home(region: str) -> _HomeRegion | None:
    if region not in _HOMES:
        _HOMES[region] = _build_home(region)
    return _HOMES[region]


def _build_home(region: str) -> _HomeRegion | None:
    if region not in SUPPORTED_REGIONS:
        return None
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None or not metadata.country_code:
        return None
    rules = _calling_code(metadata.country_code)
    own = _compile(metadata.national_prefix_for_parsing)
    prefixes = tuple({p.pattern: p for p in ((own,) if own else ()) + (rules.prefixes if rules else ())}.values())
    general = metadata.general_desc.national_number_pattern if metadata.general_desc else None
    return _HomeRegion(
        code_text=str(metadata.country_code),
        rules=rules,
        idd=_compile(metadata.international_prefix),
        prefixes=prefixes,
        general=_compile(general),
    )
