"""Labels tell the truth: a field's label says "(optional)" exactly when the field has no
required flag (the form macro prints it from ``field.flags.required``). So every form of the
app, posted empty, may give errors only on fields flagged required, and every field flagged
required must refuse the empty post. Issue 19, item 19: troupe member birth date, leaving
date and reason, a home's opening date and services, an activity's first day and times, a
programme's organisers, an entry's athletes were labelled optional and required.

Forms are found by walking every module of the app, so a new form is checked without anyone
adding it here. A form whose constructor needs arguments gets them from CONSTRUCTOR_ARGS.
"""

from __future__ import annotations

import importlib
import pkgutil

import app as app_package
from app.core.forms import BaseForm

# Fields whose "required" depends on other answers (checked by the form or the service, with
# the condition stated in their hint); their label is "(optional)" on purpose.
CONDITIONAL = {
    ("PersonForm", "guardian_name"),
    # Required when the series ends on a last date (the hint says so).
    ("ActivityForm", "until_on"),
}

# Field types the form macro never labels "(optional)".
NEVER_LABELLED = {"BooleanField", "PasswordField", "CSRFTokenField", "VersionField", "HiddenField"}


def constructor_args(cls) -> dict:
    from app.athletes.enums import Stage

    return {"StageForm": {"current": Stage.IDENTIFIED}}.get(cls.__name__, {})


def every_form_class() -> list[type]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found, todo = [], list(BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if (
            cls.__module__.startswith("app.")
            and not cls.__name__.startswith("_")
            and cls not in found
        ):
            found.append(cls)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def label_problems(app) -> list[str]:
    problems = []
    with app.test_request_context(method="POST", data={}):
        for cls in every_form_class():
            form = cls(meta={"csrf": False}, **constructor_args(cls))
            form.validate()
            for field in form:
                key = (cls.__name__, field.name)
                if field.type in NEVER_LABELLED or key in CONDITIONAL:
                    continue
                where = f"{cls.__module__}.{cls.__name__}.{field.name}"
                if field.errors and not field.flags.required:
                    problems.append(f"{where}: labelled optional, refuses empty: {field.errors}")
                if field.flags.required and not field.errors and field.type != "SelectField":
                    problems.append(f"{where}: labelled required, accepts empty")
    return problems


def test_every_form_is_found(app):
    names = {cls.__name__ for cls in every_form_class()}
    assert {"PersonForm", "VenueForm", "PerformanceForm", "ActivityForm", "EventForm"} <= names


def test_labels_say_optional_exactly_when_a_field_may_stay_empty(app):
    assert label_problems(app) == []


def test_every_checkbox_group_radio_and_date_is_drawn_by_the_macro_made_for_it(app):
    """The form macro chooses a field's markup by its ``type`` (its class name): a subclass of
    MultiCheckboxField under another name was drawn as one label over a list of boxes, each
    ``required`` (a browser then refuses the form until every box is ticked) and without a
    fieldset and legend."""
    import re
    from pathlib import Path

    from wtforms import BooleanField, RadioField

    from app.core.forms import DatePartsField, MultiCheckboxField

    macro = (Path(app.root_path) / "templates" / "_macros" / "forms.html").read_text()
    drawn = set(re.findall(r"'([A-Za-z]+Field)'", macro))
    problems = []
    with app.test_request_context():
        for cls in every_form_class():
            form = cls(meta={"csrf": False}, **constructor_args(cls))
            for field in form:
                special = (MultiCheckboxField, RadioField, DatePartsField, BooleanField)
                if isinstance(field, special) and field.type not in drawn:
                    problems.append(f"{cls.__name__}.{field.name}: {field.type}")
    assert problems == []
