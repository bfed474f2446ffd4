"""Certificate numbers: normalising, each validation failure, masking, keyed hash."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.people import certificate as cert
from app.people.enums import DisabilityCategory, DisabilityGrade, Gender

# 330283 19900307 012 + check, category 4 (physical), grade 2.
BORN = date(1990, 3, 7)
VALID = cert.generate(BORN, "physical", "2", gender="female", sequence=1)
TODAY = date(2026, 6, 1)


def with_check(first17: str, tail: str = "42") -> str:
    return first17 + cert.check_character(first17) + tail


def failure(raw, **kwargs) -> cert.CertificateError:
    with pytest.raises(cert.CertificateError) as caught:
        cert.validate(raw, today=TODAY, **kwargs)
    return caught.value


def test_generated_number_is_valid_and_parsed():
    parsed = cert.parse(VALID, today=TODAY)
    assert VALID.startswith("33028319900307")
    assert len(VALID) == 20
    assert parsed.birth_on == BORN
    assert parsed.category == DisabilityCategory.PHYSICAL
    assert parsed.grade == DisabilityGrade.GRADE_2
    assert parsed.sex_digit % 2 == 0
    assert parsed.area_code == "330283"
    assert parsed.resident_id == VALID[:18]


def test_known_check_characters():
    # Public test vector for ISO 7064 MOD 11-2 (GB 11643-1999 example).
    assert cert.check_character("11010519491231002") == "X"
    assert cert.check_character("44052418800101001") == "4"


def test_male_numbers_have_odd_sex_digit():
    number = cert.generate(BORN, "visual", "1", gender=Gender.MALE, sequence=7)
    assert int(number[16]) % 2 == 1


@pytest.mark.parametrize(
    "typed",
    [
        "３３０２８３１９９００３０７０１２" + VALID[17] + "４２",  # full-width
        f"{VALID[:6]} {VALID[6:14]} {VALID[14:18]} {VALID[18:]}",  # spaces
        f"{VALID[:6]}-{VALID[6:14]}-{VALID[14:]}",  # hyphens
        f"　{VALID}　",  # ideographic spaces around
    ],
)
def test_what_people_type_is_normalised(typed):
    assert VALID[:17] == "33028319900307012"
    assert cert.validate(typed, birth_on=BORN, category="physical", grade="2").number == VALID


def test_lower_case_x_is_accepted():
    first17 = "11010519491231002"
    number = first17 + "X" + "11"
    parsed = cert.validate(
        number.lower(), birth_on=date(1949, 12, 31), category="visual", grade="1"
    )
    assert parsed.number == "11010519491231002X11"


def test_wrong_length():
    error = failure(VALID[:-1])
    assert error.code == "length"
    assert error.field == "certificate_number"
    assert str(error.message) == (
        "A certificate number has 20 characters (the 18-character ID number, then the "
        "category and grade digits). You entered 19."
    )


def test_not_digits():
    error = failure(VALID[:5] + "A" + VALID[6:])
    assert error.code == "characters"
    assert str(error.message) == (
        "A certificate number contains only digits, except the 18th character, which may be X."
    )


def test_x_only_allowed_as_18th_character():
    assert failure(VALID[:18] + "X2").code == "characters"


def test_bad_checksum():
    wrong = "0" if VALID[17] != "0" else "1"
    error = failure(VALID[:17] + wrong + VALID[18:])
    assert error.code == "checksum"
    assert str(error.message) == (
        "The ID number in the certificate number does not add up (its check character is "
        "wrong). Check each digit against the certificate."
    )


@pytest.mark.parametrize("birth", ["19901307", "19900230", "18991231", "00000000"])
def test_impossible_birth_date(birth):
    error = failure(with_check(f"330283{birth}012"))
    assert error.code == "birth_date"
    assert str(error.message) == (
        "Characters 7 to 14 of the certificate number should be a date of birth, but they "
        "are not a real date."
    )


def test_birth_date_in_the_future():
    error = failure(with_check("33028320300101012"))
    assert error.code == "future_birth_date"
    assert str(error.message) == (
        "The date of birth in the certificate number (characters 7 to 14) is in the future."
    )


@pytest.mark.parametrize("digit", ["0", "8", "9"])
def test_category_digit_out_of_range(digit):
    error = failure(VALID[:18] + digit + "2")
    assert error.code == "category"
    assert str(error.message) == (
        "The 19th character is the disability category and must be a digit from 1 to 7."
    )


@pytest.mark.parametrize("digit", ["0", "5", "9"])
def test_grade_digit_out_of_range(digit):
    error = failure(VALID[:19] + digit)
    assert error.code == "grade"
    assert str(error.message) == (
        "The 20th character is the disability grade and must be a digit from 1 to 4."
    )


def test_date_differs_from_recorded_birth_date():
    error = failure(VALID, birth_on=date(1990, 3, 8), category="physical", grade="2")
    assert error.code == "birth_date_mismatch"
    assert str(error.message) == (
        "The date of birth in the certificate number (characters 7 to 14) is not the date of "
        "birth entered for this person."
    )


def test_category_mismatch():
    error = failure(VALID, birth_on=BORN, category="visual", grade="2")
    assert error.code == "category_mismatch"
    assert str(error.message) == (
        "The certificate number says “Physical disability” (19th character 4), but the "
        "category chosen is “Visual disability”."
    )


def test_grade_mismatch():
    error = failure(VALID, birth_on=BORN, category="physical", grade="3")
    assert error.code == "grade_mismatch"
    assert error.field == "certificate_number"
    assert str(error.message) == (
        "The certificate number says grade 2 (20th character), but the grade chosen is 3."
    )


def test_category_and_grade_must_be_chosen_with_a_number():
    error = failure(VALID, birth_on=BORN, category=None, grade=None)
    assert (error.code, error.field) == ("category_missing", "disability_category")
    error = failure(VALID, birth_on=BORN, category="physical", grade="")
    assert (error.code, error.field) == ("grade_missing", "disability_grade")


def test_mask_keeps_first_four_and_characters_15_to_18():
    assert cert.mask("33028319900307012X42") == "3302**********012X**"
    assert cert.mask("33028319900307012x") == "3302**********012X"
    assert cert.mask("1234567") == "*******"
    assert cert.mask(None) == ""


def test_grouped_never_leaves_a_long_run():
    assert cert.grouped(VALID) == f"{VALID[:6]} {VALID[6:14]} {VALID[14:18]} {VALID[18:]}"
    assert cert.grouped("3" * 30) == "333333 33333333 3333 3333 3333 3333"


@given(
    birth_on=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    category=st.sampled_from(list(DisabilityCategory)),
    grade=st.sampled_from(list(DisabilityGrade)),
    gender=st.sampled_from(list(Gender)),
    sequence=st.integers(min_value=0, max_value=99),
    area=st.from_regex(r"[1-9][0-9]{5}", fullmatch=True),
    style=st.sampled_from(["plain", "spaces", "lower", "fullwidth"]),
)
def test_masked_form_never_contains_the_birth_date(
    birth_on, category, grade, gender, sequence, area, style
):
    number = cert.generate(
        birth_on, category, grade, gender=gender, sequence=sequence, area_code=area
    )
    typed = {
        "plain": number,
        "spaces": " ".join(number[i : i + 4] for i in range(0, 20, 4)),
        "lower": number.lower(),
        "fullwidth": number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")),
    }[style]
    masked = cert.mask(typed)
    assert number[6:14] not in masked
    assert f"{birth_on:%Y%m%d}" not in masked
    assert len(masked) == 20
    assert cert.validate(typed, birth_on=birth_on, category=category, grade=grade).number == number


@given(st.text(alphabet="0123456789Xx -", max_size=40))
def test_mask_of_any_input_hides_characters_7_to_14(text):
    value = cert.normalise(text)
    masked = cert.mask(text)
    if len(value) >= 14:
        assert value[6:14] not in masked
    assert sum(ch.isdigit() for ch in masked) <= 8


def test_keyed_hash_is_keyed_and_ignores_formatting_and_category():
    key = "k1"
    digest = cert.keyed_hash(VALID, key)
    assert len(digest) == 64 and VALID not in digest
    assert cert.keyed_hash(f"{VALID[:6]} {VALID[6:]}".lower(), key) == digest
    # The same resident ID with another category and grade is the same person.
    assert cert.keyed_hash(VALID[:18] + "11", key) == digest
    assert cert.keyed_hash(VALID, "k2") != digest
    other = cert.generate(BORN, "physical", "2", gender="female", sequence=2)
    assert cert.keyed_hash(other, key) != digest


def test_keyed_hash_uses_the_configured_key(app):
    assert cert.keyed_hash(VALID) == cert.keyed_hash(VALID, app.config["PERSONAL_DATA_KEY"])


def test_digits_of_other_scripts_are_refused():
    arabic_indic = VALID.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert failure(arabic_indic).code == "characters"
