"""core.editing: the one version check (a missing version is stale), the conflict table built
from every field of a form (many-valued ones included), and the save step's outcomes."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from app.core import editing
from app.core.errors import DomainError, EditConflict
from app.core.forms import BaseForm, DatePartsField, MultiCheckboxField, VersionField


@pytest.mark.parametrize("version", [None, "", "3", 2, 4, True, 3.0])
def test_a_missing_or_other_version_is_stale(version):
    record = SimpleNamespace(version=3)
    with pytest.raises(EditConflict) as error:
        editing.check_version(record, version)
    assert error.value.current is record


def test_the_same_version_passes():
    editing.check_version(SimpleNamespace(version=3), 3)


class ThingForm(BaseForm):
    name = StringField("Name")
    kind = SelectField("Kind", choices=[("a", "Kind A"), ("b", "Kind B")])
    features = MultiCheckboxField("Features", choices=[("x", "Lift"), ("y", "Toilet")])
    public = BooleanField("Public")
    day = DatePartsField("Day")
    notes = TextAreaField("Notes")
    version = VersionField()


def thing(**values):
    data = {
        "name": "场地",
        "kind": "a",
        "features": ["x"],
        "public": True,
        "day": date(2026, 12, 1),
        "notes": "",
        "version": 1,
    }
    data.update(values)
    return data


def posted(app, **values):
    data = thing(**values)
    formdata = MultiDict()
    for key, value in data.items():
        if key == "day":
            formdata.add("day-year", str(value.year))
            formdata.add("day-month", str(value.month))
            formdata.add("day-day", str(value.day))
        elif key == "features":
            for item in value:
                formdata.add("features", item)
        elif key == "public":
            if value:
                formdata.add("public", "y")
        else:
            formdata.add(key, str(value))
    with app.test_request_context(method="POST", data=formdata):
        form = ThingForm(meta={"csrf": False})
        form.validate()
        return form


def saved(app, **values):
    with app.test_request_context():
        return ThingForm(formdata=None, data=thing(**values), meta={"csrf": False})


def test_conflict_rows_list_every_field_that_differs_in_words(app):
    mine = posted(app, name="场地，新", kind="b", features=["x", "y"], public=False)
    theirs = saved(app, notes="别人的备注", day=date(2026, 12, 2), version=2)
    with app.test_request_context():
        rows = editing.conflict_rows(mine, theirs)
    assert rows == [
        ("Name", "场地，新", "场地"),
        ("Kind", "Kind B", "Kind A"),
        ("Features", "Lift, Toilet", "Lift"),
        ("Public", "No", "Yes"),
        ("Day", "Dec 1, 2026", "Dec 2, 2026"),
        ("Notes", "", "别人的备注"),
    ]


def test_same_values_make_no_rows(app):
    with app.test_request_context():
        assert editing.conflict_rows(posted(app), saved(app, version=5)) == []


def test_get_forms_have_no_conflict_and_status_200(app):
    form = saved(app)
    assert form.conflict_rows is None
    assert form.status_code == 200


def _save(app, apply, **kwargs):
    with app.test_request_context(method="POST", data={"name": "x", "kind": "a", "version": "1"}):
        form = ThingForm(meta={"csrf": False})
        response = editing.save(
            form,
            apply,
            saved_form=lambda: ThingForm(
                formdata=None, data=thing(version=7), meta={"csrf": False}
            ),
            flash_message="Saved.",
            redirect_to="/done",
            **kwargs,
        )
        return form, response


def test_save_commits_and_redirects_with_303(app):
    form, response = _save(app, lambda: "ok")
    assert response.status_code == 303
    assert response.headers["Location"] == "/done"
    assert form.status_code == 200


def test_a_domain_error_lands_on_its_field_with_its_status(app):
    def apply():
        raise DomainError("That name is taken.", field="name")

    form, response = _save(app, apply)
    assert response is None
    assert form.name.errors == ["That name is taken."]
    assert form.status_code == 422
    assert form.conflict_rows is None


@pytest.mark.parametrize("error", [EditConflict(None), StaleDataError("0 rows matched")])
def test_a_conflict_or_a_stale_flush_is_409_with_the_table_and_the_new_version(app, error):
    def apply():
        raise error

    form, response = _save(app, apply)
    assert response is None
    assert form.status_code == 409
    assert form.form_errors == [editing.CONFLICT_MESSAGE]
    assert form.version.data == 7
    assert ("Name", "x", "场地") in form.conflict_rows
    assert form.name.data == "x"  # the user's input is kept
