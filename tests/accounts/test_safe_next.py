"""The login ``next`` rule (app.core.security.is_safe_next): a local absolute path only."""

import pytest

from app.core.security import is_safe_next


@pytest.mark.parametrize(
    "target",
    ["/", "/ok", "/ok?x=1", "/people/12?page=2&q=%E7%8E%8B", "/admin/users/#top", "/a/b/c/"],
)
def test_local_paths_allowed(target):
    assert is_safe_next(target) is True


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "/ok\\..\\x",
        "https://x",
        "https://evil.example/login",
        "http:/evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,hi",
        "ok",  # relative: not an absolute local path
        "evil.example/x",
        " /ok",
        "/ok\n",
        "/ok\r\nSet-Cookie: x=1",
        "/\t/evil.example",
        "/ok\x00",
        "/ok\x7f",
        "/ok\x1b",
    ],
)
def test_everything_else_refused(target):
    assert is_safe_next(target) is False


def test_non_strings_refused():
    assert is_safe_next(b"/ok") is False
    assert is_safe_next(["/ok"]) is False
