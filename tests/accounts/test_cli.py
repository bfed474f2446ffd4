"""``flask users create``: the password comes from stdin (one line when piped, prompted twice
on a terminal), never from the command line."""

import pytest

from app.accounts import cli
from app.accounts.enums import Role
from app.accounts.models import User
from app.accounts.passwords import verify_password
from app.extensions import db

PASSWORD = "river stone lantern"


def find(username):
    return db.session.scalar(db.select(User).where(User.username == username))


def test_create_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Wang.Fang",
            "--role",
            "coach",
            "--role",
            "organiser",
            "--name",
            "王芳",
            "--language",
            "en",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output == "Created user wang.fang with roles: coach, organiser\n"
    user = find("wang.fang")
    assert user.display_name == "王芳"
    assert user.roles == {Role.COACH, Role.ORGANISER}
    assert str(user.language) == "en"
    assert verify_password(user.password_hash, PASSWORD)


def test_name_defaults_to_username_and_crlf_is_stripped(runner):
    result = runner.invoke(
        args=["users", "create", "admin1", "--role", "admin"], input=PASSWORD + "\r\n"
    )
    assert result.exit_code == 0, result.output
    user = find("admin1")
    assert user.display_name == "admin1"
    assert user.roles == {Role.ADMIN}
    assert verify_password(user.password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "The password must have at least 8 characters."),
        ("", "The password must have at least 8 characters."),
        (
            "password123",
            "This password is too easy to guess: it is a common password, a keyboard pattern or close to your name. A few unrelated words together are long and easy to remember.",
        ),
    ],
)
def test_refused_password_creates_nothing(runner, password, message):
    result = runner.invoke(
        args=["users", "create", "wang.fang", "--role", "coach"], input=password + "\n"
    )
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert find("wang.fang") is None


def test_taken_username_is_refused(runner, make_user):
    make_user("coach", username="wang.fang")
    result = runner.invoke(
        args=["users", "create", "WANG.FANG", "--role", "coach"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 1
    assert result.output == "Error: This username is already taken.\n"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["users", "create", "wang.fang"], "Missing option '--role'"),
        (["users", "create", "wang.fang", "--role", "emperor"], "'emperor' is not one of"),
        (
            ["users", "create", "wang.fang", "--role", "coach", "--password", PASSWORD],
            "No such option '--password'",
        ),
        (
            ["users", "create", "wang.fang", "--role", "coach", PASSWORD],
            "unexpected extra argument",
        ),
    ],
)
def test_usage_errors(runner, args, fragment):
    result = runner.invoke(args=args, input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert fragment in result.output
    assert find("wang.fang") is None


def test_terminal_prompts_twice_without_echo(runner, monkeypatch):
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    result = runner.invoke(
        args=["users", "create", "wang.fang", "--role", "coach"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Password: \nRepeat the password: \nCreated user wang.fang with roles: coach\n"
    )
    assert verify_password(find("wang.fang").password_hash, PASSWORD)


def test_terminal_asks_again_when_the_two_differ(runner, monkeypatch):
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    result = runner.invoke(
        args=["users", "create", "wang.fang", "--role", "coach"],
        input=f"first try here\nsecond try here\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Error: The two entered values do not match." in result.output
    assert verify_password(find("wang.fang").password_hash, PASSWORD)


def test_piped_input_is_not_a_terminal(runner):
    # The real check, not a stub: CliRunner's stdin is a pipe-like stream.
    with runner.isolation(input="x\n"):
        assert cli._stdin_is_tty() is False
