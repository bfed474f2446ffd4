"""The one pagination macro (_macros/pagination.html) and its page window."""

import re
from dataclasses import dataclass

import pytest
from flask import render_template_string

from app.core.templating import page_numbers


@pytest.mark.parametrize(
    ("current", "pages", "numbers"),
    [
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (3, 9, [1, 2, 3, 4, 5, None, 9]),
        (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),  # a gap of one page shows the page
        (9, 9, [1, None, 7, 8, 9]),
        (50, 100, [1, None, 48, 49, 50, 51, 52, None, 100]),
    ],
)
def test_page_numbers(current, pages, numbers):
    assert page_numbers(current, pages) == numbers


@dataclass
class Page:
    page: int
    pages: int


MACRO = (
    '{% from "_macros/pagination.html" import pagination %}'
    "{{ pagination(page, 'venues.index', {'town': '3'}, label) }}"
)


def render(app, page, label=None):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return render_template_string(MACRO, page=page, label=label)


def test_one_page_needs_no_pagination(app):
    assert render(app, Page(1, 1)).strip() == ""


def test_a_middle_page(app):
    html = render(app, Page(3, 9), "Pages of the list")
    assert '<nav class="pagination-nav" aria-label="Pages of the list">' in html
    assert '<a href="/venues/?page=2&amp;town=3" rel="prev">Previous page</a>' in html
    assert '<a href="/venues/?page=4&amp;town=3" rel="next">Next page</a>' in html
    assert '<span aria-current="page">Page 3 of 9</span>' in html
    assert '<a href="/venues/?page=9&amp;town=3" aria-label="Page 9">9</a>' in html
    assert html.count('<span class="pagination-gap">…</span>') == 1
    links = re.findall(r'aria-label="Page (\d+)"', html)
    assert links == ["1", "2", "4", "5", "9"]


def test_the_first_and_last_pages_have_one_way_out(app):
    first = render(app, Page(1, 2))
    assert "Previous page" not in first and 'rel="next"' in first
    assert 'aria-label="Pages of results"' in first
    last = render(app, Page(2, 2))
    assert "Next page" not in last and 'rel="prev"' in last
