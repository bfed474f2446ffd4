"""Account services without HTTP: validation, invariants, versions, sessions and audit rows."""

import pytest
from flask_babel import force_locale

from app.accounts import services
from app.accounts.enums import Language, Role
from app.accounts.passwords import verify_password
from app.core.audit import AuditEvent
from app.core.errors import DomainError, EditConflict
from app.extensions import db

PASSWORD = "a long enough passphrase"


def create(**overrides):
    values = {
        "username": "wang.fang",
        "display_name": "王芳",
        "password": PASSWORD,
        "roles": ["coach"],
        "language": "zh_Hans",
    }
    values.update(overrides)
    user = services.create_user(**values)
    db.session.commit()
    return user


def refused(call, **kwargs):
    """The DomainError a call raises, as (field, English message)."""
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    db.session.rollback()
    with force_locale("en"):
        return caught.value.field, str(caught.value.message)


def audit_rows(user_id):
    return db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity_id == user_id).order_by(AuditEvent.id)
    ).all()


def test_create_user_stores_everything_and_audits_field_names_only(app):
    user = create(username="  Wang.Fang ", roles=["coach", "organiser"], language="en")
    assert user.username == "wang.fang"
    assert user.display_name == "王芳"
    assert user.roles == {Role.COACH, Role.ORGANISER}
    assert user.language is Language.EN
    assert user.is_active is True
    assert user.version == 1
    assert user.session_version == 1
    assert verify_password(user.password_hash, PASSWORD)
    assert PASSWORD not in user.password_hash
    [row] = audit_rows(user.id)
    assert (row.action, row.entity) == ("create", "user")
    assert row.field_list == ["display_name", "language", "password", "roles", "username"]
    assert row.details is None
    assert PASSWORD not in row.fields


def test_create_user_links_a_person(app, register_person):
    person = register_person()
    user = create(person_id=person.id)
    assert user.person_id == person.id
    assert "person_id" in audit_rows(user.id)[0].field_list


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": ""}, "username", "Enter a username."),
        ({"username": "a"}, "username", None),
        ({"username": "wang fang"}, "username", None),
        ({"username": "-wang"}, "username", None),
        ({"username": "王芳"}, "username", None),
        ({"display_name": "  "}, "display_name", "Enter the name to show for this user."),
        ({"display_name": "x" * 121}, "display_name", "The name must have at most 120 characters."),
        ({"roles": []}, "roles", "Choose at least one role."),
        ({"roles": ["coach", "emperor"]}, "roles", "Choose roles from the list."),
        ({"language": "fr"}, "language", "Choose a language."),
        ({"password": "short"}, "password", "The password must have at least 8 characters."),
        (
            {"password": "password1"},
            "password",
            "This password is too easy to guess: it is a common password, a keyboard pattern or close to your name. A few unrelated words together are long and easy to remember.",
        ),
        (
            {"password": "wang.fang"},
            "password",
            "The password must not be the same as your username or name.",
        ),
        ({"person_id": 999}, "person_id", "There is no person with record number 999."),
    ],
)
def test_create_user_refuses_bad_input(app, overrides, field, message):
    got_field, got_message = refused(create, **overrides)
    assert got_field == field
    if message is None:
        assert got_message.startswith("A username has 2 to 64 characters")
    else:
        assert got_message == message
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 0


def test_username_taken_whatever_the_case(app):
    create()
    assert refused(create, username="WANG.FANG") == ("username", "This username is already taken.")


def test_a_person_links_to_one_account_only(app, register_person):
    person = register_person()
    create(person_id=person.id)
    assert refused(create, username="other", person_id=person.id) == (
        "person_id",
        "This person is already linked to the account wang.fang.",
    )


def edit(user, **overrides):
    values = {
        "version": user.version,
        "display_name": user.display_name,
        "roles": [r.value for r in user.roles],
        "language": str(user.language),
        "person_id": user.person_id,
    }
    values.update(overrides)
    changed = services.update_user(user, **values)
    db.session.commit()
    return changed


def test_update_user_changes_bump_version_and_audit(app, register_person):
    user = create()
    person = register_person()
    changed = edit(user, display_name="王芳芳", roles=["coach", "participant"], person_id=person.id)
    assert sorted(changed) == ["display_name", "person_id", "roles"]
    assert user.version == 2
    assert user.roles == {Role.COACH, Role.PARTICIPANT}
    row = audit_rows(user.id)[-1]
    assert row.action == "update"
    assert row.field_list == ["display_name", "person_id", "roles"]


def test_update_user_without_changes_keeps_version_and_writes_no_audit(app):
    user = create()
    assert edit(user) == []
    assert user.version == 1
    assert [row.action for row in audit_rows(user.id)] == ["create"]


def test_update_user_with_an_old_version_is_a_conflict(app):
    user = create()
    edit(user, display_name="Newer")
    with pytest.raises(EditConflict) as caught:
        edit(user, version=1, display_name="Older form")
    assert caught.value.current is user
    db.session.rollback()
    assert user.display_name == "Newer"


def test_missing_version_is_a_conflict(app):
    user = create()
    with pytest.raises(EditConflict):
        edit(user, version=None)


def test_sign_in_and_out_do_not_change_the_version(app):
    user = create()
    services.authenticate("wang.fang", PASSWORD)
    services.end_sessions(user)
    db.session.commit()
    assert user.version == 1
    assert user.session_version == 2
    assert user.last_login_at is not None
    assert edit(user, display_name="Still fine") == ["display_name"]


def test_admin_cannot_drop_own_admin_role(app):
    admin = create(username="boss", roles=["admin"])
    assert refused(edit, user=admin, roles=["coach"], actor=admin) == (
        "roles",
        "You cannot remove your own administrator role.",
    )
    assert admin.roles == {Role.ADMIN}


def test_admin_can_drop_another_admins_role(app):
    boss = create(username="boss", roles=["admin"])
    other = create(username="other", roles=["admin", "coach"])
    edit(other, roles=["coach"], actor=boss)
    assert other.roles == {Role.COACH}


def test_deactivate_ends_sessions_and_reactivate(app):
    boss = create(username="boss", roles=["admin"])
    user = create()
    services.set_active(user, False, actor=boss)
    db.session.commit()
    assert user.is_active is False
    assert user.session_version == 2
    assert user.version == 2
    with pytest.raises(DomainError):
        services.authenticate("wang.fang", PASSWORD)
    services.set_active(user, True, actor=boss)
    db.session.commit()
    assert user.is_active is True
    assert services.authenticate("wang.fang", PASSWORD) is user
    assert [(r.action, r.field_list) for r in audit_rows(user.id)][1:3] == [
        ("deactivate", ["is_active_account"]),
        ("reactivate", ["is_active_account"]),
    ]
    assert {r.actor_id for r in audit_rows(user.id)[1:3]} == {boss.id}


def test_admin_cannot_deactivate_self(app):
    boss = create(username="boss", roles=["admin"])
    assert refused(services.set_active, user=boss, active=False, actor=boss) == (
        None,
        "You cannot deactivate your own account.",
    )
    assert boss.is_active is True


def test_set_active_to_the_current_state_changes_nothing(app):
    user = create()
    services.set_active(user, True)
    db.session.commit()
    assert user.version == 1
    assert [r.action for r in audit_rows(user.id)] == ["create"]


def test_set_password_ends_sessions_and_audits(app):
    user = create()
    services.set_password(user, "another fine passphrase")
    db.session.commit()
    assert user.session_version == 2
    assert verify_password(user.password_hash, "another fine passphrase")
    row = audit_rows(user.id)[-1]
    assert (row.action, row.field_list, row.details) == ("set_password", ["password"], None)


def test_set_password_applies_the_rules(app):
    user = create()
    assert refused(services.set_password, user=user, password="1234567") == (
        "password",
        "The password must have at least 8 characters.",
    )
    assert user.session_version == 1


def test_change_own_password_checks_the_current_one(app):
    user = create()
    assert refused(
        services.change_own_password, user=user, current="wrong", new="new passphrase here"
    ) == ("current_password", "Your current password is not right.")
    services.change_own_password(user, PASSWORD, "new passphrase here")
    db.session.commit()
    assert verify_password(user.password_hash, "new passphrase here")
    assert audit_rows(user.id)[-1].actor_id == user.id


@pytest.mark.parametrize(
    ("username", "password"),
    [("wang.fang", "wrong password"), ("nobody", PASSWORD), ("", PASSWORD)],
)
def test_authenticate_gives_one_message_for_every_failure(app, username, password):
    create()
    assert refused(services.authenticate, username=username, password=password) == (
        "username",
        "The username or password is not right.",
    )


def test_authenticate_ignores_username_case_and_audits_login(app):
    user = create()
    assert services.authenticate(" WANG.FANG ", PASSWORD) is user
    db.session.commit()
    assert audit_rows(user.id)[-1].action == "login"


def test_set_language(app):
    user = create()
    services.set_language(user, "en")
    assert user.language is Language.EN
    with pytest.raises(DomainError):
        services.set_language(user, "xx")
