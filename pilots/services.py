"""Every write to pilot projects: the record, its lifecycle, milestones, updates and followers.

Every lifecycle step goes through `pilot_transition`: it locks the pilot (`select_for_update`),
checks that the pilot is still where the person saw it (`expected_status`), checks the
transition table, writes the new status, the step's fields and a history row, and records the
notifications — all in one transaction. Two people pressing the same button at the same
moment: the first wins, the second gets `PilotConflictError` and nothing is written for them.
The named services (`pilot_approve`, ...) are thin typed wrappers that check what their step
must be given.

Services check the data, not the person: every caller (a view with `require_perm`, the
plenary app, a task) has checked who may act. `by=None` means the portal itself.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from geraportal.accounts.models import User
from geraportal.core.audit import snapshot, staff_action_record, staff_change_record
from geraportal.core.markdown import render_markdown
from geraportal.districts.models import District
from geraportal.notifications.services import notify
from ideas.selectors import idea_is_adoptable
from ideas.services import idea_adopt

from .models import (
    Milestone,
    Organisation,
    Pilot,
    PilotFollow,
    PilotImage,
    PilotStatusChange,
    PilotUpdate,
    can_transition,
)
from .notifications import PILOT, PILOT_UPDATE


class PilotStateError(ValidationError):
    """The pilot is not in a state that allows this; the message is for the user."""


class PilotConflictError(PilotStateError):
    """Someone else changed the pilot since the person loaded the page."""


# --- The record ------------------------------------------------------------------------


# Paths of the app itself (/pilots/board/ ...) that a pilot's address must not shadow.
RESERVED_SLUGS = {"new", "board", "map", "selection", "feed", "export", "aus-idee"}


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A German-language slug from the title ("Smarte Müllentsorgung" → "smarte-muellentsorgung")."""
    german = title.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    base = slugify(german)[:100].strip("-") or "pilotprojekt"
    if base in RESERVED_SLUGS:
        base = f"{base}-pilotprojekt"
    slug, number = base, 2
    others = Pilot.objects.exclude(pk=exclude_pk) if exclude_pk else Pilot.objects.all()
    while others.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _audit(
    by: User | None, action: str, obj: Any, *, summary: str, before: Mapping | None = None, after: Mapping
) -> None:
    """One audit row when a person (not the portal itself) acts on `obj`: the fields that changed."""
    if by is None:
        return
    staff_change_record(actor=by, action=action, target=obj, summary=summary, before=before, after=after)


def _record_snapshot(pilot: Pilot) -> dict[str, Any]:
    """The record a person edits, with its links, as the audit log shows it."""
    return {
        **snapshot(pilot, [n for n in Pilot.record_fields() if n != "description_html"]),
        "source_ideas": sorted(pilot.source_ideas.values_list("pk", flat=True)),
        "districts": sorted(pilot.districts.values_list("pk", flat=True)),
        "strategy_measures": sorted(pilot.strategy_measures.values_list("pk", flat=True)),
    }


def _write_record(
    pilot: Pilot,
    *,
    source_ideas: Iterable[Any],
    districts: Iterable[District],
    strategy_measures: Iterable[Any] | None = None,
) -> None:
    pilot.description_html = render_markdown(pilot.description)
    pilot.full_clean(exclude=["slug", "created_by"])
    pilot.save()
    pilot.source_ideas.set(source_ideas)
    pilot.districts.set(districts)
    if strategy_measures is not None:
        pilot.strategy_measures.set(strategy_measures)


@transaction.atomic
def pilot_create(
    *,
    by: User | None,
    pilot: Pilot,
    source_ideas: Iterable[Any] = (),
    districts: Iterable[District] = (),
    strategy_measures: Iterable[Any] | None = None,
    now: datetime | None = None,
    audit_action: str = "pilot_created",
) -> Pilot:
    """Save `pilot` (unsaved, e.g. a valid `PilotForm`'s instance) as its group's new draft.

    The draft is group-internal until it is proposed.
    """
    now = now or timezone.now()
    pilot.status = Pilot.Status.DRAFT
    pilot.created_by, pilot.created_at, pilot.updated_at = by, now, now
    pilot.slug = unique_slug(pilot.title)
    _write_record(pilot, source_ideas=source_ideas, districts=districts, strategy_measures=strategy_measures)
    PilotStatusChange.objects.create(
        pilot=pilot, from_status="", to_status=pilot.status, actor=by, created_at=now
    )
    _audit(by, audit_action, pilot, summary=pilot.title, after=_record_snapshot(pilot))
    return pilot


@transaction.atomic
def pilot_edit(
    *,
    pilot: Pilot,
    by: User | None,
    source_ideas: Iterable[Any],
    districts: Iterable[District],
    strategy_measures: Iterable[Any] | None = None,
    now: datetime | None = None,
) -> Pilot:
    """Save the record fields of `pilot` (e.g. a valid `PilotForm`'s instance).

    Only the record is taken from `pilot`; the status and everything the lifecycle wrote are
    read again under the lock, so an edit begun before a status change cannot undo it. Ideas
    added to a public pilot are marked adopted right away.
    """
    locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
    record_before = _record_snapshot(locked) if by is not None else {}
    for name in Pilot.record_fields():
        setattr(locked, name, getattr(pilot, name))
    for name in Pilot.record_fields():
        setattr(locked, name, getattr(pilot, name))
    locked.updated_at = now or timezone.now()
    source_ideas = list(source_ideas)
    before = set(locked.source_ideas.values_list("pk", flat=True))
    _write_record(locked, source_ideas=source_ideas, districts=districts, strategy_measures=strategy_measures)
    if locked.is_public:
        _adopt_ideas(locked, [i for i in source_ideas if i.pk not in before], by=by)
    if by is not None:
        _audit(
            by,
            "pilot_changed",
            locked,
            summary=locked.title,
            before=record_before,
            after=_record_snapshot(locked),
        )
    return locked


@transaction.atomic
def pilot_image_add(*, pilot: Pilot, by: User | None, image: ContentFile, alt: str) -> PilotImage:
    """`image` is already cleaned (`geraportal.core.images.clean_image`): re-encoded, no EXIF."""
    if not alt.strip():
        raise ValidationError({"alt": _("Please describe the image for people who cannot see it.")})
    position = pilot.images.count()
    picture = PilotImage(pilot=pilot, alt=alt.strip(), position=position)
    picture.image.save(image.name or "image", image, save=False)
    picture.save()
    _audit(
        by,
        "pilot_image_added",
        picture,
        summary=pilot.title,
        after={"image": picture.image.name, "alt": picture.alt},
    )
    return picture


@transaction.atomic
def pilot_image_delete(*, picture: PilotImage, by: User | None) -> None:
    name = picture.image.name
    _audit(
        by,
        "pilot_image_deleted",
        picture,
        summary=picture.pilot.title,
        before={"image": name, "alt": picture.alt},
        after={"image": None, "alt": None},
    )
    picture.delete()
    if name:
        transaction.on_commit(lambda: picture.image.storage.delete(name))


# --- Lifecycle --------------------------------------------------------------------------


StepFields = Mapping[str, object] | Callable[[Pilot], Mapping[str, object]]


@transaction.atomic
def pilot_transition(
    *,
    pilot: Pilot,
    to: str,
    by: User | None,
    expected_status: str | None = None,
    note: str = "",
    fields: StepFields | None = None,
    history: Mapping[str, object] | None = None,
    now: datetime | None = None,
) -> Pilot:
    """Move `pilot` to `to` as `TRANSITIONS` allows, and write what the step records.

    `fields`: the step's own columns of the pilot (a mapping, or a function of the locked
    pilot for values that depend on what it holds, e.g. its actual start); `history`: extra
    columns of the history row (the council's date and resolution number). `expected_status`
    is the status the person saw: if it changed meanwhile, `PilotConflictError`, and nothing
    is written. Leaving the draft marks the source ideas adopted.
    """
    now = now or timezone.now()
    locked = Pilot.objects.select_for_update().select_related("working_group").get(pk=pilot.pk)
    if expected_status is not None and locked.status != expected_status:
        raise PilotConflictError(
            _(
                "Someone else has changed this pilot project in the meantime: it is now “%(current)s”. "
                "Nothing was saved; please check the page and decide again."
            )
            % {"current": locked.get_status_display()},
            code="conflict",
        )
    if not can_transition(locked.status, to):
        raise PilotStateError(
            _("A pilot project that is “%(current)s” cannot become “%(new)s”.")
            % {"current": locked.get_status_display(), "new": Pilot.Status(to).label},
            code="invalid_transition",
        )
    step_fields = dict((fields(locked) if callable(fields) else fields) or {})
    before = {"status": locked.status, **snapshot(locked, step_fields)}
    change = PilotStatusChange.objects.create(
        pilot=locked,
        from_status=locked.status,
        to_status=to,
        actor=by,
        note=note.strip(),
        created_at=now,
        **(history or {}),
    )
    leaves_draft = locked.status == Pilot.Status.DRAFT
    for name, value in step_fields.items():
        setattr(locked, name, value)
    locked.status = to
    locked.updated_at = now
    locked.save(update_fields=["status", "updated_at", *step_fields])
    after = {**snapshot(locked, ["status", *step_fields]), "note": change.note, **(history or {})}
    _audit(by, f"pilot_{to}", locked, summary=locked.title, before=before, after=after)
    told: set[int] = set()
    if leaves_draft:
        told = _adopt_ideas(locked, locked.source_ideas.select_related("author"), by=by)
    _tell_status(locked, change, by=by, already_told=told)
    return locked


def _adopt_ideas(pilot: Pilot, ideas, *, by) -> set[int]:
    """Mark the source ideas adopted (skipping merged ones), telling nobody.

    The pilot's own status notification tells the ideas' people (one owner per event), so
    `ideas` only records the adoption. Returns whom it told: nobody, kept for the callers.
    """
    for idea in ideas:
        if idea_is_adoptable(idea=idea):
            idea_adopt(
                idea=idea, by=by, pilot_url=pilot.get_absolute_url(), pilot_title=pilot.title, notify=False
            )
    return set()


def _today(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())


def pilot_propose(
    *,
    pilot: Pilot,
    by: User | None,
    note: str = "",
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Pilot:
    """The working group submits its draft to the plenary; from now on the pilot is public."""
    return pilot_transition(
        pilot=pilot, to=Pilot.Status.PROPOSED, by=by, expected_status=expected_status, note=note, now=now
    )


def pilot_record_plenary_result(
    *,
    pilot: Pilot,
    by: User | None,
    rank: int,
    note: str = "",
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Pilot:
    """Record the plenary's result (rank and a note such as the votes). Called by `plenary`."""
    if rank is None or int(rank) < 1:
        raise ValidationError({"rank": _("The plenary rank must be a whole number from 1.")})
    return pilot_transition(
        pilot=pilot,
        to=Pilot.Status.PRIORITISED,
        by=by,
        expected_status=expected_status,
        note=note,
        fields={"plenary_rank": int(rank), "plenary_note": note.strip()},
        now=now,
    )


def max_selected() -> int:
    return settings.PILOTS_MAX_SELECTED


# Any constant shared by every selection; "PILOTSEL" in ASCII, so it is recognisable in pg_locks.
_SELECTION_LOCK_KEY = 0x50494C4F5453454C


def _lock_selections() -> None:
    """Serialise all selections for the council until the transaction ends.

    Locking the rows already selected is not enough: under READ COMMITTED two transactions
    can each count the same selected rows and both add one more. Everyone who selects takes
    this one lock before counting, so the second waits and then counts the first one's
    selection. SQLite lets only one writer in at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SELECTION_LOCK_KEY])


@transaction.atomic
def pilot_select(
    *,
    pilot: Pilot,
    by: User | None,
    rationale: str,
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Pilot:
    """The strategy group selects a prioritised proposal for the city council, with its reason."""
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": _("Please give the reason for selecting this pilot project.")})
    # One lock for all selections, taken before counting, so two cannot both take the last place.
    _lock_selections()
    if Pilot.objects.filter(status=Pilot.Status.SELECTED).count() >= max_selected():
        raise PilotStateError(
            _("At most %(max)d pilot projects can be proposed to the city council at a time.")
            % {"max": max_selected()},
            code="too_many",
        )
    return pilot_transition(
        pilot=pilot,
        to=Pilot.Status.SELECTED,
        by=by,
        expected_status=expected_status,
        note=rationale,
        fields={"selection_rationale": rationale},
        now=now,
    )


@transaction.atomic
def pilots_propose_to_council(
    *,
    by: User | None,
    selections: dict[int, str],
    expected: dict[int, str] | None = None,
    now: datetime | None = None,
) -> list[Pilot]:
    """Select several prioritised proposals at once ({pilot id: rationale}): all or none."""
    if not selections:
        raise ValidationError(_("Please select at least one pilot project."))
    _lock_selections()
    already = Pilot.objects.filter(status=Pilot.Status.SELECTED).count()
    if already + len(selections) > max_selected():
        raise PilotStateError(
            _(
                "You selected %(count)d pilot projects, but at most %(max)d can be proposed to the city "
                "council (%(already)d of them are already selected). Please select fewer."
            )
            % {"count": len(selections), "max": max_selected(), "already": already},
            code="too_many",
        )
    pilots = {p.pk: p for p in Pilot.objects.filter(pk__in=selections)}
    return [
        pilot_select(
            pilot=pilots[pk],
            by=by,
            rationale=rationale,
            expected_status=(expected or {}).get(pk, Pilot.Status.PRIORITISED),
            now=now,
        )
        for pk, rationale in selections.items()
    ]


def _council_decision(
    *,
    pilot: Pilot,
    to: str,
    by: User | None,
    council_date: date | None,
    resolution: str,
    note: str,
    expected_status: str | None,
    now: datetime | None,
) -> Pilot:
    resolution = (resolution or "").strip()
    errors = {}
    if council_date is None:
        errors["council_date"] = _("Please give the date of the council decision.")
    elif council_date > _today(now):
        errors["council_date"] = _("The date of the council decision cannot be in the future.")
    if not resolution:
        errors["resolution"] = _("Please give the resolution number (e.g. DS 2021/123).")
    if errors:
        raise ValidationError(errors)
    decision = {"council_date": council_date, "council_resolution": resolution}
    return pilot_transition(
        pilot=pilot,
        to=to,
        by=by,
        expected_status=expected_status,
        note=note,
        fields=decision,
        history=decision,
        now=now,
    )


def pilot_approve(
    *,
    pilot: Pilot,
    by: User | None,
    council_date: date | None,
    resolution: str,
    note: str = "",
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Pilot:
    """Record that the city council approved the pilot (date and resolution number required)."""
    return _council_decision(
        pilot=pilot,
        to=Pilot.Status.APPROVED,
        by=by,
        council_date=council_date,
        resolution=resolution,
        note=note,
        expected_status=expected_status,
        now=now,
    )


def pilot_reject(
    *,
    pilot: Pilot,
    by: User | None,
    council_date: date | None,
    resolution: str,
    note: str = "",
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Pilot:
    """Record that the city council rejected the pilot (date and resolution number required)."""
    return _council_decision(
        pilot=pilot,
        to=Pilot.Status.REJECTED,
        by=by,
        council_date=council_date,
        resolution=resolution,
        note=note,
        expected_status=expected_status,
        now=now,
    )


def pilot_start_tendering(
    *,
    pilot: Pilot,
    by: User | None,
    note: str = "",
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Pilot:
    return pilot_transition(
        pilot=pilot, to=Pilot.Status.TENDERING, by=by, expected_status=expected_status, note=note, now=now
    )


def _check_day(
    day: date | None, *, now: datetime | None, field_name: str, not_before: date | None = None
) -> date:
    day = day or _today(now)
    if day > _today(now):
        raise ValidationError({field_name: _("This date cannot be in the future.")})
    if not_before is not None and day < not_before:
        raise ValidationError(
            {
                field_name: _("This date cannot be before %(date)s.")
                % {"date": not_before.strftime("%d.%m.%Y")}
            }
        )
    return day


def pilot_start_implementation(
    *,
    pilot: Pilot,
    by: User | None,
    started_on: date | None = None,
    note: str = "",
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Pilot:
    """Implementation begins; the actual start is recorded (today unless given)."""

    def started(locked: Pilot) -> dict[str, object]:
        return {"actual_start": _check_day(started_on or locked.actual_start, now=now, field_name="on_date")}

    return pilot_transition(
        pilot=pilot,
        to=Pilot.Status.IMPLEMENTATION,
        by=by,
        expected_status=expected_status,
        note=note,
        fields=started,
        now=now,
    )


def pilot_complete(
    *,
    pilot: Pilot,
    by: User | None,
    completed_on: date | None = None,
    note: str = "",
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Pilot:
    """The pilot is done; the actual end is recorded (today unless given)."""

    def completed(locked: Pilot) -> dict[str, object]:
        end = _check_day(completed_on, now=now, field_name="on_date", not_before=locked.actual_start)
        return {"actual_start": locked.actual_start or end, "actual_end": end}

    return pilot_transition(
        pilot=pilot,
        to=Pilot.Status.COMPLETED,
        by=by,
        expected_status=expected_status,
        note=note,
        fields=completed,
        now=now,
    )


def pilot_cancel(
    *,
    pilot: Pilot,
    by: User | None,
    reason: str,
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Pilot:
    """Stop an approved pilot, with a public reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"note": _("Please give the reason for cancelling the pilot project.")})
    return pilot_transition(
        pilot=pilot, to=Pilot.Status.CANCELLED, by=by, expected_status=expected_status, note=reason, now=now
    )


# --- Telling the people who care -------------------------------------------------------


def _audience(pilot: Pilot) -> dict[int, tuple[User, list[str]]]:
    """{author id: (author, [their idea titles])}: the source ideas' authors, told in person.

    Everyone else who cares (followers of the pilot, followers and supporters of its ideas)
    is the registered audience `pilots.pilot`, worked out after commit.
    """
    authors: dict[int, tuple[User, list[str]]] = {}
    for idea in pilot.source_ideas.select_related("author"):
        authors.setdefault(idea.author_id, (idea.author, []))[1].append(idea.title)
    return authors


def _tell(
    pilot: Pilot, *, event_key: str, template: str, context: dict, url: str, by, already_told=()
) -> None:
    """Tell everyone who cares about the pilot once: authors in their own words, the rest together."""
    authors = _audience(pilot)
    for author, titles in authors.values():
        if author.pk in already_told:
            continue
        notify(
            kind=PILOT_UPDATE,
            recipients=[author],
            event_key=event_key,
            template=f"{template}_author",
            context={**context, "idea_titles": titles},
            url=url,
            actor=by,
        )
    notify(
        kind=PILOT_UPDATE,
        audience=PILOT,
        audience_args={"pilot_id": pilot.pk},
        exclude=[*authors, *already_told],
        event_key=event_key,
        template=template,
        context=context,
        url=url,
        actor=by,
    )


def _tell_status(pilot: Pilot, change: PilotStatusChange, *, by, already_told=()) -> None:
    _tell(
        pilot,
        event_key=f"pilots.status:{change.pk}",
        template="pilots/notifications/status_changed",
        context={
            "pilot_title": pilot.title,
            "status": change.to_status,
            "note": change.note,
            "council_date": change.council_date.isoformat() if change.council_date else "",
            "council_resolution": change.council_resolution,
        },
        url=pilot.get_absolute_url(),
        by=by,
        already_told=set(already_told),
    )


# --- Progress: milestones and updates ----------------------------------------------------


def _check_done_date(milestone: Milestone, done: date | None, now) -> None:
    if done is None:
        return
    created = timezone.localdate(milestone.created_at)
    if done < created:
        raise ValidationError(
            {
                "done_date": _("A milestone cannot be done before it was created (%(date)s).")
                % {"date": created.strftime("%d.%m.%Y")}
            }
        )
    if done > _today(now):
        raise ValidationError({"done_date": _("The date it was done cannot be in the future.")})


_MILESTONE_FIELDS = ("title", "due_date", "done_date")


@transaction.atomic
def milestone_save(
    *,
    pilot: Pilot,
    by: User | None,
    title: str,
    due_date: date | None = None,
    done_date: date | None = None,
    milestone: Milestone | None = None,
    now: datetime | None = None,
) -> Milestone:
    """Create a milestone (`milestone=None`) or change one."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Please give the milestone a title.")})
    if milestone is None:
        milestone = Milestone(pilot=pilot, created_at=now or timezone.now())
    else:
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk, pilot=pilot)
    created = milestone.pk is None
    before = {} if created else snapshot(milestone, _MILESTONE_FIELDS)
    _check_done_date(milestone, done_date, now)
    milestone.title, milestone.due_date, milestone.done_date = title, due_date, done_date
    milestone.save()
    _audit(
        by,
        "pilot_milestone_created" if created else "pilot_milestone_changed",
        milestone,
        summary=f"{pilot.title}: {title}",
        before=before,
        after=snapshot(milestone, _MILESTONE_FIELDS),
    )
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: User | None) -> None:
    _audit(
        by,
        "pilot_milestone_deleted",
        milestone,
        summary=milestone.title,
        before=snapshot(milestone, _MILESTONE_FIELDS),
        after=dict.fromkeys(_MILESTONE_FIELDS),
    )
    milestone.delete()


@transaction.atomic
def progress_update_create(
    *,
    pilot: Pilot,
    by: User | None,
    title: str,
    body: str,
    image: ContentFile | None = None,
    image_alt: str = "",
    published_at: datetime | None = None,
    notify_people: bool = True,
) -> PilotUpdate:
    """A dated post on the pilot's public timeline; everyone who cares is told."""
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Please give the update a title.")
    if not body:
        errors["body"] = _("Please write the update.")
    if image is not None and not image_alt.strip():
        errors["image_alt"] = _("Please describe the image for people who cannot see it.")
    if errors:
        raise ValidationError(errors)
    update = PilotUpdate(
        pilot=pilot,
        title=title,
        body=body,
        body_html=render_markdown(body),
        image_alt=image_alt.strip() if image is not None else "",
        author=by,
        published_at=published_at or timezone.now(),
    )
    if image is not None:
        update.image.save(image.name or "image", image, save=False)
    update.save()
    _audit(
        by,
        "pilot_update_posted",
        update,
        summary=f"{pilot.title}: {update.title}",
        after=snapshot(update, ["title", "body", "image_alt", "published_at"]),
    )
    if notify_people and pilot.is_public:
        _tell(
            pilot,
            event_key=f"pilots.update:{update.pk}",
            template="pilots/notifications/update_posted",
            context={"pilot_title": pilot.title, "update_title": update.title},
            url=update.get_absolute_url(),
            by=by,
        )
    return update


@transaction.atomic
def progress_update_delete(*, update: PilotUpdate, by: User | None) -> None:
    name = update.image.name if update.image else ""
    fields = ("title", "published_at")
    _audit(
        by,
        "pilot_update_deleted",
        update,
        summary=update.title,
        before=snapshot(update, fields),
        after=dict.fromkeys(fields),
    )
    update.delete()
    if name:
        transaction.on_commit(lambda: update.image.storage.delete(name))


# --- Following --------------------------------------------------------------------------


@transaction.atomic
def pilot_follow(*, pilot: Pilot, user: User) -> None:
    PilotFollow.objects.get_or_create(pilot=pilot, user=user)


@transaction.atomic
def pilot_unfollow(*, pilot: Pilot, user: User) -> None:
    PilotFollow.objects.filter(pilot=pilot, user=user).delete()


# --- From an idea, and ideas found by search (the back-office) ----------------------------


@transaction.atomic
def pilot_create_from_idea(*, idea: Any, by: User, now: datetime | None = None) -> Pilot:
    """A draft pilot in the idea's working group (its theme), with the idea as its source.

    Title and summary are taken from the idea as a start; the group edits them before
    proposing. Nothing is public yet, so the idea is adopted only when the pilot is proposed.
    """
    summary = idea.body.strip()
    if len(summary) > 600:
        summary = summary[:597].rsplit(" ", 1)[0] + " …"
    pilot = Pilot(title=idea.title[:200], summary=summary or idea.title, working_group_id=idea.theme_id)
    return pilot_create(
        by=by, pilot=pilot, source_ideas=[idea], now=now, audit_action="pilot_created_from_idea"
    )


@transaction.atomic
def pilot_link_ideas(*, pilot: Pilot, add: Iterable[Any] = (), remove: Iterable[Any] = (), by: User) -> Pilot:
    """Add source ideas to a pilot (found by search) or take them off; a public pilot adopts them now."""
    locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
    before = set(locked.source_ideas.values_list("pk", flat=True))
    added = [idea for idea in add if idea.pk not in before]
    removed = [idea for idea in remove if idea.pk in before]
    if added:
        locked.source_ideas.add(*added)
    if removed:
        locked.source_ideas.remove(*removed)
    if locked.is_public and added:
        _adopt_ideas(locked, added, by=by)
    if added or removed:
        staff_action_record(
            actor=by,
            action="pilot_ideas_changed",
            target=locked,
            summary=locked.title,
            before={"ideas": sorted(before)},
            after={"ideas": sorted((before | {i.pk for i in added}) - {i.pk for i in removed})},
        )
    return locked


@transaction.atomic
def organisation_save(*, organisation: Organisation, by: User) -> Organisation:
    created = organisation.pk is None
    organisation.full_clean()
    organisation.save()
    staff_action_record(
        actor=by,
        action="organisation_created" if created else "organisation_changed",
        target=organisation,
        summary=organisation.name,
        after={"name": organisation.name, "kind": organisation.kind, "website": organisation.website},
    )
    return organisation
