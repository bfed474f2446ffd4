from tests.conftest import DEFAULT_PASSWORD


def test_login_happy_path(client, make_user):
    make_user("coach", username="coach1")
    response = client.post("/login", data={"username": "coach1", "password": DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.get("/account").status_code == 200


def test_login_wrong_password_keeps_username(client, make_user):
    make_user("coach", username="coach1")
    response = client.post("/login", data={"username": "coach1", "password": "wrong password"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'value="coach1"' in body
    assert 'aria-invalid="true"' in body


def test_sixth_failed_login_in_a_minute_is_limited(client, make_user):
    make_user("coach", username="coach1")
    for _ in range(5):
        assert client.post("/login", data={"username": "coach1", "password": "nope-nope"}).status_code == 422
    response = client.post("/login", data={"username": "coach1", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429


def test_logout_ends_other_sessions(app, make_user):
    make_user("coach", username="coach1")
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        assert c.post("/login", data={"username": "coach1", "password": DEFAULT_PASSWORD}).status_code == 303
    assert second.get("/account").status_code == 200
    assert first.post("/logout").status_code == 303
    assert second.get("/account").status_code == 302


def test_login_next_only_local(client, make_user):
    make_user("coach", username="coach1")
    response = client.post(
        "/login?next=//evil.example/x", data={"username": "coach1", "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post(
        "/login?next=/account", data={"username": "coach1", "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"] == "/account"
