"""Turning notifications into e-mails, always in the recipient's language."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

UNSUBSCRIBE_SALT = "geraportal.notifications.unsubscribe"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def one_line(text: str) -> str:
    """Subjects are one line: no CR/LF can reach a mail header (header injection)."""
    return " ".join(text.split())[:250]


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature for a tampered or foreign token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])


def unsubscribe_headers(*, user_id: int, kind: str) -> tuple[str, dict[str, str]]:
    url = absolute_url(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)])
    )
    return url, {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def render_email(*, recipient, kind: str, template: str, context: dict[str, Any], url: str) -> RenderedEmail:
    """Render `<template>_subject.txt` and `<template>.txt` inside the common e-mail layout."""
    unsubscribe_url, headers = unsubscribe_headers(user_id=recipient.pk, kind=kind)
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        ctx = {**context, "recipient": recipient, "url": absolute_url(url)}
        subject = one_line(render_to_string(f"{template}_subject.txt", ctx))
        body = render_to_string(f"{template}.txt", ctx).strip()
        layout = {
            **ctx,
            "subject": subject,
            "body": body,
            "unsubscribe_url": unsubscribe_url,
            "kind_label": _kind_label(kind),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
        }
        text = render_to_string("notifications/email/layout.txt", layout)
        html = render_to_string("notifications/email/layout.html", layout)
    return RenderedEmail(subject=subject, text=text, html=html, headers=headers)


def _kind_label(kind: str) -> str:
    from . import kinds

    return kinds.label(kind)


def notification_title(notification) -> str:
    """The one-line text of a notification, in the active language (bell list, digests)."""
    ctx = {**notification.context, "recipient": notification.recipient, "url": absolute_url(notification.url)}
    return one_line(render_to_string(f"{notification.template}_subject.txt", ctx))
