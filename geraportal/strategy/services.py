"""Every write of the strategy's update cycle: one function, one transaction each.

Views check permissions (rules.py); these functions check the data: the phase an edition is
in, whether a passage is still there, whether every proposed change is decided.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from geraportal.accounts.models import User
from geraportal.core.audit import snapshot, staff_change_record
from geraportal.core.markdown import render_markdown
from geraportal.notifications.services import notify

from . import anchoring, schedule
from .models import (
    Follower,
    Phase,
    Recommendation,
    Section,
    SectionVersion,
    StrategyEdition,
    StrategyMeasure,
    Suggestion,
)
from .notifications import FOLLOWERS, STRATEGY_UPDATE

# --- Editions and their cycle --------------------------------------------------------------


@dataclass(frozen=True)
class CycleDates:
    consultation_starts: date
    consultation_ends: date
    review_ends: date
    decision_ends: date


def default_dates(*, year: int) -> CycleDates:
    """The cycle's default dates, counted back from the edition's due date in the schedule.

    Six weeks of consultation, four of review by the groups, four for the team's decisions;
    the strategy group approves and the council resolves in the weeks before the due date.
    """
    due = schedule.due_date(schedule.next_due_year(year))
    decision_ends = due - timedelta(days=52)
    review_ends = decision_ends - timedelta(days=28)
    consultation_ends = review_ends - timedelta(days=28)
    return CycleDates(
        consultation_starts=consultation_ends - timedelta(days=41),
        consultation_ends=consultation_ends,
        review_ends=review_ends,
        decision_ends=decision_ends,
    )


def _phase_check(edition: StrategyEdition, *phases: Phase, today: date | None = None) -> None:
    phase = edition.phase(today)
    if phase not in phases:
        raise ValidationError(
            _("This is not possible while the edition is in the phase “%(phase)s”.") % {"phase": phase.label},
            code="wrong_phase",
        )


def _render_section(section: Section) -> None:
    section.body_html_de = render_markdown(section.body_de)
    section.body_html_en = render_markdown(section.body_en) if section.body_en.strip() else ""


def _record_version(
    section: Section, *, by: User | None, note: str = "", suggestion: Suggestion | None = None
) -> None:
    SectionVersion.objects.create(
        section=section,
        number=section.version,
        title_de=section.title_de,
        body_de=section.body_de,
        body_en=section.body_en,
        note=note,
        suggestion=suggestion,
        created_by=by,
    )


_DATE_FIELDS = ("consultation_starts", "consultation_ends", "review_ends", "decision_ends")


def _audit(
    by: User | None, action: str, obj, *, summary: str, before: dict | None = None, after: dict
) -> None:
    """One audit row when a person acts (the portal's own steps write none): the changed fields."""
    if by is None:
        return
    staff_change_record(actor=by, action=action, target=obj, summary=summary, before=before, after=after)


@transaction.atomic
def edition_create(*, year: int, title: str, summary: str, by: User | None) -> StrategyEdition:
    """A new update as a draft: the text of the newest published edition, the default dates."""
    previous = StrategyEdition.objects.published().filter(year__lt=year).order_by("-year").first()
    edition = StrategyEdition(year=year, title=title, summary=summary, previous=previous)
    dates = default_dates(year=year)
    # Defaults already past (an update begun late) would skip the consultation: then the team
    # sets the dates, or starts the consultation with "end this phase".
    if dates.consultation_starts > timezone.localdate():
        for name, value in vars(dates).items():
            setattr(edition, name, value)
    edition.full_clean()
    edition.save()
    if previous is not None:
        for old in previous.sections.all():
            section = Section.objects.create(
                edition=edition,
                key=old.key,
                kind=old.kind,
                theme=old.theme,
                measure_id=old.measure_id,
                position=old.position,
                title_de=old.title_de,
                title_en=old.title_en,
                body_de=old.body_de,
                body_en=old.body_en,
                body_html_de=old.body_html_de,
                body_html_en=old.body_html_en,
            )
            _record_version(section, by=by, note=_("Text of the edition %(year)s") % {"year": previous.year})
    _audit(
        by,
        "strategy_edition_created",
        edition,
        summary=str(edition.year),
        after={**snapshot(edition, ("year", "title", "summary", *_DATE_FIELDS)), "previous": previous},
    )
    return edition


@transaction.atomic
def edition_set_dates(
    *, edition: StrategyEdition, dates: CycleDates, today: date, by: User | None = None
) -> StrategyEdition:
    edition = StrategyEdition.objects.select_for_update().get(pk=edition.pk)
    before = snapshot(edition, _DATE_FIELDS)
    _phase_check(
        edition, Phase.DRAFT, Phase.CONSULTATION, Phase.REVIEW, Phase.DECISION, Phase.APPROVAL, today=today
    )
    for name, value in vars(dates).items():
        setattr(edition, name, value)
    edition.full_clean()
    edition.save()
    _audit(
        by,
        "strategy_dates_changed",
        edition,
        summary=str(edition.year),
        before=before,
        after=snapshot(edition, _DATE_FIELDS),
    )
    _announce_if_open(edition, today=today)
    return edition


@transaction.atomic
def edition_advance(*, edition: StrategyEdition, today: date, by: User | None = None) -> StrategyEdition:
    """End the current phase today: the next one starts now, later dates move if they must."""
    edition = StrategyEdition.objects.select_for_update().get(pk=edition.pk)
    before = snapshot(edition, _DATE_FIELDS)
    phase = edition.phase(today)
    yesterday = today - timedelta(days=1)
    plan = default_dates(year=edition.year)
    # Dates are all set or all empty (a constraint); an empty plan counts from today.
    starts = edition.consultation_starts or today
    ends = edition.consultation_ends or today + (plan.consultation_ends - plan.consultation_starts)
    review = edition.review_ends or ends + (plan.review_ends - plan.consultation_ends)
    decision = edition.decision_ends or review + (plan.decision_ends - plan.review_ends)
    if phase == Phase.DRAFT:
        if ends < today:  # the plan has passed: the planned lengths, counted from today
            ends = today + (plan.consultation_ends - plan.consultation_starts)
            review = ends + (plan.review_ends - plan.consultation_ends)
            decision = review + (plan.decision_ends - plan.review_ends)
        starts = today
    elif phase == Phase.CONSULTATION:
        ends, starts, review = yesterday, min(starts, yesterday), max(review, today)
    elif phase == Phase.REVIEW:
        review, decision = yesterday, max(decision, today)
    elif phase == Phase.DECISION:
        decision = yesterday
    else:
        raise ValidationError(_("This phase ends with the strategy group's approval."), code="wrong_phase")
    # Keep the order the constraint demands.
    edition.consultation_starts = min(starts, ends)
    edition.consultation_ends = ends
    edition.review_ends = max(review, ends)
    edition.decision_ends = max(decision, edition.review_ends)
    edition.full_clean()
    edition.save()
    _audit(
        by,
        "strategy_phase_ended",
        edition,
        summary=f"{edition.year}: {phase}",
        before=before,
        after=snapshot(edition, _DATE_FIELDS),
    )
    _announce_if_open(edition, today=today)
    return edition


def _announce_if_open(edition: StrategyEdition, *, today: date) -> None:
    """Tell the followers that the consultation is open, once (the edition row is locked)."""
    if edition.consultation_announced_at or edition.phase(today) != Phase.CONSULTATION:
        return
    edition.consultation_announced_at = timezone.now()
    edition.save(update_fields=["consultation_announced_at"])
    notify(
        kind=STRATEGY_UPDATE,
        event_key=f"strategy.consultation:{edition.pk}",
        template="strategy/notifications/consultation_open",
        context={
            "year": edition.year,
            "title": edition.title,
            "until": str(edition.consultation_ends),
        },
        url=edition.get_absolute_url(),
        audience=FOLLOWERS,
    )


def consultations_announce(*, today: date) -> int:
    """The daily task: consultations that opened by date are announced (each once)."""
    count = 0
    candidates = StrategyEdition.objects.filter(
        published_at__isnull=True,
        approved_at__isnull=True,
        consultation_announced_at__isnull=True,
        consultation_starts__lte=today,
        consultation_ends__gte=today,
    )
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            edition = StrategyEdition.objects.select_for_update().get(pk=pk)
            if edition.consultation_announced_at is None:
                _announce_if_open(edition, today=today)
                count += 1
    return count


@transaction.atomic
def edition_approve(*, edition: StrategyEdition, by: User, note: str = "") -> StrategyEdition:
    edition = StrategyEdition.objects.select_for_update().get(pk=edition.pk)
    _phase_check(edition, Phase.APPROVAL)
    # A hidden change waits for no decision: it is spam or abuse, not a proposal.
    open_changes = edition.suggestions.changes().public().filter(status=Suggestion.Status.OPEN).count()
    if open_changes:
        raise ValidationError(
            _("%(count)s proposed changes are not decided yet; the team decides them first.")
            % {"count": open_changes},
            code="undecided",
        )
    edition.approved_at = timezone.now()
    edition.approved_by = by
    edition.approval_note = note
    edition.save(update_fields=["approved_at", "approved_by", "approval_note"])
    _audit(
        by,
        "strategy_edition_approved",
        edition,
        summary=str(edition.year),
        after=snapshot(edition, ("approved_at", "approval_note")),
    )
    return edition


@transaction.atomic
def edition_publish(
    *, edition: StrategyEdition, by: User, council_date: date | None = None, council_resolution: str = ""
) -> StrategyEdition:
    """Publish an approved edition, with the council's resolution if there is one yet."""
    edition = StrategyEdition.objects.select_for_update().get(pk=edition.pk)
    _phase_check(edition, Phase.APPROVED)
    edition.published_at = timezone.now()
    edition.council_date = council_date
    edition.council_resolution = council_resolution
    edition.full_clean()
    edition.save()
    _audit(
        by,
        "strategy_edition_published",
        edition,
        summary=str(edition.year),
        after=snapshot(edition, ("published_at", "council_date", "council_resolution")),
    )
    # A measure's name is that of its newest published text.
    for section in edition.sections.filter(measure__isnull=False):
        StrategyMeasure.objects.filter(pk=section.measure_id or 0).update(
            title_de=section.title_de, title_en=section.title_en
        )
    authors = User.objects.filter(
        pk__in=edition.suggestions.public().values_list("author_id", flat=True),
        is_active=True,
        deleted_at__isnull=True,
    )
    notify(
        kind=STRATEGY_UPDATE,
        event_key=f"strategy.published:{edition.pk}",
        template="strategy/notifications/published",
        context={"year": edition.year, "title": edition.title},
        url=edition.get_absolute_url(),
        actor=by,
        recipients=list(authors),
        audience=FOLLOWERS,
    )
    transaction.on_commit(lambda: edition_request_pdf(edition=edition), robust=True)
    return edition


@transaction.atomic
def edition_record_council(
    *, edition: StrategyEdition, council_date: date, council_resolution: str, by: User | None = None
) -> StrategyEdition:
    """The council's resolution, recorded (or corrected) after publication."""
    fields = ("council_date", "council_resolution")
    edition = StrategyEdition.objects.select_for_update().get(pk=edition.pk)
    before = snapshot(edition, fields)
    edition.council_date = council_date
    edition.council_resolution = council_resolution
    edition.full_clean()
    edition.save(update_fields=["council_date", "council_resolution"])
    _audit(
        by,
        "strategy_council_recorded",
        edition,
        summary=str(edition.year),
        before=before,
        after=snapshot(edition, fields),
    )
    return edition


# --- The text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionData:
    key: str
    kind: str
    theme: str
    position: int
    title_de: str
    title_en: str
    body_de: str
    body_en: str


def _locate(suggestion: Suggestion, text: str):
    """Where the suggestion's passage stands in `text` now (by quote, context and last position)."""
    return anchoring.locate(
        text, suggestion.quote, prefix=suggestion.prefix, suffix=suggestion.suffix, hint=suggestion.position
    )


def _reanchor(section: Section) -> None:
    """Look for the passages of open proposed changes in the section's new text."""
    for suggestion in section.suggestions.changes().filter(status=Suggestion.Status.OPEN):
        found = _locate(suggestion, section.body_de)
        if found is None:
            suggestion.anchor = Suggestion.Anchor.LOST
        else:
            suggestion.anchor = Suggestion.Anchor.OK
            suggestion.prefix, suggestion.suffix, suggestion.position = (
                found.prefix,
                found.suffix,
                found.position,
            )
        suggestion.save(update_fields=["anchor", "prefix", "suffix", "position"])


def _measure_for(key: str, title_de: str, title_en: str) -> StrategyMeasure:
    measure, _created = StrategyMeasure.objects.get_or_create(
        key=key, defaults={"title_de": title_de, "title_en": title_en}
    )
    return measure


_SECTION_FIELDS = (
    "key",
    "kind",
    "theme",
    "position",
    "title_de",
    "title_en",
    "body_de",
    "body_en",
    "version",
)


@transaction.atomic
def section_save(
    *,
    edition: StrategyEdition,
    data: SectionData,
    by: User | None,
    section: Section | None = None,
    note: str = "",
) -> Section:
    """Add a section or change one; every change is a version, and open suggestions re-anchor."""
    edition = StrategyEdition.objects.select_for_update().get(pk=edition.pk)
    _phase_check(edition, Phase.DRAFT, Phase.CONSULTATION, Phase.REVIEW, Phase.DECISION)
    if section is None:
        section = Section(edition=edition)
        before = {}
    else:
        section = Section.objects.select_for_update().get(pk=section.pk, edition=edition)
        before = snapshot(section, _SECTION_FIELDS)
        section.version += 1
    for name, value in vars(data).items():
        setattr(section, name, anchoring.normalise(value) if name.startswith("body") else value)
    section.measure = (
        _measure_for(section.key, section.title_de, section.title_en)
        if section.kind == Section.Kind.MEASURE
        else None
    )
    _render_section(section)
    section.full_clean()
    section.save()
    _record_version(section, by=by, note=note)
    _audit(
        by,
        "strategy_section_changed" if before else "strategy_section_created",
        section,
        summary=f"{edition.year}: {section.title_de}",
        before=before,
        after=snapshot(section, _SECTION_FIELDS),
    )
    _reanchor(section)
    return section


# --- Suggestions ---------------------------------------------------------------------------


@transaction.atomic
def suggestion_submit(
    *,
    section: Section,
    author: User,
    kind: str,
    text: str,
    quote: str = "",
    replacement: str = "",
    prefix_hint: str = "",
    suffix_hint: str = "",
) -> Suggestion:
    """A comment on a section, or a proposed change anchored to a passage of its German text."""
    edition = StrategyEdition.objects.select_for_update().get(pk=section.edition_id)
    _phase_check(edition, Phase.CONSULTATION)
    section = Section.objects.get(pk=section.pk)
    suggestion = Suggestion(edition=edition, section=section, author=author, kind=kind, text=text)
    if kind == Suggestion.Kind.CHANGE:
        found = anchoring.locate(section.body_de, quote, prefix=prefix_hint, suffix=suffix_hint)
        if found is None:
            raise ValidationError(
                {
                    "quote": _(
                        "This passage is not in the current text of the section (it may have changed "
                        "since you opened the page). Please select or copy the passage again from the "
                        "text below; your replacement and reason are kept."
                    )
                },
                code="passage_not_found",
            )
        suggestion.quote, suggestion.prefix, suggestion.suffix = found.quote, found.prefix, found.suffix
        suggestion.position = found.position
        suggestion.replacement = replacement
    suggestion.full_clean()
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_recommend(
    *, suggestion: Suggestion, by: User, verdict: str, note: str, thread_url: str = ""
) -> Recommendation:
    suggestion = (
        Suggestion.objects.select_related("section", "edition")
        .select_for_update(of=("self",))
        .get(pk=suggestion.pk)
    )
    _phase_check(suggestion.edition, Phase.REVIEW)
    if not suggestion.is_change:
        raise ValidationError(_("Only proposed changes get a recommendation."), code="not_a_change")
    recommendation, _created = Recommendation.objects.update_or_create(
        suggestion=suggestion,
        defaults={
            "theme": suggestion.section.theme,
            "verdict": verdict,
            "note": note,
            "thread_url": thread_url,
            "by": by,
            "at": timezone.now(),
        },
    )
    _audit(
        by,
        "strategy_suggestion_recommended",
        suggestion,
        summary=suggestion.section.title_de,
        after={"verdict": verdict, "note": note, "thread_url": thread_url},
    )
    return recommendation


@transaction.atomic
def suggestion_decide(
    *, suggestion: Suggestion, by: User, status: str, reason: str, final_text: str = ""
) -> Suggestion:
    """The team's decision with its public reason; an accepted change goes into the text.

    Accepting applies the replacement (or the team's changed wording) at the passage's anchor
    and makes a new version of the section that names this suggestion. If the passage is no
    longer in the text, nothing is applied and the team is told to edit the section by hand.
    """
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    edition = StrategyEdition.objects.get(pk=suggestion.edition_id)
    _phase_check(edition, Phase.DECISION)
    if not suggestion.is_change:
        raise ValidationError(_("Comments are not decided."), code="not_a_change")
    if suggestion.is_decided:
        raise ValidationError(_("This suggestion has been decided already."), code="decided")
    if suggestion.hidden:
        raise ValidationError(
            _("This suggestion is hidden. Show it again before deciding it."), code="hidden"
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Please give the public reason for the decision.")}, code="no_reason"
        )
    suggestion.status = status
    suggestion.decision_reason = reason
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    if suggestion.is_accepted:
        final = suggestion.replacement if status == Suggestion.Status.ACCEPTED else final_text
        suggestion.final_text = final
        section = Section.objects.select_for_update().get(pk=suggestion.section_id)
        found = _locate(suggestion, section.body_de)
        if found is None:
            raise ValidationError(
                _(
                    "The passage of this suggestion is no longer in the text, so it cannot be applied. "
                    "Change the section by hand, then record the decision."
                ),
                code="passage_not_found",
            )
        section.body_de = anchoring.replace(section.body_de, found, final)
        section.version += 1
        _render_section(section)
        section.save()
        suggestion.full_clean()
        suggestion.save()
        _record_version(section, by=by, note=reason, suggestion=suggestion)
        _reanchor(section)
    else:
        suggestion.full_clean()
        suggestion.save()
    _audit(
        by,
        "strategy_suggestion_decided",
        suggestion,
        summary=suggestion.quote[:200],
        before={"status": Suggestion.Status.OPEN},
        after=snapshot(suggestion, ("status", "decision_reason", "final_text")),
    )
    notify(
        kind=STRATEGY_UPDATE,
        event_key=f"strategy.suggestion:{suggestion.pk}:decided",
        template="strategy/notifications/suggestion_decided",
        context={
            "year": edition.year,
            "status": suggestion.status,
            "reason": reason,
            "quote": suggestion.quote[:200],
        },
        url=suggestion.get_absolute_url(),
        actor=by,
        recipients=[suggestion.author],
    )
    return suggestion


_HIDDEN_FIELDS = ("hidden", "hidden_reason")


@transaction.atomic
def suggestion_set_hidden(*, suggestion: Suggestion, by: User, hidden: bool, reason: str = "") -> Suggestion:
    """Hide a suggestion (spam, abuse, off topic; a reason is required and its author is told
    it) or show it again. Hidden, it is gone from every public page and waits for no decision;
    its author still sees it, with the reason."""
    reason = reason.strip()
    if hidden and not reason:
        raise ValidationError(
            {"reason": _("Please give the reason for hiding; the author is told it.")}, code="no_reason"
        )
    suggestion = (
        Suggestion.objects.select_related("edition", "section")
        .select_for_update(of=("self",))
        .get(pk=suggestion.pk)
    )
    if suggestion.hidden == hidden:
        raise ValidationError(
            _("This suggestion is already hidden.") if hidden else _("This suggestion is not hidden."),
            code="unchanged",
        )
    before = snapshot(suggestion, _HIDDEN_FIELDS)
    suggestion.hidden = hidden
    suggestion.hidden_reason = reason if hidden else ""
    # Only the two fields: an older row (words erased with an account) must still be hidable.
    suggestion.clean_fields(exclude=[f.name for f in Suggestion._meta.fields if f.name not in _HIDDEN_FIELDS])
    suggestion.save(update_fields=list(_HIDDEN_FIELDS))
    _audit(
        by,
        f"strategy_suggestion_{'hidden' if hidden else 'unhidden'}",
        suggestion,
        summary=f"{suggestion.edition.year}: {suggestion.section.title_de}",
        before=before,
        after=snapshot(suggestion, _HIDDEN_FIELDS),
    )
    if hidden:
        _tell_suggestion_hidden(suggestion, by=by, reason=reason)
    return suggestion


def _tell_suggestion_hidden(suggestion: Suggestion, *, by: User, reason: str) -> None:
    # Hidden, shown and hidden again is news each time, as for the ideas' comments.
    notify(
        kind=STRATEGY_UPDATE,
        event_key=f"strategy.suggestion:{suggestion.pk}:hidden:{uuid.uuid4().hex[:8]}",
        template="strategy/notifications/suggestion_hidden",
        context={
            "year": suggestion.edition.year,
            "section": suggestion.section.title_de,
            "reason": reason,
        },
        url=suggestion.get_absolute_url(),
        actor=by,
        recipients=[suggestion.author],
    )


# --- Followers -----------------------------------------------------------------------------


@transaction.atomic
def follow_set(*, user: User, follow: bool) -> None:
    if follow:
        Follower.objects.get_or_create(user=user)
    else:
        Follower.objects.filter(user=user).delete()


# --- The PDF -------------------------------------------------------------------------------


def edition_request_pdf(*, edition: StrategyEdition) -> None:
    """Ask for the PDF to be (re)generated in the background; staff see the progress."""
    StrategyEdition.objects.filter(pk=edition.pk).update(pdf_requested_at=timezone.now(), pdf_error="")
    from .tasks import generate_pdf

    transaction.on_commit(lambda: generate_pdf.delay(edition.pk), robust=True)


def next_section_position(*, edition: StrategyEdition) -> int:
    return (edition.sections.aggregate(m=Max("position"))["m"] or 0) + 10


def edition_url(edition: StrategyEdition) -> str:
    return reverse("strategy_public:edition", kwargs={"year": edition.year})
