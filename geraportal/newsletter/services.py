"""The newsletter: double opt-in subscriptions, issues, and sending them in batches.

Subscribing needs no account. A subscription counts only once the owner of the address has
followed the confirmation link; both steps are logged with their time. An issue goes to the
confirmed subscribers in batches: one Celery task per batch, one SMTP connection per batch,
one outbox row per recipient with the idempotency key `newsletter:<issue>:<subscriber>`, so
running a batch again (a retry, a worker that died) never sends anything twice.
"""

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac

from geraportal.core.audit import changes, snapshot, staff_action_record, staff_change_record
from geraportal.core.markdown import render_markdown
from geraportal.notifications.models import OutboxEmail
from geraportal.notifications.rendering import absolute_url, one_line
from geraportal.notifications.services import email_enqueue, outbox_send

from .models import (
    NEWSLETTER_ISSUE_TRANSITIONS,
    NewsletterBatch,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterSubscriber,
    NewsletterSubscriptionEvent,
)

logger = logging.getLogger(__name__)

# The salts keep the names from before the newsletter had its own package: links in e-mails
# already sent must keep working.
CONFIRM_SALT = "geraportal.notifications.newsletter.confirm"
UNSUBSCRIBE_SALT = "geraportal.notifications.newsletter.unsubscribe"
TOKEN_ADDRESS_SALT = "geraportal.notifications.newsletter.address"
# Asking again for the same address within this time sends no second mail (no mail-bombing).
CONFIRMATION_RESEND_AFTER = timedelta(minutes=10)
# Stands in for each recipient's own unsubscribe link while an issue is rendered once per batch.
_UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/__newsletter__"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_SMTP_CODE = re.compile(r"\((\d{3}),")

Status = NewsletterSubscriber.Status
Action = NewsletterSubscriptionEvent.Action


class InvalidAddress(ValueError):
    pass


class IssueNotEditable(ValueError):
    pass


class InvalidTransition(ValueError):
    pass


class PostsNotPublic(ValueError):
    """The issue contains news posts that are no longer public; `posts` lists them."""

    def __init__(self, posts):
        super().__init__(", ".join(p.title for p in posts))
        self.posts = posts


def batch_size() -> int:
    return getattr(settings, "NEWSLETTER_BATCH_SIZE", 500)


def normalise_email(raw: str) -> str:
    """The address as we store it (lower case), or InvalidAddress.

    Anything with a line break or other control character is refused outright: such an
    address can only be an attempt to smuggle headers (`\\r\\nBcc: ...`) into an e-mail.
    """
    address = (raw or "").strip()
    if not address or _CONTROL_CHARACTERS.search(address) or len(address) > 254:
        raise InvalidAddress(address)
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidAddress(address) from None
    return address.lower()


# --- Tokens ------------------------------------------------------------------------------


def _address_hash(subscriber_id: int, email: str) -> str:
    """Binds a link to the address without revealing it: a signed payload is only encoded,
    so anyone holding the link could read an address put there."""
    return salted_hmac(TOKEN_ADDRESS_SALT, f"{subscriber_id}:{email}", algorithm="sha256").hexdigest()[:16]


def _token_payload(subscriber: NewsletterSubscriber) -> dict:
    return {"s": subscriber.pk, "h": _address_hash(subscriber.pk, subscriber.email)}


def confirm_token(subscriber: NewsletterSubscriber) -> str:
    return signing.dumps(_token_payload(subscriber), salt=CONFIRM_SALT)


def unsubscribe_token(subscriber: NewsletterSubscriber) -> str:
    return signing.dumps(_token_payload(subscriber), salt=UNSUBSCRIBE_SALT)


def _subscriber_from(data) -> NewsletterSubscriber:
    try:
        subscriber = NewsletterSubscriber.objects.get(pk=int(data["s"]))
        given = str(data["h"])
    except (NewsletterSubscriber.DoesNotExist, KeyError, TypeError, ValueError):
        raise signing.BadSignature("unknown subscriber") from None
    if not constant_time_compare(given, _address_hash(subscriber.pk, subscriber.email)):
        raise signing.BadSignature("address changed")
    return subscriber


def read_confirm_token(token: str) -> NewsletterSubscriber:
    """Raises signing.SignatureExpired (too old) or signing.BadSignature (tampered, unknown)."""
    max_age = timedelta(days=getattr(settings, "NEWSLETTER_CONFIRM_DAYS", 7))
    return _subscriber_from(signing.loads(token, salt=CONFIRM_SALT, max_age=max_age))


def read_unsubscribe_token(token: str) -> NewsletterSubscriber:
    """Unsubscribe links never expire. Raises signing.BadSignature when tampered or unknown."""
    return _subscriber_from(signing.loads(token, salt=UNSUBSCRIBE_SALT))


def unsubscribe_url(subscriber: NewsletterSubscriber) -> str:
    return absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber)]))


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# --- Subscriptions -----------------------------------------------------------------------


def _log(subscriber: NewsletterSubscriber, action: str, now: datetime) -> None:
    NewsletterSubscriptionEvent.objects.create(subscriber=subscriber, action=action, at=now)


@transaction.atomic
def newsletter_subscribe(*, email: str, language: str, now: datetime | None = None) -> None:
    """Ask the owner of `email` to confirm; the same answer whatever we knew of the address.

    An address already subscribed gets no e-mail at all (a message would tell whoever typed
    it that the address is on our list). Raises InvalidAddress for a malformed address.
    """
    now = now or timezone.now()
    address = normalise_email(email)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    subscriber, created = NewsletterSubscriber.objects.select_for_update().get_or_create(
        email=address, defaults={"language": language, "requested_at": now}
    )
    if not created:
        if subscriber.status == Status.CONFIRMED:
            return
        recently_asked = (
            subscriber.status == Status.PENDING
            and subscriber.confirmation_sent_at
            and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
        )
        if recently_asked:
            return
        subscriber.status = Status.PENDING
        subscriber.requested_at = now
        subscriber.language = language
    subscriber.confirmation_sent_at = now
    subscriber.save()
    _log(subscriber, Action.REQUESTED, now)
    _send_confirmation(subscriber, now=now)


def _send_confirmation(subscriber: NewsletterSubscriber, *, now: datetime) -> None:
    confirm_url = absolute_url(reverse("newsletter:confirm", args=[confirm_token(subscriber)]))
    days = getattr(settings, "NEWSLETTER_CONFIRM_DAYS", 7)
    with translation.override(subscriber.language):
        context = {
            "confirm_url": confirm_url,
            "days": days,
            "subscribe_url": absolute_url(reverse("newsletter:subscribe")),
        }
        subject = one_line(render_to_string("newsletter/email_confirm_subject.txt", context))
        text = render_to_string("newsletter/email_confirm.txt", context)
        html = render_to_string("newsletter/email_confirm.html", {**context, "subject": subject})
    email_enqueue(
        key=f"newsletter-confirm:{subscriber.pk}:{now.timestamp():.6f}",
        to_email=subscriber.email,
        subject=subject,
        text=text,
        html=html,
    )


@transaction.atomic
def newsletter_confirm(*, subscriber: NewsletterSubscriber, now: datetime | None = None) -> bool:
    """Second step of the double opt-in. True if confirmed (now or before), False if the link is stale."""
    now = now or timezone.now()
    subscriber = NewsletterSubscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Status.CONFIRMED:
        return True
    if subscriber.status != Status.PENDING:
        # Unsubscribed or bounced since this link was sent: only a new request may bring them back.
        return False
    subscriber.status = Status.CONFIRMED
    subscriber.confirmed_at = now
    subscriber.save(update_fields=["status", "confirmed_at"])
    _log(subscriber, Action.CONFIRMED, now)
    return True


@transaction.atomic
def newsletter_unsubscribe(*, subscriber: NewsletterSubscriber, now: datetime | None = None) -> None:
    now = now or timezone.now()
    subscriber = NewsletterSubscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Status.UNSUBSCRIBED:
        return
    subscriber.status = Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = now
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    _log(subscriber, Action.UNSUBSCRIBED, now)
    _stop_waiting_emails(subscriber, reason="unsubscribed")


def _stop_waiting_emails(subscriber: NewsletterSubscriber, *, reason: str) -> None:
    OutboxEmail.objects.filter(
        newsletter_delivery__subscriber=subscriber, status=OutboxEmail.Status.PENDING
    ).update(status=OutboxEmail.Status.FAILED, last_error=reason, next_attempt_at=None)


@transaction.atomic
def newsletter_bounce_record(
    *, email: str, reason: str = "", by=None, now: datetime | None = None
) -> NewsletterSubscriber | None:
    """Record that mail to `email` bounces: no further newsletters go there.

    Returns the subscriber, or None when the address is not on the list. The bounce is also
    counted for the latest issue that went to the address. A staff member's entry (`by`)
    writes an audit row; the bounce mailbox's command does not.
    """
    now = now or timezone.now()
    address = normalise_email(email)
    subscriber = NewsletterSubscriber.objects.select_for_update().filter(email=address).first()
    if subscriber is None:
        return None
    before = snapshot(subscriber, _BOUNCE_FIELDS)
    _bounce(subscriber, reason=reason, now=now)
    if by is not None:
        _audit(by, "newsletter_bounce_recorded", subscriber, _BOUNCE_FIELDS, before, summary=subscriber.email)
    delivery = (
        NewsletterDelivery.objects.filter(subscriber=subscriber, bounced_at__isnull=True)
        .select_related("issue")
        .order_by("-pk")
        .first()
    )
    if delivery is not None:
        delivery.bounced_at = now
        delivery.save(update_fields=["bounced_at"])
        if delivery.issue.status == NewsletterIssue.Status.SENT:
            issue_record_counts(issue=delivery.issue)
    return subscriber


def _bounce(subscriber: NewsletterSubscriber, *, reason: str, now: datetime) -> None:
    if subscriber.status != Status.BOUNCED:
        subscriber.status = Status.BOUNCED
        subscriber.bounced_at = now
        subscriber.bounce_reason = one_line(reason)[:500]
        subscriber.save(update_fields=["status", "bounced_at", "bounce_reason"])
        _log(subscriber, Action.BOUNCED, now)
    _stop_waiting_emails(subscriber, reason=f"bounced: {one_line(reason)}"[:2000])


# --- Audit --------------------------------------------------------------------------------

_BOUNCE_FIELDS = ("status", "bounced_at", "bounce_reason")
_ISSUE_FIELDS = ("subject", "intro")


def _audit(by, action: str, obj, fields, before=None, *, summary: str = "", extra=None) -> None:
    """One audit row for a staff action on `obj`: the changed `fields` (and `extra` after-values)."""
    old, new = changes(before or {}, snapshot(obj, fields))
    staff_action_record(
        actor=by, action=action, target=obj, summary=summary, before=old, after={**new, **(extra or {})}
    )


def _issue_snapshot(issue: NewsletterIssue) -> dict:
    posts = sorted(issue.news_posts.values_list("title", flat=True)) if issue.pk else []
    return {**snapshot(issue, _ISSUE_FIELDS), "news_posts": posts}


# --- Issues -------------------------------------------------------------------------------


@transaction.atomic
def issue_create(*, author, subject: str, intro: str, news_posts) -> NewsletterIssue:
    issue = NewsletterIssue.objects.create(created_by=author, subject=one_line(subject), intro=intro)
    issue.news_posts.set(news_posts)
    after = _issue_snapshot(issue)
    staff_action_record(
        actor=author, action="newsletter_issue_created", target=issue, summary=issue.subject, after=after
    )
    return issue


@transaction.atomic
def issue_update(*, issue: NewsletterIssue, by, subject: str, intro: str, news_posts) -> NewsletterIssue:
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != NewsletterIssue.Status.DRAFT:
        raise IssueNotEditable(issue.pk)
    before = _issue_snapshot(issue)
    issue.subject, issue.intro = one_line(subject), intro
    issue.save(update_fields=["subject", "intro", "updated_at"])
    issue.news_posts.set(news_posts)
    staff_change_record(
        actor=by,
        action="newsletter_issue_changed",
        target=issue,
        summary=issue.subject,
        before=before,
        after=_issue_snapshot(issue),
    )
    return issue


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    text: str
    html: str


def issue_posts(issue: NewsletterIssue, now: datetime | None = None) -> list:
    """The issue's news posts that are public now. A post taken back or moved to a later date
    after the issue was written is left out: the newsletter never shows what the site does not."""
    return list(
        issue.news_posts.published(now)
        .order_by("-published_at", "-pk")
        .only("title", "slug", "teaser", "published_at")
    )


def issue_posts_withdrawn(issue: NewsletterIssue, now: datetime | None = None) -> list:
    """The issue's news posts that are no longer (or not yet) public."""
    public = issue.news_posts.published(now).values("pk")
    return list(issue.news_posts.exclude(pk__in=public).order_by("title", "pk").only("title"))


def issue_render(
    *, issue: NewsletterIssue, language: str, unsubscribe: str, posts: list | None = None, test: bool = False
) -> RenderedIssue:
    """The issue as an e-mail in `language` (the frame; the content is as staff wrote it)."""
    posts = issue_posts(issue) if posts is None else posts
    subject = one_line(issue.subject)
    with translation.override(language):
        context = {
            "issue": issue,
            "subject": subject,
            "intro_html": render_markdown(issue.intro),
            "posts": [{"post": p, "url": absolute_url(p.get_absolute_url())} for p in posts],
            "unsubscribe_url": unsubscribe,
            "news_url": absolute_url(reverse("news:list")),
            "events_url": absolute_url(reverse("events:list")),
            "test": test,
        }
        text = render_to_string("newsletter/email_issue.txt", context)
        html = render_to_string("newsletter/email_issue.html", context)
    return RenderedIssue(subject=subject, text=text, html=html)


def issue_send_test(*, issue: NewsletterIssue, to_user, now: datetime | None = None) -> OutboxEmail:
    """Send the issue to a staff member only, marked as a test; it never counts as sent."""
    now = now or timezone.now()
    language = to_user.language or settings.LANGUAGE_CODE
    rendered = issue_render(
        issue=issue, language=language, unsubscribe=absolute_url(reverse("newsletter:subscribe")), test=True
    )
    with transaction.atomic():
        email = email_enqueue(
            key=f"newsletter-test:{issue.pk}:{to_user.pk}:{now.timestamp():.6f}",
            to_email=normalise_email(to_user.email),
            recipient=to_user,
            subject=one_line(f"[Test] {rendered.subject}"),
            text=rendered.text,
            html=rendered.html,
        )
        staff_action_record(
            actor=to_user,
            action="newsletter_issue_test_sent",
            target=issue,
            summary=issue.subject,
            after={"to": normalise_email(to_user.email)},
        )
        return email


def _transition(issue: NewsletterIssue, target: str) -> None:
    if target not in NEWSLETTER_ISSUE_TRANSITIONS[NewsletterIssue.Status(issue.status)]:
        raise InvalidTransition(f"{issue.status} → {target}")
    issue.status = target


@transaction.atomic
def issue_send(*, issue: NewsletterIssue, by, now: datetime | None = None) -> NewsletterIssue:
    """Start sending to everyone confirmed now; the work happens in Celery after commit.

    Refuses (PostsNotPublic) while the issue contains a news post that is no longer public;
    a post taken back while the batches go out is left out of the remaining batches.
    """
    now = now or timezone.now()
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    before = snapshot(issue, ["status"])
    _transition(issue, NewsletterIssue.Status.SENDING)
    withdrawn = issue_posts_withdrawn(issue, now)
    if withdrawn:
        raise PostsNotPublic(withdrawn)
    confirmed = NewsletterSubscriber.objects.confirmed()
    issue.last_subscriber_id = confirmed.aggregate(last=Max("pk"))["last"] or 0
    issue.recipients_total = confirmed.filter(pk__lte=issue.last_subscriber_id).count()
    issue.sent_by = by
    issue.send_started_at = now
    issue.save()
    _audit(
        by,
        "newsletter_issue_sent",
        issue,
        ["status"],
        before,
        summary=issue.subject,
        extra={"recipients_total": issue.recipients_total},
    )
    transaction.on_commit(lambda: _dispatch_plan(issue.pk), robust=True)
    return issue


def _dispatch_plan(issue_id: int) -> None:
    from .tasks import newsletter_plan

    try:
        newsletter_plan.delay(issue_id)
    except Exception:  # broker down: the periodic resume task plans it later
        logger.warning("Could not queue newsletter %s; it is resumed later.", issue_id, exc_info=True)


def issue_plan_batches(*, issue_id: int, size: int | None = None) -> list[int]:
    """Cut the recipients into batches by subscriber id (keyset pagination); the ids of unsent ones.

    Only ids are read, a batch's worth at a time, so memory stays flat however long the list.
    Planning twice plans nothing twice.
    """
    size = size or batch_size()
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().filter(pk=issue_id).first()
        if issue is None or issue.status != NewsletterIssue.Status.SENDING:
            return []
        if not issue.batches.exists():
            recipients = NewsletterSubscriber.objects.confirmed().filter(
                pk__lte=issue.last_subscriber_id or 0
            )
            batches, last = [], 0
            while ids := list(
                recipients.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
            ):
                batches.append(
                    NewsletterBatch(
                        issue=issue, first_subscriber_id=ids[0], last_subscriber_id=ids[-1], size=len(ids)
                    )
                )
                last = ids[-1]
            NewsletterBatch.objects.bulk_create(batches, ignore_conflicts=True)
    pending = list(
        NewsletterBatch.objects.filter(issue_id=issue_id, done_at__isnull=True).values_list("pk", flat=True)
    )
    if not pending:
        issue_finish_if_done(issue_id=issue_id)
    return pending


def batch_claim(batch_id: int) -> QuerySet[NewsletterBatch]:
    """The unfinished batch, locked for this worker (or nothing if another worker holds it).

    Only the batch row is locked (`of=("self",)`): with the issue joined in, a plain
    FOR UPDATE would lock the issue row too, and a batch meeting another batch's lock on the
    shared issue would be skipped as if taken, waiting for the resume job.
    """
    return (
        NewsletterBatch.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("issue")
        .filter(pk=batch_id, done_at__isnull=True)
    )


def batch_send(*, batch_id: int, connection=None) -> dict[str, int]:
    """Send one batch over one SMTP connection. Safe to run again: nothing is sent twice."""
    now = timezone.now()
    with transaction.atomic():
        batch = batch_claim(batch_id).first()
        if batch is None:
            return {}
        batch.started_at = batch.alive_at = now
        batch.save(update_fields=["started_at", "alive_at"])
    issue = batch.issue
    email_ids = _batch_outbox_rows(batch, issue)
    counts = {"sent": 0, "failed": 0, "bounced": 0, "waiting": 0}
    own_connection = connection is None
    connection = connection or get_connection()
    try:
        connection.open()
        with _relaxed_commits():
            for number, (subscriber_id, email_id) in enumerate(email_ids, start=1):
                result = _send_one(email_id=email_id, subscriber_id=subscriber_id, connection=connection)
                counts[result] += 1
                if number % ALIVE_EVERY == 0:
                    NewsletterBatch.objects.filter(pk=batch.pk).update(alive_at=timezone.now())
    finally:
        if own_connection:
            connection.close()
    NewsletterBatch.objects.filter(pk=batch.pk).update(done_at=timezone.now())
    issue_finish_if_done(issue_id=issue.pk)
    return counts


@contextmanager
def _relaxed_commits():
    """On PostgreSQL, don't wait for the disk on each of the batch's bookkeeping commits.

    Each e-mail costs two commits in `outbox_send` (claim, then "sent"); waiting for the WAL
    flush of every one of them limits a batch to a few dozen e-mails a second. With
    `synchronous_commit = off` a commit is still atomic and visible to other workers at once
    (a killed worker loses nothing); only a crash of the database server itself could forget
    the last fraction of a second of bookkeeping, and the worst that follows is one e-mail
    sent again with the same Message-ID, which mail systems drop as a duplicate.
    """
    from django.db import connection as db

    if db.vendor != "postgresql":
        yield
        return
    with db.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _batch_outbox_rows(batch: NewsletterBatch, issue: NewsletterIssue) -> list[tuple[int, int]]:
    """Write the batch's outbox rows and deliveries (once); return (subscriber id, e-mail id) pairs."""
    recipients = (
        NewsletterSubscriber.objects.confirmed()
        .filter(pk__gte=batch.first_subscriber_id, pk__lte=batch.last_subscriber_id)
        .order_by("pk")
        .only("pk", "email", "language")
    )
    posts = issue_posts(issue)
    rendered: dict[str, RenderedIssue] = {}
    rows, keys = [], {}
    for subscriber in recipients.iterator(chunk_size=batch_size()):
        if subscriber.language not in rendered:
            rendered[subscriber.language] = issue_render(
                issue=issue, language=subscriber.language, unsubscribe=_UNSUBSCRIBE_PLACEHOLDER, posts=posts
            )
        frame = rendered[subscriber.language]
        url = unsubscribe_url(subscriber)
        key = f"newsletter:{issue.pk}:{subscriber.pk}"
        keys[key] = subscriber.pk
        rows.append(
            OutboxEmail(
                idempotency_key=key,
                to_email=subscriber.email,
                subject=frame.subject,
                body_text=frame.text.replace(_UNSUBSCRIBE_PLACEHOLDER, url),
                body_html=frame.html.replace(_UNSUBSCRIBE_PLACEHOLDER, url),
                headers=list_unsubscribe_headers(url),
            )
        )
    with transaction.atomic():
        # Rows that exist from an earlier run stay as they are (and keep their status).
        OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        by_key = dict(
            OutboxEmail.objects.filter(idempotency_key__in=list(keys)).values_list("idempotency_key", "pk")
        )
        NewsletterDelivery.objects.bulk_create(
            [NewsletterDelivery(issue=issue, subscriber_id=keys[k], email_id=pk) for k, pk in by_key.items()],
            ignore_conflicts=True,
            batch_size=500,
        )
    return sorted((keys[k], pk) for k, pk in by_key.items())


def _send_one(*, email_id: int, subscriber_id: int, connection) -> str:
    status = outbox_send(email_id=email_id, connection=connection)
    if status == OutboxEmail.Status.SENT:
        return "sent"
    if status in (OutboxEmail.Status.PENDING, OutboxEmail.Status.FAILED):
        error = OutboxEmail.objects.filter(pk=email_id).values_list("last_error", flat=True).first() or ""
        if _is_permanent_refusal(error):
            _bounce_at_send(email_id=email_id, subscriber_id=subscriber_id, error=error)
            return "bounced"
        # The connection may be broken (server gone, timeout): start a fresh one for the rest.
        connection.close()
        try:
            connection.open()
        except Exception:
            logger.warning("SMTP server unreachable; the outbox sweep sends the rest later.", exc_info=True)
        return "failed" if status == OutboxEmail.Status.FAILED else "waiting"
    return "waiting"


def _is_permanent_refusal(error: str) -> bool:
    """The SMTP server refused the recipient with a 5xx code (4xx is temporary: try again)."""
    if not error.startswith("SMTPRecipientsRefused"):
        return False
    match = _SMTP_CODE.search(error)
    return match is None or match.group(1).startswith("5")


@transaction.atomic
def _bounce_at_send(*, email_id: int, subscriber_id: int, error: str) -> None:
    now = timezone.now()
    OutboxEmail.objects.filter(pk=email_id).update(status=OutboxEmail.Status.FAILED, next_attempt_at=None)
    NewsletterDelivery.objects.filter(email_id=email_id).update(bounced_at=now)
    subscriber = NewsletterSubscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is not None:
        _bounce(subscriber, reason=error, now=now)


def issue_counts(*, issue: NewsletterIssue, live: bool = False) -> dict[str, int]:
    """How many of the issue's e-mails were sent, failed, bounced, or are still waiting.

    While sending, counted from the deliveries (one query); once sent, the stored record,
    which stays when subscribers later delete their data.
    """
    if issue.status == NewsletterIssue.Status.SENT and not live:
        counts = {"sent": issue.sent_count, "failed": issue.failed_count, "bounced": issue.bounced_count}
        written = 0
    else:
        sent_status, failed_status = OutboxEmail.Status.SENT, OutboxEmail.Status.FAILED
        counts = NewsletterDelivery.objects.filter(issue=issue).aggregate(
            written=Count("pk"),
            bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
            sent=Count("pk", filter=Q(bounced_at__isnull=True, email__status=sent_status)),
            failed=Count("pk", filter=Q(bounced_at__isnull=True, email__status=failed_status)),
        )
        written = counts.pop("written")
    done = counts["sent"] + counts["failed"] + counts["bounced"]
    total = max(issue.recipients_total, written, done)
    return {**counts, "done": done, "total": total, "waiting": max(total - done, 0)}


def issue_record_counts(*, issue: NewsletterIssue) -> None:
    counts = issue_counts(issue=issue, live=True)
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        sent_count=counts["sent"], failed_count=counts["failed"], bounced_count=counts["bounced"]
    )


def issue_finish_if_done(*, issue_id: int) -> bool:
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().filter(pk=issue_id).first()
        if issue is None or issue.status != NewsletterIssue.Status.SENDING:
            return False
        if issue.batches.filter(done_at__isnull=True).exists():
            return False
        _transition(issue, NewsletterIssue.Status.SENT)
        issue.send_finished_at = timezone.now()
        issue.save(update_fields=["status", "send_finished_at"])
    issue_record_counts(issue=issue)
    return True


ALIVE_EVERY = 50  # e-mails between two signs of life of a sending batch


def resume_after() -> timedelta:
    """A batch silent this long lost its task (worker killed, broker lost the message)."""
    return timedelta(seconds=settings.NEWSLETTER_RESUME_AFTER_SECONDS)


def issues_resume(*, now: datetime | None = None) -> list[int]:
    """Batches whose task was lost (broker down, worker killed): their ids, to queue again.

    Re-running a batch is safe: rows already sent are skipped by the outbox.
    """
    now = now or timezone.now()
    stale = now - resume_after()
    unplanned = NewsletterIssue.objects.filter(
        status=NewsletterIssue.Status.SENDING, send_started_at__lte=stale, batches__isnull=True
    ).values_list("pk", flat=True)
    for issue_id in list(unplanned):
        issue_plan_batches(issue_id=issue_id)
    stalled = NewsletterBatch.objects.filter(
        issue__status=NewsletterIssue.Status.SENDING, done_at__isnull=True
    ).filter(Q(alive_at__lte=stale) | Q(alive_at__isnull=True, issue__send_started_at__lte=stale))
    # E-mails still retrying when an issue finished are counted once the sweep has sent them.
    recently_sent = NewsletterIssue.objects.filter(
        status=NewsletterIssue.Status.SENT, send_finished_at__gte=now - timedelta(days=1)
    )
    for issue in recently_sent:
        issue_record_counts(issue=issue)
    return list(stalled.values_list("pk", flat=True))


# --- Personal data ------------------------------------------------------------------------


def _addresses_of(user) -> list[str]:
    from allauth.account.models import EmailAddress

    addresses = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    return sorted({a.strip().lower() for a in addresses if a})


def personal_data_export(user) -> list[dict]:
    subscribers = NewsletterSubscriber.objects.filter(email__in=_addresses_of(user)).prefetch_related(
        "events"
    )
    return [
        {
            "email": s.email,
            "status": s.status,
            "language": s.language,
            "requested_at": s.requested_at.isoformat(),
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
            "bounced_at": s.bounced_at.isoformat() if s.bounced_at else None,
            "steps": [{"step": e.action, "at": e.at.isoformat()} for e in s.events.all()],
        }
        for s in subscribers
    ]


def personal_data_erase(user, *, delete_contributions: bool) -> None:
    # A subscription is about the person, not a contribution: it goes in any case, with the
    # newsletter e-mails to the address (the issue keeps only its totals).
    addresses = _addresses_of(user)
    OutboxEmail.objects.filter(to_email__in=addresses).filter(
        Q(newsletter_delivery__isnull=False) | Q(idempotency_key__startswith="newsletter-confirm:")
    ).delete()
    NewsletterSubscriber.objects.filter(email__in=addresses).delete()
