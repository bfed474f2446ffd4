"""Password rules (security-privacy.md): at least 8 characters, no composition rules; common,
repetitive, sequential, keyboard-pattern and context passwords refused (zxcvbn with the
user's names and the product's names as context); hashing normalises Unicode."""

import pytest
from flask_babel import force_locale

from app.accounts.passwords import (
    MAX_LENGTH,
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
        "lanterns drift upriver",  # lower-case letters only: no composition rules
        "7kq!vz2mb",
        "58203917466",  # digits only but not a pattern
        "王芳的密码是长的",  # six or more ideographs are plenty
        "x" * 3 + "y" * 2 + "zzwq",
    ],
)
def test_acceptable_passwords(app, password):
    assert problem_text(password) is None


@pytest.mark.parametrize("password", ["", "a", "seven77", "1234567"])
def test_shorter_than_eight_is_refused(app, password):
    assert problem_text(password) == "The password must have at least 8 characters."


def test_nine_random_characters_are_enough(app):
    # zxcvbn counts an unknown string of n characters as 10^n guesses: eight never reach its
    # "safely unguessable" score, nine random ones do.
    assert problem_text("q8#Lv2!mZ") is None


def test_very_long_password_refused_only_beyond_the_maximum(app):
    long_text = " ".join(f"word{i}" for i in range(60))
    assert problem_text(long_text[:MAX_LENGTH]) is None
    assert problem_text(long_text[: MAX_LENGTH + 1]) == (
        "The password must have at most 256 characters."
    )


COMMON = (
    "This password is too easy to guess: it is a common password, a keyboard pattern or close "
    "to your name. A few unrelated words together are long and easy to remember."
)


@pytest.mark.parametrize(
    "password",
    [
        "password",
        "PASSWORD",
        "Password1",
        "12345678",
        "woaini1314",
        "qq123456",
        "1qaz2wsx",
        "zaq12wsx",  # issue 13 item 16: a keyboard pattern
        "ronghe-demo",  # issue 13 item 16: the product's name
        "fenghua2026",
        "qwertyuiop",
    ],
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
    # One character more is still the username to an attacker.
    assert problem_text("wang.fang.2024x", username="wang.fang.2024") == COMMON


def test_close_to_the_users_own_names_is_refused(app):
    assert problem_text("wang.fang2026", username="wang.fang") == COMMON
    assert problem_text("王芳王芳王芳1234", display_name="王芳") == COMMON


def test_the_demo_passwords_pass(app):
    from app.demo import DEMO_USERS

    for _role, username, password, display_name in DEMO_USERS:
        assert problem_text(password, username=username, display_name=display_name) is None


def test_hash_verifies_and_normalises(app):
    with app.test_request_context():
        hashed = hash_password("ｃｏｒｒｅｃｔ horse")
    assert hashed != "correct horse"
    assert verify_password(hashed, "correct horse")
    assert not verify_password(hashed, "correct horse!")
    assert not verify_password(hashed, "")
