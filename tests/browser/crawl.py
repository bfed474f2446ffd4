"""The crawl: follow every internal link a visitor can see, audit each page with axe and the
checks axe cannot make, and submit each form empty to audit its error state.

Nothing here lists pages: the start points are the site's home page and every GET route of
``app.url_map`` that takes no argument, and everything else is found by following links, so a
new page is covered as soon as something links to it (or it has a plain URL).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
# Links that download a file rather than show a page.
DOWNLOAD_SUFFIXES = (".ics", ".csv", ".xlsx", ".xls", ".pdf", ".zip", ".json")
# Forms never submitted by the crawl: signing out would end the crawl, and the language switch
# is a button, not a form with an error state.
UNSUBMITTED_ENDPOINTS = {"accounts.logout", "core.set_language"}
# Pages of one kind (same endpoint, same query keys) are alike: audit a couple, not all 40.
PAGES_PER_PATTERN = 2
MAX_TABS = 400
TABS_PER_CHECK = 8
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}
TEXT_INPUT_TYPES = ["text", "search", "email", "tel", "number", "password", "url", "date"]

# One entry per crawl, read by the terminal summary (tests/browser/conftest.py).
STATS: list[dict] = []


def visited_lines() -> list[str]:
    lines = []
    for s in STATS:
        lines.append(f"{s['identity']}:")
        lines += [f"  {url}" for url in s["visited"]]
        lines += [f"  error state: {label}" for label in s.get("error_labels", ())]
    return lines


def summary_lines() -> list[str]:
    pages = sum(s["pages"] for s in STATS)
    errors = sum(s["error_states"] for s in STATS)
    seconds = sum(s["seconds"] for s in STATS)
    distinct = set().union(*(s["paths"] for s in STATS)) if STATS else set()
    lines = [
        f"Browser crawl: {pages} pages and {errors} form error states audited "
        f"({len(distinct)} distinct paths) in {len(STATS)} crawls, {seconds:.0f} s"
    ]
    for s in STATS:
        lines.append(
            f"  {s['identity']:<22} {s['pages']:>4} pages {s['error_states']:>3} error states "
            f"{s['seconds']:>5.1f} s"
        )
    return lines


JS_STRUCTURE = """() => {
  const main = document.getElementById('main');
  const skip = document.querySelector('a[href="#main"]');
  return {
    h1: document.querySelectorAll('h1').length,
    lang: document.documentElement.getAttribute('lang'),
    title: document.title,
    skip: !!skip,
    main: !!main && main.tagName === 'MAIN',
    errorSummary: !!document.querySelector('[data-error-summary]'),
    // Placeholders left in the text: an unformatted message or a template that leaked.
    leftovers: (document.body.innerText.match(/%\\(\\w+\\)[sd]|\\{\\}|\\{\\{|\\}\\}|\\{%|%\\}/g) || []),
  };
}"""

JS_OVERFLOW = """() => {
  const width = document.documentElement.scrollWidth;
  const culprits = [];
  if (width > 320) {
    // The page is too wide: name the innermost elements that stick out. (A labelled,
    // focusable table region scrolls inside itself, so it never widens the page unless
    // something escapes it, such as an absolutely positioned child.)
    const sticksOut = el => el.getBoundingClientRect().right > 321 && el.getBoundingClientRect().width > 0;
    for (const el of document.body.querySelectorAll('*')) {
      if (!sticksOut(el) || Array.from(el.children).some(sticksOut)) continue;
      let name = el.tagName.toLowerCase();
      if (el.id) name += '#' + el.id;
      if (typeof el.className === 'string' && el.className.trim())
        name += '.' + el.className.trim().split(/\\s+/).join('.');
      if (el.closest('[role=region][tabindex]')) name += ' in a table region';
      const text = (el.textContent || '').trim().slice(0, 30);
      culprits.push(name + (text ? ' "' + text + '"' : '') + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + 'px)');
      if (culprits.length >= 5) break;
    }
  }
  return {width, culprits};
}"""

JS_LINKS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => ({
  href: a.href, download: a.hasAttribute('download')
}))"""

# A GET form (search, filters) sent as it stands leads to a results page: crawl that too.
JS_GET_FORMS = """() => Array.from(document.forms)
  .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'get')
  .map(f => {
    const url = new URL(f.action);
    url.search = new URLSearchParams(new FormData(f)).toString();
    return {href: url.href, download: false};
  })"""

JS_FORMS = """() => Array.from(document.forms).map((f, i) => ({
  index: i,
  method: (f.getAttribute('method') || 'get').toLowerCase(),
  action: f.action,
  destructive: f.hasAttribute('data-confirm') || !!f.querySelector('.button-warning, [data-confirm]'),
  submit: !!f.querySelector('button:not([type]), button[type=submit], input[type=submit]'),
  inPlace: f.hasAttribute('data-in-place'),
}))"""

JS_TAG_SUBMITS = """() => {
  let n = 0;
  for (const f of document.forms) {
    const b = f.querySelector('button:not([type]), button[type=submit], input[type=submit]');
    if (b) b.setAttribute('data-crawl-submit', String(n++));
  }
  return n;
}"""

# Records where each Tab lands, so the keyboard walk needs few round trips.
JS_WATCH_FOCUS = """() => {
  window.__crawlFocus = [];
  document.addEventListener('focusin', event => {
    const e = event.target;
    window.__crawlFocus.push({
      submit: e.getAttribute('data-crawl-submit'),
      visible: e.matches(':focus-visible'),
      href: e.getAttribute('href'),
    });
  }, true);
  if (document.activeElement) document.activeElement.blur();
}"""

JS_FOCUS_LOG = """() => ({
  log: window.__crawlFocus,
  body: !document.activeElement || document.activeElement === document.body,
})"""

JS_CLEAR_FORM = """([index, types]) => {
  const form = document.forms[index];
  for (const el of form.elements) {
    if (el.tagName === 'TEXTAREA') el.value = '';
    else if (el.tagName === 'INPUT' && types.includes(el.type || 'text')) el.value = '';
  }
}"""

JS_SUMMARY = """() => {
  const summary = document.querySelector('[data-error-summary]');
  const links = Array.from(document.querySelectorAll('.error-summary a[href^="#"]'))
    .map(a => a.getAttribute('href').slice(1));
  return {
    focused: !!summary && document.activeElement === summary,
    links: links.map(id => ({id, exists: !!document.getElementById(id)})),
    // The fields the summary links to, in the order the page shows them (issue 12 item 10).
    domOrder: links.filter(id => document.getElementById(id))
      .map(id => document.getElementById(id))
      .sort((a, b) => a === b ? 0 : (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
      .map(el => el.id),
  };
}"""


@dataclass(repr=False)
class Crawl:
    """One identity's crawl. ``problems`` collects readable failures; the test asserts none."""

    app: object
    page: object
    base: str
    locale: str
    identity: str
    axe: object
    suffix: str
    error_prefix: str
    expected_lang: str | None = None
    signed_in: bool = False
    per_pattern: int = PAGES_PER_PATTERN
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    error_states: int = 0
    error_labels: list = field(default_factory=list)  # which form error states were audited
    paths: set = field(default_factory=set)
    visited: list = field(default_factory=list)
    _seen: set = field(default_factory=set)
    _patterns: dict = field(default_factory=dict)
    _submitted: set = field(default_factory=set)
    _titles: dict = field(default_factory=dict)

    # -- helpers ----------------------------------------------------------------------------
    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"[{self.identity}] {where}: {message}")

    def relative(self, url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit(("", "", parts.path, parts.query, ""))

    def endpoint(self, url: str, method: str = "GET") -> str | None:
        parts = urlsplit(url)
        adapter = self.app.url_map.bind(parts.netloc)
        try:
            endpoint, _ = adapter.match(parts.path, method=method)
        except RequestRedirect as redirect:
            return self.endpoint(redirect.new_url, method)
        except HTTPException:
            return None
        return endpoint

    def internal(self, href: str) -> str | None:
        """The crawlable form of a link, or None for other sites, files and fragments."""
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != self.base:
            return None
        if parts.path.startswith("/static/") or parts.path.lower().endswith(DOWNLOAD_SUFFIXES):
            return None
        return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))

    def pattern(self, url: str, endpoint: str) -> tuple:
        keys = tuple(sorted({k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}))
        return (endpoint, keys)

    # -- the crawl --------------------------------------------------------------------------
    def run(self, seeds: list[str]) -> None:
        started = time.monotonic()
        queue = deque((self.base + path, "start") for path in seeds)
        while queue:
            url, referrer = queue.popleft()
            if url in self._seen:
                continue
            self._seen.add(url)
            for link in self.visit(url, referrer, seed=referrer == "start"):
                if link not in self._seen:
                    queue.append((link, self.relative(url)))
        self.check_not_found_page()
        self.check_titles()
        STATS.append(
            {
                "identity": self.identity,
                "pages": self.pages,
                "error_states": self.error_states,
                "error_labels": self.error_labels,
                "seconds": time.monotonic() - started,
                "paths": self.paths,
                "visited": self.visited,
            }
        )

    def goto(self, url: str):
        from playwright.sync_api import Error

        try:
            return self.page.goto(url, wait_until="load")
        except Error as error:
            if "Download is starting" in str(error):
                return None
            raise

    def visit(self, url: str, referrer: str, *, seed: bool) -> list[str]:
        planned = self.endpoint(url)
        if planned and self._patterns.get(self.pattern(url, planned), 0) >= self.per_pattern:
            # Enough pages of this kind audited: only check that the link works (a plain
            # request, no rendering), and do not follow its links.
            response = self.page.request.get(url)
            if response.status >= 400:
                self.problem(
                    self.relative(url), f"linked from {referrer} but answered {response.status}"
                )
            response.dispose()
            return []
        response = self.goto(url)
        if response is None:  # a file download, not a page
            return []
        final = self.internal(self.page.url) or self.page.url
        where = self.relative(final)
        status = response.status
        if status >= 400:
            if not seed:
                self.problem(self.relative(url), f"linked from {referrer} but answered {status}")
            elif status not in (401, 403, 404):  # a start point may be for other roles only
                self.problem(self.relative(url), f"answered {status}")
            return []
        if final != url:
            if final in self._seen:
                return []
            self._seen.add(final)
        if not response.headers.get("content-type", "").startswith("text/html"):
            return []
        endpoint = self.endpoint(final)
        if endpoint is None:
            self.problem(where, "the page's URL matches no route")
            return []
        key = self.pattern(final, endpoint)
        self._patterns[key] = self._patterns.get(key, 0) + 1
        if self._patterns[key] > self.per_pattern:
            return []
        if self.signed_in and endpoint == "accounts.login" and urlsplit(url).path != "/login":
            self.problem(self.relative(url), "sent a signed-in user to the sign-in page")
            return []

        self.pages += 1
        self.paths.add(urlsplit(final).path)
        self.visited.append(where)
        info = self.check_structure(where)
        self._titles.setdefault(info["title"], set()).add(endpoint)
        self.check_overflow(where)
        self.audit(where)
        if self._patterns[key] == 1:  # the keyboard path is the same on pages of one kind
            self.check_keyboard(where)
        links = []
        for link in self.page.evaluate(JS_LINKS) + self.page.evaluate(JS_GET_FORMS):
            target = None if link["download"] else self.internal(link["href"])
            if target and target not in self._seen:
                links.append(target)
        self.submit_forms(final, where, endpoint)
        return links

    # -- checks on every page ---------------------------------------------------------------
    def check_structure(self, where: str, *, error_state: bool = False) -> dict:
        info = self.page.evaluate(JS_STRUCTURE)
        if info["h1"] != 1:
            self.problem(where, f"has {info['h1']} <h1> elements (exactly one expected)")
        if info["lang"] not in ("zh-CN", "en"):
            self.problem(where, f'<html lang="{info["lang"]}"> (zh-CN or en expected)')
        elif self.expected_lang and info["lang"] != self.expected_lang:
            self.problem(
                where, f'<html lang="{info["lang"]}"> but {self.expected_lang} was asked for'
            )
        title = info["title"]
        if not title.endswith(self.suffix) or not title[: -len(self.suffix)].strip():
            self.problem(where, f"title {title!r} should be a page name then {self.suffix!r}")
        if error_state and not title.startswith(self.error_prefix):
            self.problem(where, f"title {title!r} of an error state lacks {self.error_prefix!r}")
        if info["leftovers"]:
            self.problem(where, f"text shows unformatted placeholders {info['leftovers'][:5]}")
        if not info["skip"] or not info["main"]:
            self.problem(where, 'no skip link to <main id="main">')
        return info

    def check_overflow(self, where: str) -> None:
        self.page.set_viewport_size(NARROW)
        try:
            result = self.page.evaluate(JS_OVERFLOW)
        finally:
            self.page.set_viewport_size(DESKTOP)
        if result["width"] > 320:
            self.problem(
                where,
                f"scrolls sideways at 320 px (page is {result['width']} px wide): "
                + ", ".join(result["culprits"]),
            )

    def audit(self, where: str) -> None:
        """axe-core (from axe-playwright-python). The test context adds axe's script to every
        page as it loads, which saves sending it again for each audit."""
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(self.axe.axe_script)
        response = self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in response["violations"]:
            nodes = "; ".join(
                f"{' '.join(map(str, node['target']))} {node['html'][:120]!r}"
                for node in violation["nodes"][:5]
            )
            self.problem(
                where,
                f"axe {violation['id']} ({violation.get('impact')}): {violation['help']} — {nodes}",
            )

    def check_keyboard(self, where: str) -> None:
        """From the top: the first Tab reaches the skip link; Tab reaches every form's submit
        button, and each shows :focus-visible when it has focus."""
        count = self.page.evaluate(JS_TAG_SUBMITS)
        self.page.evaluate(JS_WATCH_FOCUS)
        keyboard = self.page.keyboard
        found: set[str] = set()
        presses = 0
        log: list[dict] = []
        while presses < MAX_TABS:
            for _ in range(TABS_PER_CHECK):
                keyboard.press("Tab")
            presses += TABS_PER_CHECK
            state = self.page.evaluate(JS_FOCUS_LOG)
            log = state["log"]
            found = {entry["submit"] for entry in log if entry["submit"] is not None}
            wrapped = sum(entry["href"] == "#main" for entry in log) > 1
            if len(found) == count or state["body"] or wrapped:
                break
        if not log or log[0]["href"] != "#main":
            self.problem(where, "the first Tab does not reach the skip link")
        for entry in log:
            if entry["submit"] is not None and not entry["visible"]:
                self.problem(
                    where, f"submit button {entry['submit']} has focus without :focus-visible"
                )
        missing = count - len(found)
        if missing:
            self.problem(where, f"Tab never reaches {missing} of the page's {count} submit buttons")

    def check_not_found_page(self) -> None:
        response = self.goto(self.base + "/crawl-check-no-such-page")
        where = "/crawl-check-no-such-page"
        if response is None or response.status != 404:
            self.problem(where, "a missing page should answer 404")
            return
        self.pages += 1
        self.check_structure(where)
        self.check_overflow(where)
        self.audit(where)

    def check_titles(self) -> None:
        for title, endpoints in self._titles.items():
            if len(endpoints) > 1:
                self.problem(
                    ", ".join(sorted(endpoints)), f"different pages share the title {title!r}"
                )

    # -- forms and their error states -------------------------------------------------------
    def submit_forms(self, url: str, where: str, endpoint: str) -> None:
        forms = self.page.evaluate(JS_FORMS)
        submitted = 0
        for form in forms:
            if form["method"] != "post" or form["destructive"] or not form["submit"]:
                continue
            if form["inPlace"]:
                # offline.js saves it in place (no navigation to wait for); its saved, waiting
                # and error states are audited by tests/journeys/test_offline.py.
                continue
            action_endpoint = self.endpoint(form["action"], "POST")
            if action_endpoint is None:
                self.problem(
                    where,
                    f"form {form['index']} posts to {form['action']}, which has no POST route",
                )
                continue
            if action_endpoint in UNSUBMITTED_ENDPOINTS:
                continue
            key = (endpoint, action_endpoint, form["index"])
            if key in self._submitted:
                continue
            self._submitted.add(key)
            self.submit_empty(url, where, form["index"], action_endpoint, reload=submitted > 0)
            submitted += 1

    def submit_empty(
        self, url: str, where: str, index: int, action_endpoint: str, *, reload: bool
    ) -> None:
        from playwright.sync_api import Error

        label = f"{where} (form {index} → {action_endpoint}, submitted empty)"
        if reload:  # the first form is sent from the page as the crawl found it
            self.goto(url)
        self.page.evaluate(JS_CLEAR_FORM, [index, TEXT_INPUT_TYPES])
        button = (
            self.page.locator("form")
            .nth(index)
            .locator("button:not([type]), button[type=submit], input[type=submit]")
            .first
        )
        try:
            with self.page.expect_navigation(timeout=15_000) as navigation:
                button.click()
        except Error:
            self.problem(label, "submitting did not reach the server (missing novalidate?)")
            return
        response = navigation.value
        status = response.status if response else None
        summary = self.page.evaluate(JS_SUMMARY)
        has_summary = self.page.locator("[data-error-summary]").count() > 0
        if status is None or status >= 500 or status in (400, 405):
            self.problem(label, f"answered {status}")
            return
        if not has_summary and status in (409, 422):
            # An error shown at its place only (the roll-call's missing reason is shown at the
            # member, whose reason list takes the focus): audited like any error state.
            self.error_states += 1
            self.error_labels.append(label)
            self.check_overflow(label)
            self.audit(label)
            return
        if not has_summary:
            return  # the form accepts an empty submission; its result page is crawled as usual
        if status not in (409, 422):
            self.problem(label, f"shows an error summary with status {status} (422 expected)")
        self.error_states += 1
        self.error_labels.append(label)
        self.check_structure(label, error_state=True)
        if not summary["focused"]:
            self.problem(label, "the error summary does not have focus after the page loads")
        self.check_overflow(label)
        self.audit(label)
        listed = [link["id"] for link in summary["links"] if link["exists"]]
        if listed != summary["domOrder"]:
            self.problem(
                label,
                f"the error summary lists {listed}, the page shows them as {summary['domOrder']}",
            )
        for link in summary["links"]:
            if not link["exists"]:
                self.problem(
                    label, f"error summary links to #{link['id']}, which is not on the page"
                )
                continue
            self.page.locator(f'.error-summary a[href="#{link["id"]}"]').first.click()
            active = self.page.evaluate("() => document.activeElement && document.activeElement.id")
            if active != link["id"]:
                self.problem(
                    label, f"the error summary link to #{link['id']} moved focus to #{active}"
                )
