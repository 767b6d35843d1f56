"""Russian personal and organisation identifiers: normalisation and check digits (pure).

Each `normalise_*` takes what a person typed and returns the canonical form, or None when the
input is not that identifier at all (wrong length, letters). Each `*_is_valid` then verifies the
check digits of a canonical value. The form fields in `fields.py` turn both into messages.
"""

import re

PUNCTUATION = re.compile(r"[\s\-–—().]")

SNILS_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, 1)
# The Pension Fund checks only numbers above 001-001-998; earlier numbers were issued before
# the check number existed.
SNILS_LAST_UNCHECKED = 1_001_998

INN_PERSON_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_PERSON_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_ORGANISATION_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def digits_only(text: str) -> str | None:
    """`text` without spaces, hyphens, dashes, dots and brackets, if only digits remain."""
    stripped = PUNCTUATION.sub("", text)
    return stripped if stripped.isascii() and stripped.isdigit() else None


def normalise_snils(text: str) -> str | None:
    """`11223344595` or `112-233-445 95` → `112-233-445 95`."""
    digits = digits_only(text)
    if digits is None or len(digits) != 11:
        return None
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def calculate_snils_check(number: str) -> int:
    """The check number (0–99) of the 9-digit insurance number `number`.

    Pension Fund of Russia rule for the insurance number of an individual personal account
    (СНИЛС): the sum of each digit times its weight 9…1; below 100 the sum itself, 100 and 101
    give 00, above 101 the remainder of division by 101, where a remainder of 100 gives 00.
    """
    total = sum(int(digit) * weight for digit, weight in zip(number, SNILS_WEIGHTS, strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    remainder = total % 101
    return 0 if remainder == 100 else remainder


def snils_is_valid(snils: str) -> bool:
    """Whether a normalised SNILS (`XXX-XXX-XXX YY`) has the right check number."""
    digits = digits_only(snils) or ""
    number, check = digits[:9], int(digits[9:])
    if int(number) <= SNILS_LAST_UNCHECKED:
        return True
    return calculate_snils_check(number) == check


def calculate_inn_check(digits: str, weights: tuple[int, ...]) -> int:
    """One INN check digit: the weighted sum modulo 11, then modulo 10.

    The Federal Tax Service's check-digit rule for the taxpayer identification number (ИНН).
    """
    total = sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True))
    return total % 11 % 10


def normalise_inn(text: str, length: int) -> str | None:
    digits = digits_only(text)
    return digits if digits is not None and len(digits) == length else None


def inn_person_is_valid(inn: str) -> bool:
    """A person's 12-digit INN: digit 11 checks the first 10, digit 12 checks the first 11."""
    return calculate_inn_check(inn[:10], INN_PERSON_WEIGHTS_11) == int(inn[10]) and (
        calculate_inn_check(inn[:11], INN_PERSON_WEIGHTS_12) == int(inn[11])
    )


def inn_organisation_is_valid(inn: str) -> bool:
    """An organisation's 10-digit INN: digit 10 checks the first 9."""
    return calculate_inn_check(inn[:9], INN_ORGANISATION_WEIGHTS) == int(inn[9])


def normalise_phone(text: str) -> str | None:
    """A Russian number typed as `+7 (912) 345-67-89`, `8 912 345 67 89` or `79123456789` →
    `+79123456789`; anything else (other countries, wrong length) → None."""
    stripped = text.strip()
    plus = stripped.startswith("+")
    digits = digits_only(stripped[1:] if plus else stripped)
    if digits is None or len(digits) != 11:
        return None
    if digits[0] == "7" or (digits[0] == "8" and not plus):
        return f"+7{digits[1:]}"
    return None


def normalise_passport_series(text: str) -> str | None:
    """`45 10` or `4510` → `4510`."""
    digits = re.sub(r"\s", "", text)
    return digits if re.fullmatch(r"[0-9]{4}", digits) else None


def normalise_passport_number(text: str) -> str | None:
    """`123 456` or `123456` → `123456`."""
    digits = re.sub(r"\s", "", text)
    return digits if re.fullmatch(r"[0-9]{6}", digits) else None
