"""Check digits of SNILS and INN, computed here a second way (from the published rules) and
compared with the implementation, plus the normalisation of what people type."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uslugi.constructor.blocks.identifiers import (
    calculate_snils_check,
    inn_organisation_is_valid,
    inn_person_is_valid,
    normalise_inn,
    normalise_passport_number,
    normalise_passport_series,
    normalise_phone,
    normalise_snils,
    snils_is_valid,
)


def independent_snils_check(nine_digits: str) -> int:
    # Pension Fund rule, written out as the rule reads: weights 9..1 from the left.
    total = 0
    for position, digit in enumerate(nine_digits):
        total += int(digit) * (9 - position)
    if total < 100:
        return total
    if total == 100 or total == 101:
        return 0
    check = total % 101
    return 0 if check == 100 else check


def independent_inn_digit(digits: str, weights: list[int]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def independent_inn_person(ten_digits: str) -> str:
    eleventh = independent_inn_digit(ten_digits, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
    twelfth = independent_inn_digit(ten_digits + eleventh, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
    return ten_digits + eleventh + twelfth


def independent_inn_organisation(nine_digits: str) -> str:
    return nine_digits + independent_inn_digit(nine_digits, [2, 4, 10, 3, 5, 9, 4, 6, 8])


def as_snils(digits: str) -> str:
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def flip(digits: str, position: int) -> str:
    changed = str((int(digits[position]) + 1) % 10)
    return digits[:position] + changed + digits[position + 1 :]


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("112-233-445 95", "112-233-445 95"),
        ("11223344595", "112-233-445 95"),
        (" 112 233 445 95 ", "112-233-445 95"),
        ("1122334459", None),
        ("112233445950", None),
        ("112-233-445 9a", None),
        ("", None),
    ],
)
def test_snils_is_normalised_to_groups_of_three_and_two(typed: str, normalised: str | None):
    # when / then
    assert normalise_snils(typed) == normalised


@pytest.mark.parametrize(
    ("snils", "valid"),
    [
        ("112-233-445 95", True),  # the worked example: sum 95 < 100, check 95
        ("112-233-445 94", False),
        ("001-001-998 00", True),  # at or below 001-001-998 no check is made
        ("001-001-997 55", True),
        ("001-001-999 00", False),  # the first checked number: 1*7 + 1*4 + 9*3 + 9*2 + 9*1 = 65
        ("001-001-999 65", True),
    ],
)
def test_snils_check_number(snils: str, valid: bool):
    assert snils_is_valid(snils) is valid


@pytest.mark.parametrize(
    ("nine_digits", "weighted_sum", "check"),
    [
        ("920000002", 99, 99),  # below 100: the sum itself
        ("920000003", 100, 0),  # 100 and 101 give 00
        ("920000004", 101, 0),
        ("920000005", 102, 1),  # above 101: the remainder of division by 101
        ("996100000", 201, 0),  # a remainder of 100 gives 00
        ("996100001", 202, 0),
        ("996100002", 203, 1),
    ],
)
def test_snils_check_number_at_the_rule_boundaries(nine_digits: str, weighted_sum: int, check: int):
    # given the weighted sum worked out by hand
    assert sum(int(d) * w for d, w in zip(nine_digits, range(9, 0, -1), strict=True)) == (
        weighted_sum
    )
    # when / then
    assert calculate_snils_check(nine_digits) == check
    assert independent_snils_check(nine_digits) == check
    assert snils_is_valid(as_snils(nine_digits + f"{check:02d}")) is True


@given(st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda d: int(d) > 1001998))
def test_any_snils_with_the_rule_s_check_number_is_valid(nine_digits: str):
    # given a number with its check computed independently
    snils = as_snils(nine_digits + f"{independent_snils_check(nine_digits):02d}")
    # when / then
    assert snils_is_valid(snils) is True


@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda d: int(d) > 1001998),
    st.integers(min_value=9, max_value=10),
)
def test_a_snils_with_a_changed_check_digit_is_invalid(nine_digits: str, position: int):
    # given a valid SNILS whose check number is then changed in one digit
    digits = nine_digits + f"{independent_snils_check(nine_digits):02d}"
    # when / then
    assert snils_is_valid(as_snils(flip(digits, position))) is False


@pytest.mark.parametrize(
    ("inn", "valid"),
    [
        ("500100732259", True),
        ("500100732250", False),
        ("500100732249", False),
    ],
)
def test_inn_of_a_person(inn: str, valid: bool):
    # then the independent computation agrees on the valid one
    assert (independent_inn_person(inn[:10]) == inn) is valid
    assert inn_person_is_valid(inn) is valid


@pytest.mark.parametrize(("inn", "valid"), [("7707083893", True), ("7707083890", False)])
def test_inn_of_an_organisation(inn: str, valid: bool):
    assert (independent_inn_organisation(inn[:9]) == inn) is valid
    assert inn_organisation_is_valid(inn) is valid


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(0, 11))
def test_inn_of_a_person_checks_every_digit(ten_digits: str, position: int):
    # A change of one digit keeps a check digit only where its weighted sum moves between 10 and
    # 0 modulo 11 (both give 0). For both check digits to survive, the digit's two weights would
    # have to be equal or opposite modulo 11, and for no position are they; so this always holds.
    # given a valid INN computed independently
    inn = independent_inn_person(ten_digits)
    # when one digit changes
    changed = flip(inn, position)
    # then the valid one passes and the changed one fails
    assert inn_person_is_valid(inn) is True
    assert inn_person_is_valid(changed) is False


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_inn_of_an_organisation_with_its_check_digit_is_valid(nine_digits: str):
    inn = independent_inn_organisation(nine_digits)
    assert inn_organisation_is_valid(inn) is True
    assert inn_organisation_is_valid(flip(inn, 9)) is False


@pytest.mark.parametrize(
    ("typed", "length", "normalised"),
    [
        ("500100732259", 12, "500100732259"),
        (" 5001 0073 2259 ", 12, "500100732259"),
        ("7707083893", 10, "7707083893"),
        ("7707083893", 12, None),
        ("77070838a3", 10, None),
    ],
)
def test_inn_is_normalised_to_digits(typed: str, length: int, normalised: str | None):
    assert normalise_inn(typed, length) == normalised


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("+7 (912) 345-67-89", "+79123456789"),
        ("8 912 345 67 89", "+79123456789"),
        ("89123456789", "+79123456789"),
        ("79123456789", "+79123456789"),
        ("+7-912-345-67-89", "+79123456789"),
        ("+8 912 345 67 89", None),  # +8 is not a Russian prefix
        ("+1 912 345 67 89", None),
        ("912 345 67 89", None),  # no country or trunk prefix
        ("+7 912 345 67 8", None),
        ("+7 912 345 67 890", None),
        ("+7 912 ABC 67 89", None),
    ],
)
def test_phone_is_normalised_to_plus_seven_and_ten_digits(typed: str, normalised: str | None):
    assert normalise_phone(typed) == normalised


@pytest.mark.parametrize(
    ("series", "number", "normalised"),
    [
        ("45 10", "123 456", ("4510", "123456")),
        ("4510", "123456", ("4510", "123456")),
        ("451", "123456", (None, "123456")),
        ("4510", "12345", ("4510", None)),
        ("45a0", "12345б", (None, None)),
    ],
)
def test_passport_series_and_number(series: str, number: str, normalised: tuple):
    assert (normalise_passport_series(series), normalise_passport_number(number)) == normalised
