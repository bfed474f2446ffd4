"""The reply page's given names."""

import pytest

from app.replies.names import given_name


@pytest.mark.parametrize(
    ("name", "given"),
    [
        ("张小明", "小明"),
        ("李红", "红"),
        ("欧阳娜娜", "娜娜"),
        ("欧阳明", "阳明"),  # three characters: read as a one-character family name
        ("阿依古丽·买买提", "阿依古丽"),
        ("示例·徐建华", "建华"),
        ("Anna Li", "Anna"),
        ("Anna", "Anna"),
        ("", ""),
    ],
)
def test_given_name(name, given):
    assert given_name(name) == given
