import datetime
from collections.abc import Iterator

import pytest
from django.utils import translation

from pandu.registry.nik import Issue, NikResult, check_kk, check_nik, normalise_number

TODAY = datetime.date(2025, 6, 1)
MAN = "3573011506900001"  # 35.73.01, born 15-06-90, serial 0001
WOMAN = "7309135506900002"  # 73.09.13, born 15-06-90 (+40), serial 0002


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    with translation.override("id"):
        yield


def codes(issues: list[Issue]) -> list[str]:
    return [issue.code for issue in issues]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Valid numbers
        (MAN, []),
        (WOMAN, []),
        ("3573010101900001", []),  # day 01
        ("3573013101900001", []),  # day 31
        ("3573014101900001", []),  # day 41 = 1st, woman
        ("3573017101900001", []),  # day 71 = 31st, woman
        ("3573012902000001", []),  # 29-02-00: 2000 was a leap year
        ("3573016902000001", []),  # the same for a woman
        ("3573012902960001", []),  # 29-02-96
        ("3573011506909999", []),  # highest serial
        ("1101011506900001", []),  # lowest province
        ("9999991506900001", []),  # highest region digits
        (3573011506900001, []),  # int input
        ("3573 0115 0690 0001", []),  # spaces inside
        ("  3573011506900001\n", []),  # surrounding whitespace
        ("\u00a03573\u00a0011506900001\u202f", []),  # no-break and narrow no-break spaces
        ("\ufeff3573011506900001\u200b", []),  # BOM and zero-width space from copy-and-paste
        # Date part
        ("3573012902010001", ["date"]),  # 29-02-01: 2001 was not a leap year
        ("3573016902010001", ["date"]),  # the same for a woman
        ("3573013104900001", ["date"]),  # 31 April
        ("3573017104900001", ["date"]),  # 31 April, woman
        ("3573013002900001", ["date"]),  # 30 February
        ("3573011513900001", ["month"]),
        ("3573011500900001", ["month"]),
        ("3573013206900001", ["day"]),
        ("3573010006900001", ["day"]),
        ("3573014006900001", ["day"]),  # 40 is neither a man's nor a woman's day
        ("3573017206900001", ["day"]),
        ("3573019906900001", ["day"]),
        ("3573013213900001", ["day", "month"]),
        # Serial and region
        ("3573011506900000", ["serial_zero"]),
        ("0073011506900001", ["region"]),
        ("1073011506900001", ["region"]),  # provinces start at 11
        ("3500011506900001", ["region"]),
        ("3573001506900001", ["region"]),
        ("3573013206900000", ["day", "serial_zero"]),  # every independent problem is reported
        # Shape
        ("357301150690001", ["length"]),  # 15 digits
        ("35730115069000011", ["length"]),  # 17 digits
        ("", ["length"]),
        (None, ["length"]),
        ("   ", ["length"]),
        ("3573A11506900001", ["not_digits"]),  # letter at position 5
        ("3573-0115-0690-0001", ["not_digits", "length"]),  # group separators are not removed
        ("3573.0115.0690.0001", ["not_digits", "length"]),
        ("\uff13573011506900001", ["not_digits"]),  # full-width digit
        ("3573011506900001.0", ["not_digits"]),  # went through a float
        ("3573011506900001,00", ["not_digits"]),
        (3573011506900001.0, ["not_digits"]),  # float input
        (-3573011506900001, ["not_digits", "length"]),
        ("3.57301E+15", ["scientific"]),
        ("3,57301E+15", ["scientific"]),
        ("3.573010E15", ["scientific"]),
        ("3.57301e+15", ["scientific"]),
        (" 3,57301E+15 ", ["scientific"]),
        (3.57301e16, ["scientific"]),  # a float too large prints as 3.57301e+16
    ],
)
def test_check_nik_reports_expected_error_codes(value: object, expected: list[str]) -> None:
    result = check_nik(value, today=TODAY)  # type: ignore[arg-type]
    assert codes(result.errors) == expected
    assert result.valid is (not expected)
    assert all(issue.field == "nik" for issue in result.errors)


def test_valid_nik_is_normalised_to_sixteen_digits() -> None:
    result = check_nik(" 3573 0115 0690 0001 ", today=TODAY)
    assert result.value == MAN
    assert result.errors == result.warnings == result.flags == []


def test_invalid_nik_has_empty_value() -> None:
    assert check_nik("3573011506900000", today=TODAY).value == ""
    assert check_nik("3.57301E+15", today=TODAY).value == ""


def test_man_and_woman_are_derived_from_the_day() -> None:
    man = check_nik(MAN, today=TODAY)
    woman = check_nik(WOMAN, today=TODAY)
    assert (man.sex, man.birth_date) == ("L", datetime.date(1990, 6, 15))
    assert (woman.sex, woman.birth_date) == ("P", datetime.date(1990, 6, 15))


@pytest.mark.parametrize(
    ("date_digits", "expected"),
    [
        ("150690", datetime.date(1990, 6, 15)),
        ("150610", datetime.date(2010, 6, 15)),
        ("010625", datetime.date(2025, 6, 1)),  # today: 20YY
        ("020625", datetime.date(1925, 6, 2)),  # tomorrow in 2025 is impossible: 19YY
        ("150130", datetime.date(1930, 1, 15)),
        ("290200", datetime.date(2000, 2, 29)),
        ("290296", datetime.date(1996, 2, 29)),
    ],
)
def test_two_digit_year_is_resolved_against_today(
    date_digits: str, expected: datetime.date
) -> None:
    assert check_nik("357301" + date_digits + "0001", today=TODAY).birth_date == expected


def test_region_codes_are_derived_in_dotted_form() -> None:
    result = check_nik(WOMAN, today=TODAY)
    assert result.district_code == "73.09.13"
    assert result.regency_code == "73.09"
    assert result.province_code == "73"


def test_region_codes_are_derived_even_when_the_date_is_wrong() -> None:
    result = check_nik("7309133206900001", today=TODAY)
    assert not result.valid
    assert result.district_code == "73.09.13"
    assert result.birth_date is None


def test_region_codes_are_missing_when_the_region_is_wrong() -> None:
    result = check_nik("7300131506900001", today=TODAY)
    assert (result.district_code, result.regency_code, result.province_code) == (None,) * 3


def test_unknown_region_prefix_is_a_warning_not_an_error() -> None:
    seen: list[str] = []

    def known_district(code: str) -> bool:
        seen.append(code)
        return False

    result = check_nik(WOMAN, known_district=known_district, today=TODAY)
    assert seen == ["73.09.13"]
    assert result.valid
    assert result.value == WOMAN
    assert codes(result.warnings) == ["prefix_unknown"]
    assert "73.09.13" in result.warnings[0].message


def test_known_region_prefix_gives_no_warning() -> None:
    result = check_nik(WOMAN, known_district=lambda code: code == "73.09.13", today=TODAY)
    assert result.warnings == []


def test_recorded_birth_date_that_disagrees_is_flagged() -> None:
    result = check_nik(MAN, birth_date=datetime.date(1990, 6, 16), today=TODAY)
    assert result.valid
    assert codes(result.flags) == ["birth_date_mismatch"]
    assert "15-06-90" in result.flags[0].message
    assert "16-06-1990" in result.flags[0].message


@pytest.mark.parametrize(
    "recorded",
    [
        datetime.date(1990, 6, 15),
        datetime.date(1890, 6, 15),  # only two year digits can be compared
        datetime.datetime(1990, 6, 15, 8, 30),
    ],
)
def test_recorded_birth_date_that_agrees_is_not_flagged(recorded: datetime.date) -> None:
    assert check_nik(MAN, birth_date=recorded, today=TODAY).flags == []


def test_recorded_birth_year_that_disagrees_is_flagged() -> None:
    result = check_nik(MAN, birth_date=datetime.date(1991, 6, 15), today=TODAY)
    assert codes(result.flags) == ["birth_date_mismatch"]


def test_recorded_sex_that_disagrees_is_flagged() -> None:
    woman = check_nik(WOMAN, sex="L", today=TODAY)
    man = check_nik(MAN, sex="p", today=TODAY)
    assert woman.valid and man.valid
    assert codes(woman.flags) == ["sex_mismatch"]
    assert codes(man.flags) == ["sex_mismatch"]
    assert "perempuan" in woman.flags[0].message


@pytest.mark.parametrize("recorded", ["P", "p", " Perempuan ", "", None, "X"])
def test_recorded_sex_that_agrees_or_is_unknown_is_not_flagged(recorded: str | None) -> None:
    assert check_nik(WOMAN, sex=recorded, today=TODAY).flags == []


def test_invalid_date_derives_no_birth_date_and_no_flag() -> None:
    result = check_nik("3573013104900001", birth_date=datetime.date(1990, 4, 1), today=TODAY)
    assert result.birth_date is None
    assert result.flags == []


def test_date_error_message_names_digits_seven_to_twelve() -> None:
    for value in ("3573017206900001", "3573011513900001", "3573013104900001"):
        message = check_nik(value, today=TODAY).errors[0].message
        assert "Digit ke-7 sampai 12" in message
        assert "tanggal lahir" in message


def test_scientific_notation_message_explains_the_spreadsheet() -> None:
    message = check_nik("3.57301E+15").errors[0].message
    assert "Excel" in message
    assert "spreadsheet" in message
    assert "Teks" in message


def test_decimal_message_mentions_the_decimal() -> None:
    message = check_nik("3573011506900001.0").errors[0].message
    assert "desimal" in message
    assert ".0" in message


def test_non_digit_message_names_the_position() -> None:
    message = check_nik("3573A11506900001").errors[0].message
    assert "ke-5" in message
    assert "A" in message


def test_length_message_names_the_length_found() -> None:
    assert "15 digit" in check_nik("357301150690001").errors[0].message


def test_messages_never_repeat_the_number() -> None:
    values = ["3573013206900000", "3500011506900001", "3573011506900001.0", "3573A11506900001"]
    for value in values:
        result = check_nik(value, sex="P", birth_date=datetime.date(1991, 1, 1), today=TODAY)
        for issue in result.errors + result.warnings + result.flags:
            assert "35730" not in issue.message


def test_messages_follow_the_active_language() -> None:
    message = check_nik("3573013206900001", today=TODAY).errors[0].message
    assert isinstance(message, str)
    assert message.startswith("Digit ke-7")


def test_default_today_is_the_current_date() -> None:
    this_year = datetime.date.today().year
    yy = this_year % 100
    assert check_nik(f"3573010101{yy:02d}0001").birth_date == datetime.date(this_year, 1, 1)
    next_yy = (yy + 1) % 100
    assert check_nik(f"3573010101{next_yy:02d}0001").birth_date == datetime.date(
        this_year + 1 - 100, 1, 1
    )


def test_result_is_a_frozen_value() -> None:
    result = check_nik(MAN, today=TODAY)
    assert isinstance(result, NikResult)
    assert result == check_nik(int(MAN), today=TODAY)
    with pytest.raises(AttributeError):
        result.value = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" 3573 0115\u00a00690 0001\t", "3573011506900001"),
        (3573011506900001, "3573011506900001"),
        ("3.573-01", "3.573-01"),
        (None, ""),
        ("\u200b", ""),
    ],
)
def test_normalise_number_removes_only_whitespace(value: object, expected: str) -> None:
    assert normalise_number(value) == expected


# --- KK ------------------------------------------------------------------------------------

KK = "7309131502100003"  # issued 15-02-2010


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (KK, []),
        ("7309130106250001", []),  # issued today
        ("7309132902240001", []),  # 29-02-2024
        ("7309132902230001", ["date"]),  # 29-02-2023
        ("7309134502100003", ["day"]),  # no +40 on a family card
        ("7309130002100003", ["day"]),
        ("7309131513100003", ["month"]),
        ("7309131502100000", ["serial_zero"]),
        ("7300131502100003", ["region"]),
        ("730913150210000", ["length"]),
        ("3.57301E+15", ["scientific"]),
    ],
)
def test_check_kk_reports_expected_error_codes(value: str, expected: list[str]) -> None:
    result = check_kk(value, today=TODAY)
    assert codes(result.errors) == expected
    assert all(issue.field == "kk_number" for issue in result.errors)


def test_kk_derives_issue_date_and_region_but_no_sex() -> None:
    result = check_kk(KK, today=TODAY)
    assert result.valid
    assert result.value == KK
    assert result.sex is None
    assert result.birth_date == datetime.date(2010, 2, 15)
    assert result.district_code == "73.09.13"


def test_kk_issue_date_with_a_future_20yy_is_read_as_19yy() -> None:
    result = check_kk("7309130206950001", today=TODAY)
    assert result.valid
    assert result.birth_date == datetime.date(1995, 6, 2)


def test_kk_messages_say_nomor_kk() -> None:
    for value in ("7309134502100003", "3.57301E+15", "73091315021000", "7309131502100000"):
        message = check_kk(value, today=TODAY).errors[0].message
        assert "Nomor KK" in message
        assert "NIK" not in message


def test_kk_unknown_region_prefix_is_a_warning() -> None:
    result = check_kk(KK, known_district=lambda code: False, today=TODAY)
    assert result.valid
    assert codes(result.warnings) == ["prefix_unknown"]
    assert result.warnings[0].field == "kk_number"
