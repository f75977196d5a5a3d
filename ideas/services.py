"""Every write to ideas, supports, comments, follows, reports and competitions.

Each service is one transaction that checks the current state, writes the change and its
history row, and records the notifications (delivered after commit by `notifications`).
Permissions are checked by the caller (views ask `rules`); services guard the state.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from geraportal.accounts.models import User
from geraportal.accounts.personcache import person_fact_forget
from geraportal.core.audit import snapshot, staff_action_record, staff_change_record
from geraportal.core.markdown import render_markdown
from geraportal.notifications.services import email_enqueue, notify

from .models import (
    Comment,
    Competition,
    Criterion,
    Follow,
    Idea,
    IdeaRevision,
    JuryReason,
    JuryScore,
    Report,
    Source,
    StatusChange,
    Support,
    can_transition,
)
from .notifications import AUDIENCE, FOLLOWED, FOLLOWERS, IDEA_STATUS
from .selectors import FOLLOWED_IDEAS, OWN_HIDDEN_IDEAS, SUPPORTED_IDEAS


class IdeaStateError(ValidationError):
    """The idea is not in a state that allows this action; the message is for the user."""


# --- Submitting and editing -------------------------------------------------------------


@transaction.atomic
def idea_submit(
    *,
    author: User,
    idea: Idea,
    image: File | None = None,
    submission_token: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Idea:
    """Publish `idea` (a new, unsaved row, e.g. from `IdeaForm.save(commit=False)`).

    The same `submission_token` twice returns the first idea (double submit). The
    competition's window is checked again here (`Idea.clean`): it may close between the
    preview and the click.
    """
    now = now or timezone.now()
    if submission_token is not None:
        existing = Idea.objects.filter(author=author, submission_token=submission_token).first()
        if existing is not None:
            return existing
    idea.clean()
    idea.author = author
    idea.submission_token = submission_token
    idea.created_at = idea.updated_at = now
    if image is not None:
        idea.image.save(image.name or "image", image, save=False)
    else:
        idea.image_alt = ""
    try:
        with transaction.atomic():
            idea.save()
    except IntegrityError:
        # A second request with the same token won the race: it holds the one idea.
        existing = Idea.objects.filter(author=author, submission_token=submission_token).first()
        if existing is None:
            raise
        return existing
    IdeaRevision.objects.create(idea=idea, title=idea.title, body=idea.body, editor=author, created_at=now)
    StatusChange.objects.create(
        idea=idea, from_status="", to_status=idea.status, actor=author, created_at=now
    )
    Follow.objects.create(idea=idea, user=author, created_at=now)
    person_fact_forget(topic=FOLLOWED_IDEAS, person_ids=[author.pk])
    idea_refresh_search(idea_ids=[idea.pk])
    # Nobody in the portal is told (the author knows; followers come later), but the event is
    # recorded for the listeners that want it: the webhooks tell the city's other systems.
    notify(
        kind=IDEA_STATUS,
        event_key=f"ideas.published:{idea.pk}",
        template="ideas/notifications/published",
        context={"idea_title": idea.title},
        url=idea.get_absolute_url(),
        actor=author,
    )
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    editor: User,
    changes: dict[str, object],
    image: File | None = None,
    remove_image: bool = False,
    now: datetime | None = None,
) -> Idea:
    """Change an idea's content (`changes`: field name → value, e.g. `IdeaForm.changes()`)
    and keep the new version as a revision."""
    now = now or timezone.now()
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not idea.is_editable_by_author:
        raise IdeaStateError(_("This idea is already being reviewed and can no longer be changed."))
    for name, value in changes.items():
        setattr(idea, name, value)
    if image is not None:
        idea.image.save(image.name or "image", image, save=False)
    elif remove_image:
        idea.image = ""
    if not idea.image:
        idea.image_alt = ""
    idea.updated_at = now
    idea.save()
    IdeaRevision.objects.create(idea=idea, title=idea.title, body=idea.body, editor=editor, created_at=now)
    idea_refresh_search(idea_ids=[idea.pk])
    return idea


def idea_refresh_search(*, idea_ids=None) -> None:
    """Recompute the German full-text vector (PostgreSQL only; SQLite searches with LIKE)."""
    if connection.vendor != "postgresql":
        return
    ideas = Idea.objects.all() if idea_ids is None else Idea.objects.filter(pk__in=idea_ids)
    ideas.update(
        search_vector=SearchVector("title", weight="A", config="german")
        + SearchVector("body", weight="B", config="german")
    )


def _recount(idea_ids) -> None:
    supports = Support.objects.filter(idea=OuterRef("pk")).values("idea").annotate(n=Count("pk")).values("n")
    comments = (
        Comment.objects.filter(idea=OuterRef("pk"), hidden=False)
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Idea.objects.filter(pk__in=idea_ids).update(
        support_count=Coalesce(Subquery(supports), 0), comment_count=Coalesce(Subquery(comments), 0)
    )


# --- Supports and follows ---------------------------------------------------------------


@transaction.atomic
def idea_support(*, idea: Idea, user: User) -> Idea:
    """Support an idea; supporting twice changes nothing. Returns the idea with its new count."""
    # The row lock orders us with a merge moving supports of the same idea.
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not idea.is_open:
        raise IdeaStateError(_("This idea can no longer be supported."))
    if idea.author_id == user.pk:
        raise IdeaStateError(_("You cannot support your own idea."))
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user)
    except IntegrityError:
        return idea  # already supported: the unique constraint had the last word
    person_fact_forget(topic=SUPPORTED_IDEAS, person_ids=[user.pk])
    Idea.objects.filter(pk=idea.pk).update(support_count=idea.support_count + 1)
    idea.support_count += 1
    return idea


@transaction.atomic
def idea_unsupport(*, idea: Idea, user: User) -> Idea:
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not idea.is_open:
        raise IdeaStateError(_("This idea can no longer be supported."))
    deleted, _rows = Support.objects.filter(idea=idea, user=user).delete()
    if deleted:
        person_fact_forget(topic=SUPPORTED_IDEAS, person_ids=[user.pk])
        idea.support_count = max(0, idea.support_count - deleted)
        Idea.objects.filter(pk=idea.pk).update(support_count=idea.support_count)
    return idea


@transaction.atomic
def idea_follow(*, idea: Idea, user: User) -> Idea:
    try:
        with transaction.atomic():
            Follow.objects.create(idea=idea, user=user)
    except IntegrityError:
        return idea  # already following
    person_fact_forget(topic=FOLLOWED_IDEAS, person_ids=[user.pk])
    return idea


@transaction.atomic
def idea_unfollow(*, idea: Idea, user: User) -> Idea:
    if Follow.objects.filter(idea=idea, user=user).delete()[0]:
        person_fact_forget(topic=FOLLOWED_IDEAS, person_ids=[user.pk])
    return idea


# --- Comments ---------------------------------------------------------------------------


@transaction.atomic
def comment_create(*, idea: Idea, author: User, body: str, parent: Comment | None = None) -> Comment:
    if idea.hidden:
        raise IdeaStateError(_("This idea is hidden; it cannot be commented on."))
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise IdeaStateError(_("You can only reply to comments on the same idea."))
        # One level of replies: a reply to a reply joins the thread of the top-level comment.
        if parent.parent_id is not None:
            parent = parent.parent
    comment = Comment.objects.create(
        idea=idea, author=author, body=body, body_html=render_markdown(body), parent=parent
    )
    Idea.objects.filter(pk=idea.pk).update(
        comment_count=Comment.objects.filter(idea=idea, hidden=False).count()
    )
    context = {
        "idea_title": idea.title,
        "author_name": author.public_name,
        "excerpt": body[:300],
    }
    if parent is not None:
        notify(
            kind=FOLLOWED,
            recipients=[parent.author],
            event_key=f"ideas.comment_reply:{comment.pk}",
            template="ideas/notifications/comment_reply",
            context=context,
            url=comment.get_absolute_url(),
            actor=author,
        )
    notify(
        kind=FOLLOWED,
        audience=FOLLOWERS,
        audience_args={"idea_id": idea.pk},
        event_key=f"ideas.comment:{comment.pk}",
        template="ideas/notifications/comment_new",
        context=context,
        url=comment.get_absolute_url(),
        actor=author,
    )
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, editor, body: str, now: datetime | None = None) -> Comment:
    """Change a comment's text. Who may (its author) is `ideas.change_comment`, asked by the
    view; the time window is checked here again because it may close between page and POST."""
    now = now or timezone.now()
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.is_editable_at(now):
        raise IdeaStateError(_("Comments can be edited for 15 minutes after writing them."))
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = now
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


# --- Reports and moderation -------------------------------------------------------------


class AlreadyReported(IdeaStateError):
    """One report per person and contribution (a unique constraint in the database)."""


@transaction.atomic
def report_create(
    *, idea: Idea, reporter, reason: str, note: str = "", comment: Comment | None = None
) -> Report:
    Report.Reason(reason)
    if comment is not None and comment.idea_id != idea.pk:
        raise IdeaStateError(_("This comment does not belong to the idea."))
    existing = Report.objects.filter(idea=idea, comment=comment, reporter=reporter).first()
    if existing is not None:
        raise AlreadyReported(_("You have already reported this. The moderators are looking at it."))
    try:
        with transaction.atomic():
            return Report.objects.create(
                idea=idea, comment=comment, reporter=reporter, reason=reason, note=note
            )
    except IntegrityError:  # a parallel report of the same person won; the constraint decided
        raise AlreadyReported(
            _("You have already reported this. The moderators are looking at it.")
        ) from None


def _audit(by: User | None, action: str, obj: Idea | Comment | Report, before: dict, after: dict) -> None:
    """One audit row for a moderator's action on `obj`, with the fields that changed."""
    if by is None:
        return
    summary = obj.title if isinstance(obj, Idea) else obj.idea.title
    staff_change_record(actor=by, action=action, target=obj, summary=summary, before=before, after=after)


def _resolve_reports(reports, *, by: User, resolution: str, now: datetime) -> None:
    reports.filter(resolved_at__isnull=True).update(resolved_at=now, resolved_by=by, resolution=resolution)


@transaction.atomic
def report_dismiss(*, report: Report, by: User, resolution: str) -> None:
    fields = ("resolved_at", "resolution")
    before = snapshot(report, fields)
    _resolve_reports(Report.objects.filter(pk=report.pk), by=by, resolution=resolution, now=timezone.now())
    report.refresh_from_db(fields=fields)
    _audit(by, "report_dismissed", report, before, snapshot(report, fields))


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give a reason."), code="reason_required")
    return reason


_HIDDEN_FIELDS = ("hidden", "hidden_reason")


def _set_hidden(rows, *, by: User, hidden: bool, reason: str, already: str):
    """Hide the one row of `rows` (an idea or a comment) or show it again, under a row lock."""
    row = rows.select_for_update().get()
    if row.hidden == hidden:
        raise IdeaStateError(already)
    before = snapshot(row, _HIDDEN_FIELDS)
    row.hidden = hidden
    row.hidden_reason = reason if hidden else ""
    row.save(update_fields=["hidden", "hidden_reason"])
    action = f"{row._meta.model_name}_{'hidden' if hidden else 'unhidden'}"
    _audit(by, action, row, before, snapshot(row, _HIDDEN_FIELDS))
    return row


@transaction.atomic
def idea_set_hidden(*, idea: Idea, by: User, hidden: bool, reason: str = "") -> Idea:
    """Hide an idea (a reason is required; its author sees it) or show it again.

    Hiding resolves the open reports on the idea; the author is told either way.
    """
    if hidden:
        reason = _require_reason(reason)
    already = _("This idea is already hidden.") if hidden else _("This idea is not hidden.")
    idea = _set_hidden(Idea.objects.filter(pk=idea.pk), by=by, hidden=hidden, reason=reason, already=already)
    person_fact_forget(topic=OWN_HIDDEN_IDEAS, person_ids=[idea.author_id])
    if hidden:
        _resolve_reports(
            Report.objects.filter(idea=idea, comment__isnull=True),
            by=by,
            resolution=reason,
            now=timezone.now(),
        )
    (_tell_idea_hidden if hidden else _tell_idea_unhidden)(idea, by=by, reason=reason)
    return idea


def _tell_idea_hidden(idea: Idea, *, by: User, reason: str) -> None:
    notify(
        kind=IDEA_STATUS,
        recipients=[idea.author],
        event_key=f"ideas.hidden:{idea.pk}:{uuid.uuid4().hex[:8]}",
        template="ideas/notifications/idea_hidden",
        context={"idea_title": idea.title, "reason": reason},
        url=idea.get_absolute_url(),
        actor=by,
    )


def _tell_idea_unhidden(idea: Idea, *, by: User, reason: str) -> None:
    notify(
        kind=IDEA_STATUS,
        recipients=[idea.author],
        event_key=f"ideas.unhidden:{idea.pk}:{uuid.uuid4().hex[:8]}",
        template="ideas/notifications/idea_unhidden",
        context={"idea_title": idea.title, "reason": reason},
        url=idea.get_absolute_url(),
        actor=by,
    )


@transaction.atomic
def comment_set_hidden(*, comment: Comment, by: User, hidden: bool, reason: str = "") -> Comment:
    """Hide a comment (a reason is required; its author is told) or show it again.

    Hiding resolves the reports on the comment; the idea's comment count follows either way.
    """
    if hidden:
        reason = _require_reason(reason)
    already = _("This comment is already hidden.") if hidden else _("This comment is not hidden.")
    comment = _set_hidden(
        Comment.objects.filter(pk=comment.pk).select_related("idea"),
        by=by,
        hidden=hidden,
        reason=reason,
        already=already,
    )
    _recount([comment.idea_id])
    if hidden:
        _resolve_reports(Report.objects.filter(comment=comment), by=by, resolution=reason, now=timezone.now())
        _tell_comment_hidden(comment, by=by, reason=reason)
    return comment


def _tell_comment_hidden(comment: Comment, *, by: User, reason: str) -> None:
    notify(
        kind=IDEA_STATUS,
        recipients=[comment.author],
        event_key=f"ideas.comment_hidden:{comment.pk}:{uuid.uuid4().hex[:8]}",
        template="ideas/notifications/comment_hidden",
        context={"idea_title": comment.idea.title, "reason": reason},
        url=comment.get_absolute_url(),
        actor=by,
    )


# --- Status transitions -----------------------------------------------------------------


def _transition(
    *,
    idea: Idea,
    to: str,
    by: User,
    reason: str = "",
    now: datetime | None = None,
    audit: dict | None = None,
    **history,
) -> tuple[Idea, StatusChange]:
    now = now or timezone.now()
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not can_transition(idea.status, to):
        raise IdeaStateError(
            _("An idea that is “%(current)s” cannot become “%(new)s”.")
            % {"current": idea.get_status_display(), "new": Idea.Status(to).label}
        )
    change = StatusChange.objects.create(
        idea=idea, from_status=idea.status, to_status=to, reason=reason, actor=by, created_at=now, **history
    )
    idea.status = to
    idea.updated_at = now
    _audit(
        by,
        f"idea_{to}",
        idea,
        {"status": change.from_status},
        {"status": to, "reason": reason, **history, **(audit or {})},
    )
    return idea, change


def _tell_about_status(idea: Idea, change: StatusChange, *, by: User) -> None:
    context = {
        "idea_title": idea.title,
        "status": str(Idea.Status(change.to_status).label),
        "reason": change.reason,
        "pilot_title": change.pilot_title,
    }
    notify(
        kind=IDEA_STATUS,
        recipients=[idea.author],
        event_key=f"ideas.status:{change.pk}",
        template="ideas/notifications/status_changed",
        context=context,
        url=idea.get_absolute_url(),
        actor=by,
    )
    _tell_contact(idea, key=f"ideas.status:{change.pk}", template="ideas/notifications/status_changed",
                  context=context)  # fmt: skip
    if idea.hidden:
        # The followers may no longer see a hidden idea: its title and the reason are not for them.
        return
    notify(
        kind=FOLLOWED,
        audience=FOLLOWERS,
        audience_args={"idea_id": idea.pk},
        exclude=[idea.author_id],  # told above, in their own words
        event_key=f"ideas.status:{change.pk}",
        template="ideas/notifications/status_changed",
        context=context,
        url=idea.get_absolute_url(),
        actor=by,
    )


def _tell_contact(idea: Idea, *, key: str, template: str, context: dict) -> None:
    """E-mail the person an idea was entered for, when they gave an address but have no account.

    (With an account, they are the idea's author and hear through their notifications.) The
    text is German: the office took the contribution in German.
    """
    if not idea.contact_email or idea.author_id != idea.entered_by_id:
        return
    context = {**context, "url": settings.SITE_URL + idea.get_absolute_url()}
    with translation.override("de"):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
    email_enqueue(key=f"{key}:contact", to_email=idea.contact_email, subject=subject, text=text)


@transaction.atomic
def idea_set_in_review(*, idea: Idea, by: User, reason: str = "", now: datetime | None = None) -> Idea:
    idea, change = _transition(idea=idea, to=Idea.Status.IN_REVIEW, by=by, reason=reason.strip(), now=now)
    idea.save(update_fields=["status", "updated_at"])
    _tell_about_status(idea, change, by=by)
    return idea


@transaction.atomic
def idea_decline(*, idea: Idea, by: User, reason: str, now: datetime | None = None) -> Idea:
    """Decline an idea with a public reason the author and the followers are told."""
    reason = _require_reason(reason)
    idea, change = _transition(idea=idea, to=Idea.Status.DECLINED, by=by, reason=reason, now=now)
    idea.save(update_fields=["status", "updated_at"])
    _tell_about_status(idea, change, by=by)
    return idea


@transaction.atomic
def idea_adopt(
    *,
    idea: Idea,
    by: User,
    pilot_url: str = "",
    pilot_title: str = "",
    reason: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> Idea:
    """Record that a pilot took up the idea. Called by the pilots app (which imports us, not vice versa).

    With `notify=False` the adoption is only recorded: the pilot tells the idea's people
    itself, once, as part of its own event (one owner per event).
    """
    idea, change = _transition(
        idea=idea,
        to=Idea.Status.ADOPTED,
        by=by,
        reason=reason.strip(),
        now=now,
        pilot_url=pilot_url[:300],
        pilot_title=pilot_title[:200],
    )
    idea.save(update_fields=["status", "updated_at"])
    if notify:
        _tell_about_status(idea, change, by=by)
    return idea


@transaction.atomic
def idea_merge(*, idea: Idea, into: Idea, by: User, reason: str = "", now: datetime | None = None) -> Idea:
    """Merge a duplicate `idea` into `into`: its supports and followers move over, nobody twice."""
    if idea.pk == into.pk:
        raise IdeaStateError(_("An idea cannot be merged into itself."))
    # Lock both rows in a fixed order, so two merges (or a merge and a support) cannot deadlock
    # or slip a support in between our reading and moving.
    locked = {
        i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[idea.pk, into.pk]).order_by("pk")
    }
    target = locked[into.pk]
    if target.status == Idea.Status.MERGED or target.hidden:
        raise IdeaStateError(_("The target idea is itself merged or hidden; choose another one."))
    idea, change = _transition(
        idea=idea,
        to=Idea.Status.MERGED,
        by=by,
        reason=reason.strip(),
        now=now,
        audit={"merged_into": f"{target.pk}: {target.title}"},
    )
    idea.merged_into = target
    idea.save(update_fields=["status", "merged_into", "updated_at"])
    # Move what the target does not have yet; what remains are duplicates and goes.
    for topic, model in ((SUPPORTED_IDEAS, Support), (FOLLOWED_IDEAS, Follow)):
        moving = model.objects.filter(idea=idea).values_list("user_id", flat=True)
        person_fact_forget(topic=topic, person_ids=moving)  # their ids change with the move
    already_supporting = Support.objects.filter(idea=target).values("user_id")
    Support.objects.filter(idea=idea).exclude(user_id__in=already_supporting).update(idea=target)
    Support.objects.filter(idea=idea).delete()
    already_following = Follow.objects.filter(idea=target).values("user_id")
    Follow.objects.filter(idea=idea).exclude(user_id__in=already_following).update(idea=target)
    # The old idea's followers still hear of it: they move over *and* are told below.
    _recount([idea.pk, target.pk])
    context = {
        "idea_title": idea.title,
        "status": str(Idea.Status.MERGED.label),
        "reason": change.reason,
        "target_title": target.title,
    }
    notify(
        kind=IDEA_STATUS,
        recipients=[idea.author],
        event_key=f"ideas.status:{change.pk}",
        template="ideas/notifications/idea_merged",
        context=context,
        url=target.get_absolute_url(),
        actor=by,
    )
    if not idea.hidden:  # as in _tell_about_status: a hidden idea's title is for its author only
        notify(
            kind=FOLLOWED,
            audience=FOLLOWERS,
            audience_args={"idea_id": target.pk},
            exclude=[idea.author_id],  # told above, in their own words
            event_key=f"ideas.status:{change.pk}",
            template="ideas/notifications/idea_merged",
            context=context,
            url=target.get_absolute_url(),
            actor=by,
        )
    return idea


# --- Competitions -----------------------------------------------------------------------


@transaction.atomic
def jury_score_save(
    *,
    competition: Competition,
    idea: Idea,
    juror: User,
    scores: dict[int, int],
    now: datetime | None = None,
) -> None:
    """Store one juror's scores (criterion id → 1..5) of one idea, during the evaluation phase only."""
    now = now or timezone.now()
    if competition.phase_at(now) != Competition.Phase.EVALUATION:
        raise IdeaStateError(_("Scores can only be given during the evaluation phase."))
    if idea.competition_id != competition.pk:
        raise IdeaStateError(_("This idea was not submitted to this competition."))
    criteria = {c.pk: c for c in Criterion.objects.filter(competition=competition)}
    for criterion_id, score in scores.items():
        if criterion_id not in criteria or not 1 <= int(score) <= 5:
            raise ValidationError(_("Each score must be a whole number from 1 to 5."), code="score_range")
        JuryScore.objects.update_or_create(
            criterion_id=criterion_id,
            idea=idea,
            juror=juror,
            defaults={"score": int(score), "updated_at": now},
        )


@dataclass(frozen=True)
class RankedIdea:
    rank: int
    idea: Idea
    score: float | None
    is_winner: bool


def competition_ranking(*, competition: Competition) -> list[RankedIdea]:
    """Rank the competition's ideas by the jury's scores. The one place the ranking is computed.

    Score of an idea: for each criterion the mean of the jurors' scores times the criterion's
    weight, summed over the criteria (so a juror who skipped a criterion neither helps nor
    hurts). Ideas without any score come last. Tie rule: equal scores are ordered by more
    supports from citizens, then by earlier submission, then by the lower idea number; ideas
    still equal on score share no rank — the order is total, so the winners are always
    exactly `winners_count` ideas (or fewer, when fewer ideas were scored).
    """
    ideas = list(
        Idea.objects.filter(competition=competition, hidden=False)
        .exclude(status=Idea.Status.MERGED)
        .select_related("author", "theme", "district")
    )
    per_criterion = (
        JuryScore.objects.filter(idea__in=ideas, criterion__competition=competition)
        .values("idea_id", "criterion_id", "criterion__weight")
        .annotate(total=Count("pk"), summed=Sum("score"))
    )
    means: dict[int, float] = {}
    for row in per_criterion:
        weighted = row["criterion__weight"] * row["summed"] / row["total"]
        means[row["idea_id"]] = means.get(row["idea_id"], 0.0) + weighted

    def key(idea: Idea):
        score = means.get(idea.pk)
        return (score is None, -(score or 0.0), -idea.support_count, idea.created_at, idea.pk)

    ranked = []
    for position, idea in enumerate(sorted(ideas, key=key), start=1):
        score = means.get(idea.pk)
        ranked.append(
            RankedIdea(
                rank=position,
                idea=idea,
                score=round(score, 2) if score is not None else None,
                is_winner=score is not None and position <= competition.winners_count,
            )
        )
    return ranked


def _competition_fields() -> tuple[str, ...]:
    return (
        "title",
        "slug",
        "description",
        "submission_start",
        "submission_end",
        "results_at",
        "winners_count",
    )


@dataclass(frozen=True)
class CriterionData:
    name: str
    description: str
    weight: int
    pk: int | None = None


@transaction.atomic
def competition_save(
    *,
    competition: Competition,
    themes,
    criteria: list[CriterionData],
    jury: list[User],
    by: User,
) -> Competition:
    """Create or change a competition with its criteria (weights) and its jury, in one go.

    Criteria are fixed once a juror has scored (a changed scale would change scores already
    given); before that they may be added, changed and removed.
    """
    created = competition.pk is None
    before = {}
    if not created:
        old = Competition.objects.select_for_update().get(pk=competition.pk)
        before = {
            **snapshot(old, _competition_fields()),
            "criteria": [f"{c.name} ×{c.weight}" for c in old.criteria.all()],
            "jury": sorted(u.email for u in old.jury.all()),
        }
    competition.full_clean()
    competition.save()
    competition.themes.set(themes)
    competition.jury.set(jury)
    existing = {c.pk: c for c in Criterion.objects.filter(competition=competition)}
    wanted = [c for c in criteria if c.name]
    scored = JuryScore.objects.filter(criterion__competition=competition).exists()
    new_shape = [(c.pk, c.name, c.description, c.weight) for c in wanted]
    old_shape = [(c.pk, c.name, c.description, c.weight) for c in existing.values()]
    if scored and sorted(new_shape, key=str) != sorted(old_shape, key=str):
        raise ValidationError(
            _("The jury has already scored: the criteria and their weights can no longer be changed."),
            code="criteria_fixed",
        )
    if not wanted:
        raise ValidationError(_("A competition needs at least one criterion."), code="no_criteria")
    keep = {c.pk for c in wanted if c.pk in existing}
    Criterion.objects.filter(competition=competition).exclude(pk__in=keep).delete()
    for position, data in enumerate(wanted):
        row = existing.get(data.pk) if data.pk else None
        row = row or Criterion(competition=competition)
        row.name, row.description, row.weight, row.position = (
            data.name,
            data.description,
            data.weight,
            position,
        )
        row.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError(
                _("Two criteria are called “%(name)s”; please give each its own name.") % {"name": data.name},
                code="criterion_twice",
            ) from None
    after = {
        **snapshot(competition, _competition_fields()),
        "criteria": [f"{c.name} ×{c.weight}" for c in wanted],
        "jury": sorted(u.email for u in jury),
    }
    staff_change_record(
        actor=by,
        action="competition_created" if created else "competition_changed",
        target=competition,
        summary=competition.title,
        before=before,
        after=after,
    )
    return competition


@transaction.atomic
def competition_publish_ranking(
    *, competition: Competition, reasons: dict[int, str], by: User, now: datetime | None = None
) -> list[RankedIdea]:
    """Publish the jury's ranking with its reasons, and tell the participants and followers.

    From the end of submission on. If the announced results date is still ahead, the
    results phase begins now (the phase stays derived from the dates). Every winner needs a
    reason. Publishing twice is refused, so nobody is told twice.
    """
    now = now or timezone.now()
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if competition.ranking_published_at is not None:
        raise IdeaStateError(_("The ranking of this competition has already been published."))
    if now < competition.submission_end:
        raise IdeaStateError(_("The ranking can be published once the submission period has ended."))
    ranking = competition_ranking(competition=competition)
    winners = [row for row in ranking if row.is_winner]
    if not winners:
        raise IdeaStateError(_("The jury has not scored any idea yet; there is no ranking to publish."))
    reasons = {pk: text.strip() for pk, text in reasons.items() if text and text.strip()}
    missing = [row.idea.title for row in winners if row.idea.pk not in reasons]
    if missing:
        raise IdeaStateError(
            _("Please give the jury's reason for every winning idea (missing: %(titles)s).")
            % {"titles": ", ".join(missing)}
        )
    ranked_ids = {row.idea.pk for row in ranking}
    JuryReason.objects.bulk_create(
        [
            JuryReason(competition=competition, idea_id=pk, reason=text)
            for pk, text in reasons.items()
            if pk in ranked_ids
        ]
    )
    competition.ranking_published_at = now
    if competition.results_at > now:
        competition.results_at = now
    competition.save(update_fields=["ranking_published_at", "results_at"])
    staff_action_record(
        actor=by,
        action="competition_ranking_published",
        target=competition,
        summary=competition.title,
        after={"winners": [row.idea.title for row in winners], "reasons": len(reasons)},
    )
    context = {
        "competition_title": competition.title,
        "winners": [f"{row.rank}. {row.idea.title}" for row in winners],
    }
    idea_ids = [row.idea.pk for row in ranking]
    authors = sorted({row.idea.author_id for row in ranking})
    notify(
        kind=IDEA_STATUS,
        recipients=User.objects.filter(pk__in=authors),
        event_key=f"ideas.competition_ranking:{competition.pk}",
        template="ideas/notifications/competition_ranking",
        context=context,
        url=competition.get_absolute_url(),
        actor=by,
    )
    notify(
        kind=FOLLOWED,
        audience=AUDIENCE,
        audience_args={"idea_ids": idea_ids},
        exclude=authors,  # told above, as participants
        event_key=f"ideas.competition_ranking:{competition.pk}",
        template="ideas/notifications/competition_ranking",
        context=context,
        url=competition.get_absolute_url(),
        actor=by,
    )
    for row in ranking:
        _tell_contact(
            row.idea,
            key=f"ideas.competition_ranking:{competition.pk}:{row.idea.pk}",
            template="ideas/notifications/competition_ranking",
            context=context,
        )
    return ranking


# --- Contributions from outside the portal ------------------------------------------------


@dataclass(frozen=True)
class OfflineSource:
    """Where a contribution entered by staff came from, and the person's wishes."""

    source: str
    event: object | None = None  # a pages.Event for a workshop
    date: object | None = None
    on_behalf_of: str = ""
    contact_email: str = ""


def _account_for(email: str) -> User | None:
    if not email:
        return None
    return User.objects.filter(
        emailaddress__email__iexact=email,
        emailaddress__verified=True,
        is_active=True,
        deleted_at__isnull=True,
    ).first()


def _apply_source(row, *, origin: OfflineSource, by: User, now: datetime) -> None:
    if origin.source == Source.ONLINE:
        raise ValidationError(_("Please say where the contribution came from."), code="source")
    row.source = origin.source
    row.source_event = origin.event if origin.source == Source.WORKSHOP else None
    if origin.source == Source.WORKSHOP and origin.event is not None:
        row.source_date = timezone.localtime(origin.event.starts_at).date()  # type: ignore[attr-defined]
    else:
        row.source_date = origin.date
    row.on_behalf_of = origin.on_behalf_of.strip()
    row.contact_email = origin.contact_email.strip()
    row.entered_by = by
    row.consent_at = now


@transaction.atomic
def idea_submit_on_behalf(
    *, idea: Idea, origin: OfflineSource, by: User, now: datetime | None = None
) -> Idea:
    """Publish an idea a person gave at a workshop, on the phone or by letter, with their consent.

    If the e-mail address belongs to a verified account, that person is the author (they
    may edit it and hear what becomes of it as usual); otherwise the staff member who entered
    it is, and the address gets e-mails about its status.
    """
    now = now or timezone.now()
    _apply_source(idea, origin=origin, by=by, now=now)
    author = _account_for(idea.contact_email) or by
    idea = idea_submit(author=author, idea=idea, now=now)
    staff_action_record(
        actor=by,
        action="idea_entered_on_behalf",
        target=idea,
        summary=idea.title,
        after={"source": idea.source, "workshop": idea.source_event, "author": author.public_name},
    )
    return idea


@transaction.atomic
def comment_create_on_behalf(
    *, idea: Idea, body: str, origin: OfflineSource, by: User, now: datetime | None = None
) -> Comment:
    """A comment a person gave outside the portal, entered by staff with their consent."""
    now = now or timezone.now()
    author = _account_for(origin.contact_email.strip()) or by
    comment = comment_create(idea=idea, author=author, body=body)
    _apply_source(comment, origin=origin, by=by, now=now)
    comment.full_clean(exclude=["idea", "author", "parent"])
    comment.save()
    staff_action_record(
        actor=by,
        action="comment_entered_on_behalf",
        target=comment,
        summary=idea.title,
        after={"source": comment.source, "workshop": comment.source_event},
    )
    return comment
