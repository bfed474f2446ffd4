"""Password rules (security-privacy.md): at least 8 characters, common, repetitive and
sequential passwords refused, no composition rules; hashing normalises Unicode."""

import pytest
from flask_babel import force_locale

from app.accounts.passwords import (
    MAX_LENGTH,
    common_passwords,
    hash_password,
    password_problem,
    verify_password,
)


def problem_text(password, **context):
    with force_locale("en"):
        problem = password_problem(password, **context)
        return None if problem is None else str(problem)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "abcdefgz",  # 8 characters, lower-case letters only: no composition rules
        "zqxjvkwp",
        "13579864",  # digits only but not a pattern
        "王芳的密码是长的",  # CJK is fine
        "x" * 3 + "y" * 2 + "zzwq",
    ],
)
def test_acceptable_passwords(app, password):
    assert problem_text(password) is None


@pytest.mark.parametrize("password", ["", "a", "seven77", "1234567"])
def test_shorter_than_eight_is_refused(app, password):
    assert problem_text(password) == "The password must have at least 8 characters."


def test_exactly_eight_characters_is_enough(app):
    assert problem_text("kq7vz2mb") is None


def test_very_long_password_refused_only_beyond_the_maximum(app):
    long_text = " ".join(f"word{i}" for i in range(60))
    assert problem_text(long_text[:MAX_LENGTH]) is None
    assert problem_text(long_text[: MAX_LENGTH + 1]) == (
        "The password must have at most 256 characters."
    )


COMMON = "This password is too common and easy to guess. Choose another one."


@pytest.mark.parametrize(
    "password",
    ["password", "PASSWORD", "Password1", "12345678", "woaini1314", "qq123456", "1qaz2wsx"],
)
def test_common_passwords_refused_whatever_the_case(app, password):
    assert problem_text(password) == COMMON


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaa",  # one character
        "abababab",  # two characters
        "abcabcabc",  # a repeated unit
        "xyz1xyz1",
        "23456789",  # ascending
        "98765432",  # descending
        "bcdefghi",
    ],
)
def test_repetitive_and_sequential_passwords_refused(app, password):
    assert problem_text(password) == COMMON


def test_full_width_common_password_refused(app):
    # NFKC: full-width "ｐａｓｓｗｏｒｄ" is "password".
    assert problem_text("ｐａｓｓｗｏｒｄ") == COMMON


def test_password_equal_to_username_or_name_refused(app):
    message = "The password must not be the same as your username or name."
    assert problem_text("wang.fang.2024", username="wang.fang.2024") == message
    assert problem_text("Wang Fang Li", display_name="wang fang li") == message
    assert problem_text("wang.fang.2024x", username="wang.fang.2024") is None


def test_common_list_is_lower_case_and_loaded():
    words = common_passwords()
    assert "password" in words
    assert "woaini1314" in words
    assert all(word == word.lower() for word in words)


def test_hash_verifies_and_normalises(app):
    with app.test_request_context():
        hashed = hash_password("ｃｏｒｒｅｃｔ horse")
    assert hashed != "correct horse"
    assert verify_password(hashed, "correct horse")
    assert not verify_password(hashed, "correct horse!")
    assert not verify_password(hashed, "")
