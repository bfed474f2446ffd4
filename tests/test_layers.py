"""Layers only point down (docs/architecture.md, "Layers"; issue 14).

Every module under app/ is parsed with ``ast`` and every import in it is checked: module-level
imports, imports inside functions (the lazy ones) and those under ``if TYPE_CHECKING``. A
package may import its own modules and any package of a LOWER layer; an import of a package
in the same layer (sideways) or a higher one (upward) fails, unless the pair is in ALLOWED
below, each with its reason. The picture in docs/architecture.md is this table.

ruff's banned-api rule (TID251, pyproject.toml) shows core's part of the rule in the editor;
this test is the whole rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

# Lowest first. A package's layer is the index of the row it is in.
LAYERS: list[tuple[str, set[str]]] = [
    ("core", {"core", "extensions"}),
    # scheduling imports only core (the clash query over registered sources) and every
    # domain asks it, so it sits with the register, just above core.
    ("register", {"people", "venues", "accounts", "scheduling"}),
    # replies (a person's answer to an invitation, for any domain's booking) builds on people
    # and scheduling, and the domains use it.
    ("shared", {"replies"}),
    ("domains", {"athletes", "competitions", "performances", "homes"}),
    # caching.py (page-cache invalidation) and notices read every domain.
    (
        "top",
        {
            "calendars",
            "reports",
            "dashboards",
            "api",
            "privacy",
            "backup",
            "demo",
            "notices",
            "sync",
            "caching",
        },
    ),
    # app/models.py imports every models module (complete metadata for Alembic and tests);
    # app/__init__.py, the factory, wires everything (it imports models first).
    ("metadata", {"models"}),
    ("factory", {"__init__"}),
]
LAYER_OF = {package: index for index, (_, packages) in enumerate(LAYERS) for package in packages}

# Sideways imports that are the design, not an accident: (importer, imported) → why.
# Keep it short; a new line here needs a reason a reviewer accepts.
ALLOWED: dict[tuple[str, str], str] = {
    # A user account may be linked to the person it belongs to (User.person_id).
    ("accounts", "people"): "accounts link a user to their person record",
    # An entry is an athlete's entry in a sport's event: competitions build on the athlete
    # profile, sports and classes; athletes never import competitions.
    ("competitions", "athletes"): "entries, events and results are athletes' and sports'",
    # The home page lists the user's next events from their personal calendar feed keys.
    ("dashboards", "calendars"): "next events come from the calendar's rendered items",
    # Page-cache versions move when calendar rows change; notices link to calendar pages.
    ("caching", "calendars"): "calendar rows are among the cached pages' sources",
    ("notices", "calendars"): "a notice's links are built with calendars.sources.absolute_url",
}


def package_of(module: str) -> str | None:
    """``app.homes.views.roll_call`` → ``homes``; ``app`` itself → ``__init__``; None when the
    module is not the app's."""
    parts = module.split(".")
    if parts[0] != "app":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, at any depth, relative ones resolved;
    ``from app import models`` counts as an import of ``app.models``."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "app":
                found += [(node.lineno, f"app.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, target))
    return found


def violations(paths) -> list[str]:
    found = []
    for path in paths:
        importer = package_of(module_name(path))
        for line, target in imported_modules(path):
            imported = package_of(target)
            if imported is None or imported == importer:
                continue
            if (importer, imported) in ALLOWED:
                continue
            if LAYER_OF[imported] < LAYER_OF[importer]:
                continue
            # core and extensions.py are one toolkit (core uses extensions' db, extensions
            # uses core.db's Base), so the lowest layer may import within itself.
            if LAYER_OF[importer] == LAYER_OF[imported] == 0:
                continue
            way = "sideways" if LAYER_OF[imported] == LAYER_OF[importer] else "upward"
            found.append(f"{path.relative_to(ROOT)}:{line} imports {target} ({way})")
    return found


def app_modules() -> list[Path]:
    return sorted(APP.rglob("*.py"))


def test_every_app_package_has_a_layer():
    packages = {package_of(module_name(path)) for path in app_modules()}
    assert packages - set(LAYER_OF) == set(), "add the new package to a row of LAYERS"


def test_imports_only_point_down():
    assert violations(app_modules()) == []


def test_allow_list_entries_are_all_still_needed():
    used = set()
    for path in app_modules():
        importer = package_of(module_name(path))
        for _, target in imported_modules(path):
            used.add((importer, package_of(target)))
    assert set(ALLOWED) - used == set(), "remove the allow-list lines nothing needs any more"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Upward from core, at module level and inside a function (a lazy import).
        ("from app.homes.queries import ABSENT_DAYS\n", ["upward"]),
        ("def f():\n    from app.dashboards import boards\n", ["upward"]),
        ("import app.calendars.sync\n", ["upward"]),
        ("from app import models\n", ["upward"]),
        ("from .. import reports\n", ["upward"]),
        # Down or within the package: fine.
        ("from app.core import clock\nfrom app.extensions import db\nfrom . import enums\n", []),
    ],
)
def test_the_walker_sees_upward_imports(tmp_path, monkeypatch, source, expected):
    """The check itself can fail: a file written into a fake app/core is caught."""
    fake_root = tmp_path
    (fake_root / "app" / "core").mkdir(parents=True)
    module = fake_root / "app" / "core" / "probe.py"
    module.write_text(source, encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", fake_root)
    found = violations([module])
    assert [v.rsplit("(", 1)[1].rstrip(")") for v in found] == expected, found


def test_a_sideways_import_between_domains_is_caught(tmp_path, monkeypatch):
    (tmp_path / "app" / "homes").mkdir(parents=True)
    module = tmp_path / "app" / "homes" / "probe.py"
    module.write_text("from app.performances.models import Performance\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert violations([module]) == [
        "app/homes/probe.py:1 imports app.performances.models (sideways)"
    ]
