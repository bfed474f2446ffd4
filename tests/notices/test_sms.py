"""SMS through Alibaba Cloud's official SDK, pointed at a local HTTP server that answers as
the SMS API does and checks each request's signature as Alibaba documents it for the current
SDK (signature V3, ``ACS3-HMAC-SHA256``: a canonical request of method, path, sorted
percent-encoded query, the signed headers and the payload's SHA-256; its SHA-256 signed with
HMAC-SHA256 under the AccessKey secret)."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.notices import worker
from app.notices.models import Notice
from tests.notices.conftest import AFTER_HOLD, at, save
from tests.notices.local_api import JsonHandler, LocalApi

KEY_ID, SECRET = "test-key-id", "test-key-secret"  # noqa: S105 (a fake provider's)


def encode(value: str) -> str:
    """Alibaba's percent-encoding: RFC 3986, space as %20, '~' kept."""
    return quote(value, safe="-_.~")


def expected_signature(method: str, path: str, query: dict, headers: dict, body: bytes, secret):
    """(Signature the request must carry, the error found first or "")."""
    auth = headers.get("authorization", "")
    algorithm, _, rest = auth.partition(" ")
    if algorithm != "ACS3-HMAC-SHA256":
        return None, "not a V3 signature"
    fields = dict(part.split("=", 1) for part in rest.split(","))
    signed = fields["SignedHeaders"].split(";")
    if not {"host", "x-acs-action", "x-acs-date", "x-acs-content-sha256"} <= set(signed):
        return None, "required headers not signed"
    if headers["x-acs-content-sha256"] != hashlib.sha256(body).hexdigest():
        return None, "payload hash"
    canonical_query = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(query.items()))
    canonical_headers = "".join(f"{h}:{headers[h].strip()}\n" for h in signed)
    canonical = "\n".join(
        [method, path, canonical_query, canonical_headers, ";".join(signed),
         headers["x-acs-content-sha256"]]
    )  # fmt: skip
    to_sign = f"{algorithm}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signature = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return (fields.get("Credential"), signature), ""


class FakeSmsApi(LocalApi):
    """Answers SendSms; ``answers`` is a list of HTTP statuses to give in turn (then 200)."""

    def __init__(self):
        self.answers: list[int] = []
        self.delivered: list[dict] = []
        self.requests: list[dict] = []
        self.bad_signatures = 0
        api = self

        class Handler(JsonHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                url = urlsplit(self.path)
                params = dict(parse_qsl(url.query, keep_blank_values=True))
                params.update(dict(parse_qsl(body.decode(), keep_blank_values=True)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                params["Action"] = headers.get("x-acs-action", "")
                api.requests.append(params)
                query = dict(parse_qsl(url.query, keep_blank_values=True))
                wanted, problem = expected_signature("POST", url.path, query, headers, body, SECRET)
                auth = headers.get("authorization", "")
                if problem or wanted != (KEY_ID, auth.rsplit("Signature=", 1)[-1]):
                    api.bad_signatures += 1
                    return self.answer(400, {"Code": "SignatureDoesNotMatch", "Message": "bad"})
                status = api.answers.pop(0) if api.answers else 200
                if status != 200:
                    return self.answer(status, {"Code": "InternalError", "Message": "try again"})
                api.delivered.append(params)
                return self.answer(
                    200,
                    {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(api.delivered)}",
                     "RequestId": "req"},
                )  # fmt: skip

        self.serve(Handler)


@pytest.fixture
def sms_api(app):
    api = FakeSmsApi()
    keys = {
        "ALIYUN_SMS_ACCESS_KEY_ID": KEY_ID,
        "ALIYUN_SMS_ACCESS_KEY_SECRET": SECRET,
        "ALIYUN_SMS_SIGN_NAME": "融合",
        "ALIYUN_SMS_TEMPLATE_CODE": "SMS_0001",
        "ALIYUN_SMS_ENDPOINT": f"127.0.0.1:{api.port}",
        "ALIYUN_SMS_PROTOCOL": "http",
    }
    saved = {k: app.config.get(k) for k in keys}
    app.config.update(keys)
    yield api
    app.config.update(saved)
    api.close()


@pytest.fixture
def moved(sms_api, contact_person, make_performance):
    person = contact_person(email="", phone="138 0000 0001")
    performance = make_performance(people=[(person, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    return person


def test_an_sms_goes_through_the_sdk_with_a_valid_signature(sms_api, moved, frozen_clock):
    (notice,) = db.session.scalars(sa.select(Notice)).all()
    assert (notice.channel.value, notice.address) == ("sms", "138 0000 0001")
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {"sent": 1}
    assert sms_api.bad_signatures == 0
    (sent,) = sms_api.delivered
    assert sent["Action"] == "SendSms"
    assert sent["PhoneNumbers"] == "138 0000 0001"
    assert sent["SignName"] == "融合"
    assert sent["TemplateCode"] == "SMS_0001"
    assert sent["OutId"] == notice.idempotency_key
    assert json.loads(sent["TemplateParam"]) == {
        "title": "Spring tour",
        "change": "时间或地点变更",
        "time": "2026-12-04 09:00–11:00",
        "place": "测试场馆1",
    }
    db.session.refresh(notice)
    assert (notice.status.value, notice.provider_message_id) == ("sent", "biz-1")


def test_the_check_refuses_a_wrong_secret(app, sms_api, moved, frozen_clock):
    app.config["ALIYUN_SMS_ACCESS_KEY_SECRET"] = "not-the-secret"  # noqa: S105
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {"retry": 1}
    assert sms_api.bad_signatures == 1 and sms_api.delivered == []
    assert "SignatureDoesNotMatch" in db.session.scalar(sa.select(Notice.error))


def test_the_provider_answering_500_then_200_delivers_once(sms_api, moved, frozen_clock):
    from datetime import timedelta

    sms_api.answers = [500]
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {"retry": 1}
    assert sms_api.delivered == []
    frozen_clock.set(AFTER_HOLD + timedelta(seconds=61))
    assert worker.run_once() == {"sent": 1}
    assert worker.run_once() == {}
    assert len(sms_api.delivered) == 1
    assert len(sms_api.requests) == 2
    notice = db.session.scalar(sa.select(Notice))
    assert (notice.status.value, notice.attempts) == ("sent", 2)
