"""Writes of the pages app: news posts and workshops."""

import re
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from geraportal.core.audit import snapshot, staff_action_record, staff_change_record
from geraportal.core.ical import uid_host

from . import events
from .models import AccessibilityFeedback, Event, NewsPost

if TYPE_CHECKING:
    from geraportal.accounts.models import User


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def german_slug(text: str, *, max_length: int = 70) -> str:
    """A readable ASCII slug from German text: "Größere Rückkehr" → "groessere-rueckkehr"."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "beitrag"


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = german_slug(title)
    taken = set(
        NewsPost.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)  # type: ignore[misc]  # None excludes nothing
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


NEWS_FIELDS = ("title", "teaser", "body", "image_alt", "published_at")
_NEWS_AUDITED = (*NEWS_FIELDS, "image")


def _audit(by, action: str, obj: NewsPost | Event, fields, before: dict[str, Any] | None = None) -> None:
    """One audit row for a staff action on `obj`: its changed `fields` (all of them if new)."""
    staff_change_record(
        actor=by,
        action=action,
        target=obj,
        summary=obj.title,
        before=before,
        after=snapshot(obj, fields),
    )


@transaction.atomic
def news_post_create(*, author: "User", data: dict[str, Any], image=None) -> NewsPost:
    post = NewsPost(
        author=author, slug=_unique_slug(data["title"]), **{f: data[f] for f in NEWS_FIELDS if f in data}
    )
    if image is not None:
        post.image.save(image.name, image, save=False)
    post.save()
    _audit(author, "news_post_created", post, _NEWS_AUDITED)
    return post


@transaction.atomic
def news_post_update(
    *, post: NewsPost, by: "User | None", data: dict[str, Any], image=None, remove_image: bool = False
) -> NewsPost:
    before = snapshot(NewsPost.objects.get(pk=post.pk), _NEWS_AUDITED)
    for field in NEWS_FIELDS:
        if field in data:
            setattr(post, field, data[field])
    if remove_image and post.image:
        post.image.delete(save=False)
        post.image = ""
    if image is not None:
        post.image.save(image.name, image, save=False)
    if not post.image:
        post.image_alt = ""
    post.updated_at = timezone.now()
    post.save()
    _audit(by, "news_post_changed", post, _NEWS_AUDITED, before)
    return post


@transaction.atomic
def news_post_publish(*, post: NewsPost, by: "User | None") -> NewsPost:
    """Publish now (a draft, or a scheduled post that should not wait)."""
    before = snapshot(post, ["published_at"])
    post.published_at = post.updated_at = timezone.now()
    post.save(update_fields=["published_at", "updated_at"])
    _audit(by, "news_post_published", post, ["published_at"], before)
    return post


@transaction.atomic
def news_post_unpublish(*, post: NewsPost, by: "User | None") -> NewsPost:
    before = snapshot(post, ["published_at"])
    post.published_at = None
    post.updated_at = timezone.now()
    post.save(update_fields=["published_at", "updated_at"])
    _audit(by, "news_post_unpublished", post, ["published_at"], before)
    return post


EVENT_FIELDS = ("title", "description", "starts_at", "ends_at", "location", "online_url")


@transaction.atomic
def event_create(*, created_by, data: dict[str, Any]) -> Event:
    event = Event(created_by=created_by, **{f: data[f] for f in EVENT_FIELDS if f in data})
    event.full_clean(exclude=["created_by"])
    event.save()
    _audit(created_by, "event_created", event, EVENT_FIELDS)
    return event


@transaction.atomic
def event_update(*, event: Event, by: "User | None", data: dict[str, Any]) -> Event:
    before = snapshot(Event.objects.get(pk=event.pk), EVENT_FIELDS)
    for field in EVENT_FIELDS:
        if field in data:
            setattr(event, field, data[field])
    event.updated_at = timezone.now()
    event.full_clean(exclude=["created_by"])
    event.save()
    _audit(by, "event_changed", event, EVENT_FIELDS, before)
    return event


@transaction.atomic
def event_delete(*, event: Event, by: "User | None") -> None:
    staff_action_record(
        actor=by,
        action="event_deleted",
        target=event,
        summary=event.title,
        before=snapshot(event, EVENT_FIELDS),
    )
    event.delete()


def workshop_entries(start: datetime, end: datetime) -> list[events.CalendarEntry]:
    """The calendar source of the workshops (registered in PagesConfig.ready())."""
    found = Event.objects.filter(starts_at__lt=end, ends_at__gte=start).order_by("starts_at", "pk")
    return [
        events.CalendarEntry(
            title=event.title,
            start=event.starts_at,
            end=event.ends_at,
            location=event.location or event.online_url,
            url=f"{settings.SITE_URL}{event.get_absolute_url()}",
            description=event.description,
            uid=f"pages-event-{event.pk}@{uid_host()}",
        )
        for event in found
    ]


def accessibility_feedback_submit(
    *, name: str, email: str, message: str, language: str
) -> AccessibilityFeedback:
    """Keep a message from the accessibility statement's form and send it to the SMARTCity team
    (through the outbox, so a mail server that is down loses nothing)."""
    from django.urls import reverse

    from geraportal.notifications.services import email_enqueue

    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            name=name, email=email, message=message, language=language
        )
        sender = name or "–"
        text = (
            f"Neue Rückmeldung zur Barrierefreiheit (über die Erklärung zur Barrierefreiheit)\n\n"
            f"Eingegangen: {timezone.localtime(feedback.created_at):%d.%m.%Y %H:%M}\n"
            f"Antwort fällig bis: {feedback.answer_due:%d.%m.%Y}\n"
            f"Name: {sender}\nE-Mail: {email or '–'}\nSprache: {language}\n\n"
            f"{message}\n\n"
            f"Alle Rückmeldungen: {reverse('staff:accessibility_feedback_list')}\n"
        )
        headers = {"Reply-To": email} if email else {}
        email_enqueue(
            key=f"accessibility-feedback:{feedback.pk}",
            to_email=settings.PORTAL_OFFICE["email"],
            subject=f"Barrierefreiheit: Rückmeldung Nr. {feedback.pk}",
            text=text,
            headers=headers,
        )
    return feedback
