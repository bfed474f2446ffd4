"""Target size (WCAG 2.2 2.5.8 asks 24 px; the app aims for 44): every <button> in the
templates uses a class whose style gives it at least 44 px, and so does a bare <button>.
Issue 12 item 16: the statistics and filter buttons were browser-default buttons, 21 px
tall. (The browser crawl measures the pages themselves.)"""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
CSS_PATH = Path(__file__).resolve().parents[2] / "app" / "static" / "css" / "site.css"
CSS = re.sub(r"/\*.*?\*/", "", CSS_PATH.read_text(), flags=re.S)
# Classes styled as 44 px targets in site.css (checked below); link-button is the header's
# text button, whose 44 px come from .header-tools.
TARGET_CLASSES = {"button", "secondary", "button-secondary", "button-warning", "link-button"}


def rule(selector_part: str) -> str:
    """The declarations of the first rule whose selector list contains ``selector_part``."""
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS):
        if selector_part in [s.strip() for s in selectors.split(",")]:
            return body
    raise AssertionError(f"no rule for {selector_part}")


def test_the_button_classes_are_44px_targets():
    for selector in (".button", "button.secondary", ".button-secondary", ".button-warning"):
        body = rule(selector)
        assert "min-height: 44px" in body and "min-width: 44px" in body, selector
    assert "min-height: 44px" in rule(".header-tools .link-button")


def test_a_button_without_a_class_is_a_44px_target_too():
    body = rule("button:not([class])")
    assert "min-height: 44px" in body and "min-width: 44px" in body


def test_every_button_in_the_templates_uses_a_target_class():
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in re.findall(r"<button\b[^>]*>", path.read_text()):
            found = re.search(r'class="([^"]*)"', tag)
            classes = set(found.group(1).replace("{{ classes }}", "").split()) if found else set()
            if not classes & TARGET_CLASSES:
                missing.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert missing == []
