"""The four channels. Each is off until configured; the product works with none.

- **E-mail** (Flask-Mailman, SMTP): MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD,
  MAIL_USE_TLS, MAIL_DEFAULT_SENDER. Plain text plus HTML. The Message-ID is derived from the
  notice's idempotency key, so a resend after a crash is the same message (mail clients and
  many mailbox providers drop a second copy with a Message-ID they hold; SMTP itself cannot).
- **SMS** (Alibaba Cloud SMS, official SDK ``alibabacloud_dysmsapi20170525``):
  ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME,
  ALIYUN_SMS_TEMPLATE_CODE (an approved template with ${title} ${change} ${time} ${place}),
  ALIYUN_SMS_ENDPOINT. The idempotency key goes in ``OutId``; Alibaba does not deduplicate on
  it, so a crash between send and mark can send a second SMS (docs/features/notices.md).
- **WeCom group robot** (documented webhook, via requests): WECOM_WEBHOOK_URL, one text
  message per change for the staff group. No deduplication on WeCom's side either.
- **WeChat** (Official Account subscription messages, documented HTTP API via requests;
  app/notices/wechat.py): WECHAT_APP_ID, WECHAT_APP_SECRET, WECHAT_TEMPLATE_ID,
  WECHAT_TEMPLATE_FIELDS, WECHAT_API_BASE. No idempotency key on WeChat's side.

``send(notice)`` answers the provider's message id or raises ChannelError (retried later), or
Refused, a ChannelError no retry can cure (the notice fails at once)."""

from __future__ import annotations

import json

from flask import current_app


class ChannelError(Exception):
    """The provider refused or could not be reached; the worker retries with backoff."""

    permanent = False


class Refused(ChannelError):
    """The provider refused this message for good (a WeChat user who has not subscribed):
    the notice is marked failed at once, with the reason."""

    permanent = True


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def sms_configured() -> bool:
    c = current_app.config
    return all(
        c.get(k)
        for k in (
            "ALIYUN_SMS_ACCESS_KEY_ID",
            "ALIYUN_SMS_ACCESS_KEY_SECRET",
            "ALIYUN_SMS_SIGN_NAME",
            "ALIYUN_SMS_TEMPLATE_CODE",
        )
    )


def wecom_configured() -> bool:
    return bool(current_app.config.get("WECOM_WEBHOOK_URL"))


def wechat_configured() -> bool:
    from app.notices import wechat

    return wechat.configured()


def configured() -> list[str]:
    """The values of the channels that can send now."""
    out = []
    if mail_configured():
        out.append("email")
    if sms_configured():
        out.append("sms")
    if wecom_configured():
        out.append("wecom")
    if wechat_configured():
        out.append("wechat")
    return out


def message_id(key: str) -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    domain = sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else "ronghe.local"
    return f"<notice-{key}@{domain}>"


class Connections:
    """The worker's open SMTP connection, kept across the notices of one run (one TLS
    handshake and login, not one per message) and dropped after an error."""

    def __init__(self):
        self.smtp = None

    def email(self):
        if self.smtp is None:
            self.smtp = _smtp_connection()
            self.smtp.open()
        return self.smtp

    def drop(self):
        if self.smtp is not None:
            try:
                self.smtp.close()
            except Exception:  # noqa: S110 (closing a broken connection: nothing to do)
                pass
            self.smtp = None


def _smtp_connection():
    from app.extensions import mail

    c = current_app.config
    # The SMTP settings are read when a worker run opens its connection (not frozen at
    # start-up), so a change of configuration needs no code path of its own.
    return mail.get_connection(
        backend=c.get("MAIL_BACKEND") or "smtp",
        host=c["MAIL_SERVER"],
        port=int(c.get("MAIL_PORT") or 25),
        username=c.get("MAIL_USERNAME") or "",
        password=c.get("MAIL_PASSWORD") or "",
        use_tls=bool(c.get("MAIL_USE_TLS")),
        use_ssl=bool(c.get("MAIL_USE_SSL")),
        timeout=c.get("MAIL_TIMEOUT") or 20,
    )


def send_email(notice, connections: Connections | None = None) -> str:
    import smtplib

    from flask_mailman import EmailMultiAlternatives

    c = current_app.config
    mid = message_id(notice.idempotency_key)
    message = EmailMultiAlternatives(
        subject=notice.title,
        body=notice.body_text,
        from_email=c.get("MAIL_DEFAULT_SENDER"),
        to=[notice.address],
        headers={"Message-ID": mid, "X-Ronghe-Notice": notice.idempotency_key},
    )
    message.attach_alternative(notice.body_html, "text/html")
    connections = connections or Connections()
    try:
        message.connection = connections.email()
        if not message.send(fail_silently=False):
            raise smtplib.SMTPException("the server accepted no recipient")
    except (smtplib.SMTPException, OSError) as error:
        connections.drop()
        raise ChannelError(f"SMTP: {type(error).__name__}: {error}"[:480]) from error
    return mid


def _sms_client():
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_tea_openapi import models as open_api_models

    c = current_app.config
    config = open_api_models.Config(
        access_key_id=c["ALIYUN_SMS_ACCESS_KEY_ID"],
        access_key_secret=c["ALIYUN_SMS_ACCESS_KEY_SECRET"],
        endpoint=c.get("ALIYUN_SMS_ENDPOINT") or "dysmsapi.aliyuncs.com",
        protocol=c.get("ALIYUN_SMS_PROTOCOL") or "https",
        read_timeout=10000,
        connect_timeout=5000,
    )
    return Client(config)


def send_sms(notice) -> str:
    from alibabacloud_dysmsapi20170525 import models as sms_models
    from alibabacloud_tea_util import models as util_models

    c = current_app.config
    request = sms_models.SendSmsRequest(
        phone_numbers=notice.address,
        sign_name=c["ALIYUN_SMS_SIGN_NAME"],
        template_code=c["ALIYUN_SMS_TEMPLATE_CODE"],
        template_param=json.dumps(notice.facts.get("sms_params", {}), ensure_ascii=False),
        out_id=notice.idempotency_key,
    )
    try:
        response = _sms_client().send_sms_with_options(request, util_models.RuntimeOptions())
    except Exception as error:  # the SDK raises its own exception types for HTTP errors
        raise ChannelError(f"SMS: {type(error).__name__}: {error}"[:480]) from error
    body = response.body
    if body is None or body.code != "OK":
        raise ChannelError(
            f"SMS: {getattr(body, 'code', '')}: {getattr(body, 'message', '')}"[:480]
        )
    return body.biz_id or ""


def send_wecom(notice) -> str:
    import requests

    payload = {"msgtype": "text", "text": {"content": f"{notice.title}\n{notice.body_text}"}}
    try:
        response = requests.post(current_app.config["WECOM_WEBHOOK_URL"], json=payload, timeout=10)
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ChannelError(f"WeCom: {type(error).__name__}: {error}"[:480]) from error
    if response.status_code != 200 or data.get("errcode") != 0:
        raise ChannelError(f"WeCom: {response.status_code} {data.get('errmsg', '')}"[:480])
    return ""


def send(notice, connections: Connections | None = None) -> str:
    if notice.channel.value == "email":
        return send_email(notice, connections)
    if notice.channel.value == "sms":
        return send_sms(notice)
    if notice.channel.value == "wechat":
        from app.notices import wechat

        return wechat.send(notice)
    return send_wecom(notice)
