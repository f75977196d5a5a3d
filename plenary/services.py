"""Writes of the plenary: meetings, the poll lifecycle and casting ballots."""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geraportal.accounts.models import User
from pilots.models import Pilot
from pilots.services import pilot_record_plenary_result

from .models import (
    Attendee,
    AuditEntry,
    Ballot,
    BallotChoice,
    EligibleVoter,
    Meeting,
    Poll,
    PollOption,
    VoterRoll,
)
from .results import PollResult, ballot_hash, compute_results


class PlenaryError(Exception):
    """A refusal with a message for the person who asked (already translated)."""


class BallotRefused(PlenaryError):
    """The ballot was not counted; the person may still vote (unless `already_voted`)."""

    def __init__(self, message: str, *, already_voted: bool = False):
        super().__init__(message)
        self.already_voted = already_voted


def _audit(
    *,
    action: str,
    actor: User | None = None,
    poll: Poll | None = None,
    meeting: Meeting | None = None,
    **detail,
) -> None:
    AuditEntry.objects.create(
        action=action,
        actor=actor,
        poll=poll,
        meeting=meeting or (poll and poll.meeting),  # type: ignore[misc]  # a Meeting or None
        detail=detail,
    )


# --- Meetings ---------------------------------------------------------------------------


@transaction.atomic
def meeting_register(*, meeting: Meeting, user: User, now: datetime | None = None) -> Attendee:
    now = now or timezone.now()
    if meeting.registration_deadline is None or now > meeting.registration_deadline:
        raise PlenaryError(_("Registration for this meeting is closed."))
    attendee, _created = Attendee.objects.get_or_create(meeting=meeting, user=user)
    return attendee


@transaction.atomic
def attendee_add(*, meeting: Meeting, user: User, by: User) -> Attendee:
    attendee, created = Attendee.objects.get_or_create(meeting=meeting, user=user)
    if created:
        _audit(action="attendee_added", actor=by, meeting=meeting, user=user.pk)
    return attendee


@transaction.atomic
def attendee_check_in(*, attendee: Attendee, by: User, now: datetime | None = None) -> Attendee:
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if attendee.checked_in_at is None:
        attendee.checked_in_at = now or timezone.now()
        attendee.save(update_fields=["checked_in_at"])
        _audit(action="attendee_checked_in", actor=by, meeting=attendee.meeting, user=attendee.user_id)
    return attendee


# --- Poll lifecycle ---------------------------------------------------------------------


def _lock(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().get(pk=poll.pk)


def _eligible_users(poll: Poll):
    active = User.objects.filter(is_active=True, deleted_at__isnull=True)
    if poll.eligibility == Poll.Eligibility.ATTENDEES:
        return active.filter(plenary_attendances__meeting=poll.meeting_id)
    if poll.eligibility == Poll.Eligibility.WORKGROUPS:
        return active.filter(workgroup_memberships__group__in=poll.eligible_groups.all()).distinct()
    return active.filter(emailaddress__verified=True).distinct()


@transaction.atomic
def poll_open(*, poll: Poll, by: User | None = None, now: datetime | None = None) -> Poll:
    """Open a draft poll: freeze its configuration and the list of who may vote."""
    poll = _lock(poll)
    if poll.status != Poll.Status.DRAFT:
        raise PlenaryError(_("Only a draft poll can be opened."))
    options = list(poll.options.select_related("pilot"))
    if not options:
        raise PlenaryError(_("A poll needs at least one proposal."))
    if any(option.pilot.status == Pilot.Status.DRAFT for option in options):
        raise PlenaryError(_("A working group's draft cannot be put to the vote; it must be proposed first."))
    for option in options:
        option.label = option.pilot.title
    PollOption.objects.bulk_update(options, ["label"])
    # max_choices, points_cap and points_budget are set for their method (the table's constraints).
    if poll.method == Poll.Method.APPROVAL and poll.max_choices > poll.options.count():  # type: ignore[operator]
        raise PlenaryError(_("k is larger than the number of proposals."))
    voters = list(_eligible_users(poll).values_list("pk", flat=True))
    EligibleVoter.objects.bulk_create(
        [EligibleVoter(poll=poll, user_id=pk) for pk in voters], batch_size=1000
    )
    poll.status = Poll.Status.OPEN
    poll.opened_at = now or timezone.now()
    poll.eligible_count = len(voters)
    poll.save(update_fields=["status", "opened_at", "eligible_count"])
    _audit(action="poll_opened", actor=by, poll=poll, eligible=len(voters))
    return poll


@transaction.atomic
def poll_close(*, poll: Poll, by: User | None = None, now: datetime | None = None) -> Poll:
    """Close an open poll and fix the hash of its ballots. Closing twice changes nothing."""
    poll = _lock(poll)  # waits for ballots being cast right now (they hold a share lock)
    if poll.status != Poll.Status.OPEN:
        return poll
    poll.status = Poll.Status.CLOSED
    poll.closed_at = now or timezone.now()
    _reshuffle(poll)
    poll.ballot_hash = ballot_hash(_ballot_set(poll))
    poll.save(update_fields=["status", "closed_at", "ballot_hash"])
    _audit(action="poll_closed", actor=by, poll=poll, ballot_hash=poll.ballot_hash)
    return poll


@transaction.atomic
def poll_publish(*, poll: Poll, by: User) -> PollResult:
    """Publish a closed poll's result; a plenary poll records each proposal's rank on the pilot."""
    poll = _lock(poll)
    if poll.status != Poll.Status.CLOSED:
        raise PlenaryError(_("Only a closed poll can be published."))
    result = poll_result(poll=poll)
    poll.status = Poll.Status.PUBLISHED
    poll.published_at = timezone.now()
    poll.save(update_fields=["status", "published_at"])
    _audit(action="poll_published", actor=by, poll=poll)
    if poll.meeting_id:
        options = {o.pk: o for o in poll.options.select_related("pilot")}
        for row in result.options:
            pilot = options[row.option_id].pilot
            if pilot.status == Pilot.Status.PROPOSED:
                note = _("Plenary “%(meeting)s”: rank %(rank)s of %(count)s (score %(score)s).") % {
                    "meeting": poll.meeting.title,  # type: ignore[union-attr]  # a poll at a meeting
                    "rank": row.rank,
                    "count": len(result.options),
                    "score": row.score,
                }
                pilot_record_plenary_result(pilot=pilot, by=by, rank=row.rank, note=note)
    return result


def _reshuffle(poll: Poll) -> None:
    """Rewrite a secret poll's ballots in random order with new keys, in one transaction.

    A ballot is written in the same transaction as its voter-roll row, so the database's
    own bookkeeping (PostgreSQL's transaction id `xmin`, SQLite's `rowid` order) would pair
    them. Rewritten together, all ballots share one transaction and a random order. Runs at
    closing and every few minutes while a poll is open; the caller holds the poll's lock.
    """
    if not poll.secret:
        return
    ballots: dict = {}
    for stored in Ballot.objects.filter(poll=poll).values():
        ballots[stored["id"]] = {**stored, "choices": []}
    for choice in BallotChoice.objects.filter(ballot__poll=poll).values(
        "ballot_id", "option_id", "value", "limit_value"
    ):
        ballots[choice["ballot_id"]]["choices"].append(choice)
    rows = list(ballots.values())
    secrets.SystemRandom().shuffle(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # lets the immutability trigger allow this one rewrite
            cursor.execute("SET LOCAL plenary.reshuffle = 'on'")
    BallotChoice.objects.filter(ballot__poll=poll).delete()
    Ballot.objects.filter(poll=poll).delete()
    new_ballots, new_choices = [], []
    for row in rows:
        ballot = Ballot(
            poll=poll,
            total_points=row["total_points"],
            ticks=row["ticks"],
            limit_points=row["limit_points"],
            limit_ticks=row["limit_ticks"],
        )
        new_ballots.append(ballot)
        new_choices += [
            BallotChoice(
                ballot=ballot, option_id=c["option_id"], value=c["value"], limit_value=c["limit_value"]
            )
            for c in row["choices"]
        ]
    Ballot.objects.bulk_create(new_ballots, batch_size=1000)
    BallotChoice.objects.bulk_create(new_choices, batch_size=1000)
    if connection.vendor == "postgresql":
        transaction.on_commit(_vacuum_ballots, robust=True)


def _vacuum_ballots() -> None:
    # Removes the old row versions, so they cannot be read from the table files either.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM plenary_ballot, plenary_ballotchoice")


def ballots_reshuffle_open(*, now: datetime | None = None) -> int:
    """Reshuffle the ballots of every open secret poll (beat, every few minutes)."""
    count = 0
    for poll_id in Poll.objects.filter(status=Poll.Status.OPEN, secret=True).values_list("pk", flat=True):
        with transaction.atomic():
            poll = Poll.objects.select_for_update().get(pk=poll_id)
            if poll.status == Poll.Status.OPEN:
                _reshuffle(poll)
                count += 1
    return count


def close_due_polls(*, now: datetime | None = None) -> int:
    """Open and close polls whose scheduled time has come (run by beat every minute)."""
    now = now or timezone.now()
    changed = 0
    for poll in Poll.objects.filter(status=Poll.Status.DRAFT, opens_at__lte=now):
        try:
            poll_open(poll=poll, now=now)
            changed += 1
        except PlenaryError:
            continue
    for poll in Poll.objects.filter(status=Poll.Status.OPEN, closes_at__lte=now):
        poll_close(poll=poll, now=now)
        changed += 1
    return changed


# --- Ballots ----------------------------------------------------------------------------


# The key the confirmation form carries (a uuid4 hex); anything else is refused.
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class Receipt:
    code: str
    repeated: bool = False


def ballot_validate(*, poll: Poll, choices: dict[int, int]) -> dict[int, int]:
    """Check a ballot against the poll; returns the choices to store (zero values dropped).

    `choices` maps option ids to values: yes/no/abstain 1/2/3; approval 1 (ticked) or 0;
    points 0..cap. Raises BallotRefused with the reason; the person's vote stays unused.
    """
    option_ids = set(poll.options.values_list("pk", flat=True))
    unknown = set(choices) - option_ids
    if unknown:
        raise BallotRefused(_("The ballot names a proposal that is not part of this poll."))
    if any(not isinstance(v, int) or v < 0 for v in choices.values()):
        raise BallotRefused(_("Values on a ballot cannot be negative."))
    kept = {k: v for k, v in choices.items() if v}
    if poll.method == Poll.Method.YES_NO:
        if set(kept) != option_ids or any(v not in (1, 2, 3) for v in kept.values()):
            raise BallotRefused(_("Please choose yes, no or abstain for every proposal."))
    elif poll.method == Poll.Method.APPROVAL:
        if any(v != 1 for v in kept.values()):
            raise BallotRefused(_("A proposal can only be ticked or not."))
        if len(kept) > poll.max_choices:  # type: ignore[operator]
            raise BallotRefused(
                _("You ticked %(n)s proposals; at most %(k)s are allowed.")
                % {"n": len(kept), "k": poll.max_choices}
            )
    else:
        if any(v > poll.points_cap for v in kept.values()):  # type: ignore[operator]
            raise BallotRefused(_("At most %(cap)s points per proposal.") % {"cap": poll.points_cap})
        if sum(kept.values()) > poll.points_budget:  # type: ignore[operator]
            raise BallotRefused(
                _("You gave %(sum)s points; you have %(budget)s.")
                % {"sum": sum(kept.values()), "budget": poll.points_budget}
            )
    return kept


def _share_lock_open_poll(poll_id: int) -> Poll:
    """Read the poll under a shared lock: many ballots may be cast at once, but closing
    (which takes an exclusive lock) waits until they are committed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM plenary_poll WHERE id = %s FOR SHARE", [poll_id])
        return Poll.objects.get(pk=poll_id)
    return Poll.objects.select_for_update().get(pk=poll_id)


def ballot_cast(*, poll: Poll, user: User, choices: dict[int, int], submission_key: str) -> Receipt:
    """Cast a ballot once. The same submission again returns the same receipt."""
    if not user.is_authenticated:
        raise BallotRefused(_("Please log in to vote."))
    if not SUBMISSION_KEY.fullmatch(submission_key or ""):
        raise BallotRefused(_("The ballot form is incomplete. Please open the poll again."))
    try:
        with transaction.atomic():
            poll = _share_lock_open_poll(poll.pk)
            # Past its closing time the poll is closed, even if beat has not closed it yet.
            if poll.status != Poll.Status.OPEN or (poll.closes_at and timezone.now() >= poll.closes_at):
                raise BallotRefused(_("This poll is closed; your ballot was not counted."))
            eligible = EligibleVoter.objects.select_for_update().filter(poll=poll, user=user).first()
            if eligible is None:
                raise BallotRefused(_("You are not eligible to vote in this poll."))
            earlier = VoterRoll.objects.filter(poll=poll, user=user).first()
            if earlier is not None:
                return _repeat_or_refuse(earlier, submission_key)
            kept = ballot_validate(poll=poll, choices=choices)
            receipt = secrets.token_hex(8).upper()
            VoterRoll.objects.create(poll=poll, user=user, submission_key=submission_key, receipt=receipt)
            _store_ballot(poll=poll, user=user, kept=kept)
            return Receipt(code=receipt)
    except IntegrityError:
        # A parallel submission of the same person won the race; the constraint decided.
        earlier = VoterRoll.objects.filter(poll=poll, user=user).first()
        if earlier is None:
            raise
        return _repeat_or_refuse(earlier, submission_key)


def _repeat_or_refuse(earlier: VoterRoll, submission_key: str) -> Receipt:
    if earlier.submission_key == submission_key:
        return Receipt(code=earlier.receipt, repeated=True)
    raise BallotRefused(
        _("You have already voted in this poll. Your first ballot stands."), already_voted=True
    )


def _store_ballot(*, poll: Poll, user: User, kept: dict[int, int]) -> None:
    method = poll.method
    ballot = Ballot.objects.create(
        poll=poll,
        voter=None if poll.secret else user,
        total_points=sum(kept.values()) if method == Poll.Method.POINTS else 0,
        ticks=len(kept) if method == Poll.Method.APPROVAL else 0,
        limit_points=poll.points_budget if method == Poll.Method.POINTS else None,
        limit_ticks=poll.max_choices if method == Poll.Method.APPROVAL else None,
    )
    limit: int = {Poll.Method.YES_NO: 3, Poll.Method.APPROVAL: 1, Poll.Method.POINTS: poll.points_cap}[method]  # type: ignore[index, assignment]
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, option_id=o, value=v, limit_value=limit) for o, v in kept.items()]
    )


# --- Reading results --------------------------------------------------------------------


def _ballot_set(poll: Poll) -> list[tuple[str, dict[int, int]]]:
    ballots: dict[str, dict[int, int]] = {}
    for ballot_id, option_id, value in BallotChoice.objects.filter(ballot__poll=poll).values_list(
        "ballot_id", "option_id", "value"
    ):
        ballots.setdefault(str(ballot_id), {})[option_id] = value
    # Ballots without any choice (e.g. an approval ballot that ticks nothing) count too.
    for ballot_id in Ballot.objects.filter(poll=poll).values_list("id", flat=True):
        ballots.setdefault(str(ballot_id), {})
    return list(ballots.items())


def poll_result(*, poll: Poll) -> PollResult:
    """The result, computed from the stored ballots. Only for closed or published polls."""
    if poll.status not in (Poll.Status.CLOSED, Poll.Status.PUBLISHED):
        raise PlenaryError(_("Nobody sees results before the poll is closed."))
    options = [(o.pk, o.title) for o in poll.options.select_related("pilot")]
    return compute_results(
        method=poll.method,
        options=options,
        ballots=[choices for _id, choices in _ballot_set(poll)],
        eligible=poll.eligible_count,
        quorum=poll.quorum if poll.method == Poll.Method.YES_NO else None,
        selection_size=poll.selection_size,
    )


def poll_export(*, poll: Poll) -> dict:
    """The anonymised ballots and everything needed to recount (published polls)."""
    if poll.status != Poll.Status.PUBLISHED:
        raise PlenaryError(_("The ballots are exported once the result is published."))
    return {
        "poll": poll.pk,
        "title": poll.title,
        "method": poll.method,
        "quorum": poll.quorum if poll.method == Poll.Method.YES_NO else None,
        "selection_size": poll.selection_size,
        "eligible": poll.eligible_count,
        "ballot_hash": poll.ballot_hash,
        "options": [{"id": o.pk, "title": o.title} for o in poll.options.select_related("pilot")],
        "ballots": [
            {"id": ballot_id, "choices": {str(k): v for k, v in sorted(choices.items())}}
            for ballot_id, choices in sorted(_ballot_set(poll))
        ],
    }


def turnout(*, poll: Poll) -> tuple[int, int]:
    """(ballots, eligible) — the only figure anyone sees while a poll is open."""
    return VoterRoll.objects.filter(poll=poll).count(), poll.eligible_count


def has_voted(*, poll: Poll, user: User) -> VoterRoll | None:
    if not user.is_authenticated:
        return None
    return VoterRoll.objects.filter(poll=poll, user=user).first()
