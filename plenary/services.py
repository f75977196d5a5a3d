"""Writes of the plenary: meetings, the poll lifecycle and casting ballots."""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geraportal.accounts.models import User
from geraportal.core.audit import snapshot, staff_action_record, staff_change_record
from geraportal.notifications.services import notify
from pilots.models import Pilot
from pilots.services import pilot_record_plenary_result

from . import sealing
from .models import (
    AgendaItem,
    Attendee,
    AuditEntry,
    Ballot,
    BallotChoice,
    EligibleVoter,
    Meeting,
    Poll,
    PollOption,
    SealedBallot,
    VoterRoll,
)
from .notifications import ELIGIBLE_VOTERS, PLENARY, POLL_FOLLOWERS
from .predicates import is_eligible_voter
from .results import PollResult, ballot_hash, compute_results, digest_list_hash


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
    if actor is not None:  # a person's action also goes to the portal-wide log of staff actions
        target = poll if poll is not None else meeting
        staff_action_record(
            actor=actor, action=f"plenary.{action}", target=target, summary=str(target), after=detail
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


def poll_set_key(*, poll: Poll, passphrase: str, by: User | None) -> Poll:
    """Give a secret draft poll its key pair, derived from the officers' passphrase.

    Only the public key, the salt and the Argon2id limits are stored; whoever counts must
    enter the same passphrase again. Setting it again while the poll is a draft replaces it.
    """
    try:
        key = sealing.new_key(passphrase)  # outside the transaction: Argon2id takes a second
    except sealing.SealingError as error:
        raise PlenaryError(str(error)) from error
    with transaction.atomic():
        poll = _lock(poll)
        if not poll.secret:
            raise PlenaryError(_("Only a secret poll needs a passphrase."))
        if poll.status != Poll.Status.DRAFT:
            raise PlenaryError(_("The passphrase is set before the poll opens."))
        poll.public_key, poll.key_salt = key.public_key, key.salt
        poll.key_opslimit, poll.key_memlimit = key.opslimit, key.memlimit
        poll.save(update_fields=["public_key", "key_salt", "key_opslimit", "key_memlimit"])
        _audit(action="poll_key_set", actor=by, poll=poll)
    return poll


@transaction.atomic
def poll_open(*, poll: Poll, by: User | None = None, now: datetime | None = None) -> Poll:
    """Open a draft poll: freeze its configuration and the list of who may vote."""
    poll = _lock(poll)
    if poll.status != Poll.Status.DRAFT:
        raise PlenaryError(_("Only a draft poll can be opened."))
    if poll.secret and not poll.public_key:
        raise PlenaryError(_("A secret poll opens only after its officers have set the passphrase."))
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
    notify(
        kind=PLENARY,
        audience=ELIGIBLE_VOTERS,
        audience_args={"poll_id": poll.pk},
        event_key=f"plenary.poll_opened:{poll.pk}",
        template="plenary/notifications/poll_opened",
        context={"poll_title": poll.title, "closes_at": _local(poll.closes_at)},
        url=poll.get_absolute_url(),
        actor=by,
    )
    return poll


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


@transaction.atomic
def poll_close(*, poll: Poll, by: User | None = None, now: datetime | None = None) -> Poll:
    """Close an open poll and fix the hash of its ballots. Closing twice changes nothing."""
    poll = _lock(poll)  # waits for ballots being cast right now (they hold a share lock)
    if poll.status != Poll.Status.OPEN:
        return poll
    poll.status = Poll.Status.CLOSED
    poll.closed_at = now or timezone.now()
    if poll.sealed:
        # The sealed ballots are fixed now; counting checks it opens exactly these.
        poll.ballot_hash = digest_list_hash(list(poll.sealed_ballots.values_list("digest", flat=True)))
    else:
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
    if poll.awaits_count:
        raise PlenaryError(_("The sealed ballots must be counted before the result is published."))
    result = poll_result(poll=poll)
    poll.status = Poll.Status.PUBLISHED
    poll.published_at = timezone.now()
    poll.save(update_fields=["status", "published_at"])
    _audit(action="poll_published", actor=by, poll=poll)
    notify(
        kind=PLENARY,
        audience=POLL_FOLLOWERS,
        audience_args={"poll_id": poll.pk},
        event_key=f"plenary.poll_published:{poll.pk}",
        template="plenary/notifications/poll_published",
        context={
            "poll_title": poll.title,
            "ranking": [f"{row.rank}. {row.title}" for row in result.options],
        },
        url=poll.get_absolute_url(),
        actor=by,
    )
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


def poll_count(*, poll: Poll, passphrase: str, by: User | None, now: datetime | None = None) -> Poll:
    """Count a closed secret poll: open its sealed ballots with the officers' passphrase.

    In memory: derive the private key, open every sealed ballot, check it, shuffle. In one
    transaction: delete the sealed ballots (their hashes stay on the poll, for voters to find
    theirs) and write the plaintext ballots in that random order with new random keys. The
    plaintext thus first reaches the database here, all in one transaction that no voter's
    transaction id, physical position or log record is next to. The key is then dropped.
    """
    poll = Poll.objects.get(pk=poll.pk)
    if not poll.awaits_count:
        raise PlenaryError(_("Only a closed secret poll that has not been counted can be counted."))
    assert poll.key_opslimit is not None and poll.key_memlimit is not None  # a sealed poll has its key
    key = sealing.PollKey(
        public_key=poll.public_key, salt=poll.key_salt, opslimit=poll.key_opslimit, memlimit=poll.key_memlimit
    )
    try:
        private_key = sealing.unlock(passphrase, key=key)  # outside the lock: Argon2id takes a second
    except sealing.SealingError as error:
        raise PlenaryError(str(error)) from error
    try:
        with transaction.atomic():
            poll = _lock(poll)
            if not poll.awaits_count:
                raise PlenaryError(_("Only a closed secret poll that has not been counted can be counted."))
            sealed = list(poll.sealed_ballots.values_list("digest", "ciphertext"))
            digests = [digest for digest, _ciphertext in sealed]
            if digest_list_hash(digests) != poll.ballot_hash:
                raise PlenaryError(
                    _("The sealed ballots differ from those fixed at closing; nothing was counted.")
                )
            option_ids = set(poll.options.values_list("pk", flat=True))
            ballots = []
            for digest, stored in sealed:
                ciphertext = bytes(stored)  # PostgreSQL hands binary columns back as memoryview
                if sealing.digest(ciphertext) != digest:
                    raise PlenaryError(_("A sealed ballot was altered; nothing was counted."))
                plaintext = sealing.open_sealed(ciphertext, private_key=private_key)
                choices = sealing.decode_ballot(plaintext, option_ids=sorted(option_ids))
                ballots.append(ballot_validate(poll=poll, choices=choices, option_ids=option_ids))
            del sealed
            secrets.SystemRandom().shuffle(ballots)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # lets the immutability trigger allow this one delete
                    cursor.execute("SET LOCAL plenary.counting = 'on'")
            poll.sealed_ballots.all().delete()
            _write_ballots(poll=poll, ballots=ballots)
            poll.sealed_digests = sorted(digests)
            poll.counted_at = now or timezone.now()
            poll.save(update_fields=["sealed_digests", "counted_at"])
            _audit(action="poll_counted", actor=by, poll=poll, ballots=len(ballots))
            if connection.vendor == "postgresql":
                transaction.on_commit(_vacuum_sealed_ballots, robust=True)
    except sealing.SealingError as error:
        raise PlenaryError(str(error)) from error
    finally:
        del private_key  # Python cannot wipe memory; at least nothing keeps a reference
    return poll


def _write_ballots(*, poll: Poll, ballots: list[dict[int, int]]) -> None:
    """Insert a secret poll's counted ballots in the order given, with new random keys."""
    rows, choices = [], []
    limit = _value_limit(poll)
    for kept in ballots:
        ballot = Ballot(poll=poll, **_ballot_totals(poll, kept))
        rows.append(ballot)
        choices += [
            BallotChoice(ballot=ballot, option_id=o, value=v, limit_value=limit) for o, v in kept.items()
        ]
    Ballot.objects.bulk_create(rows, batch_size=1000)
    BallotChoice.objects.bulk_create(choices, batch_size=1000)


def _vacuum_sealed_ballots() -> None:
    # Removes the deleted sealed ballots' row versions from the table files too.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM plenary_sealedballot")


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
    digest: str = ""  # secret polls: the SHA-256 of the sealed ballot, found in the published list
    poll: Poll | None = field(default=None, compare=False, repr=False)  # as the cast read it: for the receipt


def ballot_validate(
    *, poll: Poll, choices: dict[int, int], option_ids: set[int] | None = None
) -> dict[int, int]:
    """Check a ballot against the poll; returns the choices to store (zero values dropped).

    `choices` maps option ids to values: yes/no/abstain 1/2/3; approval 1 (ticked) or 0;
    points 0..cap. Raises BallotRefused with the reason; the person's vote stays unused.
    """
    if option_ids is None:
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


def _share_lock_open_poll(poll_id: int) -> tuple[Poll, set[int]]:
    """The poll and its option ids, read under a shared lock: many ballots may be cast at once,
    but closing (which takes an exclusive lock) waits until they are committed. One query on
    PostgreSQL (the cast's transaction stays short; the options are frozen once it is open)."""
    if connection.vendor == "postgresql":
        # The columns by name, not `*`: a prepared statement whose result changes shape (a
        # column added by a migration) fails on connections that prepared it before.
        names = [field.column for field in Poll._meta.concrete_fields if field.column]
        columns = ", ".join(f"plenary_poll.{connection.ops.quote_name(name)}" for name in names)
        rows = list(
            Poll.objects.raw(
                f"SELECT {columns}, ARRAY(SELECT o.id FROM plenary_polloption o"  # noqa: S608 (model's own columns)
                " WHERE o.poll_id = plenary_poll.id) AS locked_option_ids"
                " FROM plenary_poll WHERE plenary_poll.id = %s FOR SHARE OF plenary_poll",
                [poll_id],
            )
        )
        if not rows:
            raise Poll.DoesNotExist
        poll = rows[0]
        return poll, set(poll.locked_option_ids)  # type: ignore[attr-defined]  # a column of the raw query
    poll = Poll.objects.select_for_update().get(pk=poll_id)
    return poll, set(poll.options.values_list("pk", flat=True))


def ballot_cast(
    *,
    poll: Poll | int,
    user: User,
    choices: dict[int, int],
    submission_key: str,
    authorize: Callable[[Poll], None] | None = None,
) -> Receipt:
    """Cast a ballot once. The same submission again returns the same receipt.

    Lean, as all voters of a plenary cast in the same second (issue 16): the poll is read once,
    under the lock (`poll` may be its id); `authorize(poll)`, the caller's permission check,
    runs on that row in the transaction before anything is written, so the cast view reads the
    poll once for both (the checks and the voter list are read under the shared lock, which a
    closing poll waits for: a few queries of one ballot longer). The frozen voter list is read
    once (the view's check remembers it on the row), and an earlier ballot of the person is not
    looked up first but shows as the roll's unique constraint refusing the second row."""
    if not user.is_authenticated:
        raise BallotRefused(_("Please log in to vote."))
    if not SUBMISSION_KEY.fullmatch(submission_key or ""):
        raise BallotRefused(_("The ballot form is incomplete. Please open the poll again."))
    poll_id = poll if isinstance(poll, int) else poll.pk
    try:
        with transaction.atomic():
            poll, option_ids = _share_lock_open_poll(poll_id)
            if authorize is not None:
                authorize(poll)
            if not is_eligible_voter(user, poll):
                raise BallotRefused(_("You are not eligible to vote in this poll."))
            # Past its closing time the poll is closed, even if beat has not closed it yet.
            if poll.status != Poll.Status.OPEN or (poll.closes_at and timezone.now() >= poll.closes_at):
                raise BallotRefused(_("This poll is closed; your ballot was not counted."))
            if poll.secret and not poll.public_key:
                # Opened before ballots were sealed (see docs): never store a plaintext secret ballot.
                raise BallotRefused(
                    _("This poll cannot take secret ballots. Please contact the SMARTCity team.")
                )
            kept = ballot_validate(poll=poll, choices=choices, option_ids=option_ids)
            receipt = secrets.token_hex(8).upper()
            if poll.sealed:
                # Sealed here, in the request: only the ciphertext is written next to the roll row.
                plaintext = sealing.encode_ballot(option_ids=sorted(option_ids), choices=kept)
                ciphertext = sealing.seal(plaintext, public_key=poll.public_key)
                digest = sealing.digest(ciphertext)
                VoterRoll.objects.create(
                    poll=poll, user=user, submission_key=submission_key, receipt=receipt, ballot_digest=digest
                )
                SealedBallot.objects.create(poll=poll, digest=digest, ciphertext=ciphertext)
                return Receipt(code=receipt, digest=digest, poll=poll)
            VoterRoll.objects.create(poll=poll, user=user, submission_key=submission_key, receipt=receipt)
            _store_named_ballot(poll=poll, user=user, kept=kept)
            return Receipt(code=receipt, poll=poll)
    except IntegrityError:
        # The person's roll row exists: an earlier ballot, or a parallel submission of the same
        # person that won the race. The constraint decided; the first ballot stands.
        earlier = VoterRoll.objects.filter(poll_id=poll_id, user=user).first()
        if earlier is None:
            raise
        assert isinstance(poll, Poll)  # read under the lock before any row was written
        return _repeat_or_refuse(earlier, submission_key, poll=poll)


def _repeat_or_refuse(earlier: VoterRoll, submission_key: str, *, poll: Poll) -> Receipt:
    if earlier.submission_key == submission_key:
        return Receipt(code=earlier.receipt, repeated=True, digest=earlier.ballot_digest, poll=poll)
    raise BallotRefused(
        _("You have already voted in this poll. Your first ballot stands."), already_voted=True
    )


def _ballot_totals(poll: Poll, kept: dict[int, int]) -> dict:
    """The poll's limits copied onto the ballot row, for the CHECK constraints."""
    method = poll.method
    return {
        "total_points": sum(kept.values()) if method == Poll.Method.POINTS else 0,
        "ticks": len(kept) if method == Poll.Method.APPROVAL else 0,
        "limit_points": poll.points_budget if method == Poll.Method.POINTS else None,
        "limit_ticks": poll.max_choices if method == Poll.Method.APPROVAL else None,
    }


def _value_limit(poll: Poll) -> int:
    limits = {Poll.Method.YES_NO: 3, Poll.Method.APPROVAL: 1, Poll.Method.POINTS: poll.points_cap}
    limit = limits[Poll.Method(poll.method)]
    assert limit is not None  # a points poll has a cap (a constraint says so)
    return limit


def _store_named_ballot(*, poll: Poll, user: User, kept: dict[int, int]) -> None:
    ballot = Ballot.objects.create(poll=poll, voter=user, **_ballot_totals(poll, kept))
    limit = _value_limit(poll)
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
    if poll.awaits_count:
        raise PlenaryError(_("The sealed ballots have not been counted yet."))
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
    export = {
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
    if poll.sealed:
        export["ciphertext_hashes"] = sorted(poll.sealed_digests)
    return export


def turnout(*, poll: Poll) -> tuple[int, int]:
    """(ballots, eligible) — the only figure anyone sees while a poll is open."""
    return VoterRoll.objects.filter(poll=poll).count(), poll.eligible_count


def has_voted(*, poll: Poll, user: User) -> VoterRoll | None:
    if not user.is_authenticated:
        return None
    return VoterRoll.objects.filter(poll=poll, user=user).first()


# --- The back-office: meetings, agendas and draft polls ----------------------------------

MEETING_FIELDS = ("title", "slug", "starts_at", "place", "description", "registration_deadline")
POLL_FIELDS = (
    "meeting", "title", "description", "method", "max_choices", "points_budget", "points_cap", "quorum",
    "eligibility", "secret", "selection_size", "opens_at", "closes_at",
)  # fmt: skip


@dataclass(frozen=True)
class AgendaEntry:
    title: str
    pilot: Pilot | None
    pk: int | None = None


@transaction.atomic
def meeting_save(*, meeting: Meeting, agenda: list[AgendaEntry], by: User) -> Meeting:
    """Create or change a plenary meeting and its agenda (items in the order given)."""
    created = meeting.pk is None
    before = {}
    if not created:
        old = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = {**snapshot(old, MEETING_FIELDS), "agenda": [str(i) for i in old.agenda_items.all()]}
    if any(entry.pilot is not None and entry.pilot.status == Pilot.Status.DRAFT for entry in agenda):
        raise PlenaryError(_("A working group's draft cannot be on the agenda; it must be proposed first."))
    meeting.full_clean()
    meeting.save()
    existing = {item.pk: item for item in meeting.agenda_items.all()}
    keep = {entry.pk for entry in agenda if entry.pk in existing}
    meeting.agenda_items.exclude(pk__in=keep).delete()
    for position, entry in enumerate(agenda, start=1):
        item = existing.get(entry.pk) if entry.pk else None
        item = item or AgendaItem(meeting=meeting)
        item.title, item.pilot, item.position = entry.title, entry.pilot, position
        item.save()
    after = {**snapshot(meeting, MEETING_FIELDS), "agenda": [e.title for e in agenda]}
    staff_change_record(
        actor=by,
        action="meeting_created" if created else "meeting_changed",
        target=meeting,
        summary=meeting.title,
        before=before,
        after=after,
    )
    return meeting


@transaction.atomic
def poll_save(*, poll: Poll, pilots: list[Pilot], groups, by: User) -> Poll:
    """Create or change a draft poll: its method, options (proposals), eligibility and times.

    Once open, a poll's configuration is frozen (the ballots are cast against it).
    """
    created = poll.pk is None
    before = {}
    if not created:
        old = _lock(poll)
        if old.status != Poll.Status.DRAFT:
            raise PlenaryError(_("Only a draft poll can be changed; this one is already open."))
        before = {
            **snapshot(old, POLL_FIELDS),
            "options": [o.pilot.title for o in old.options.select_related("pilot")],
        }
    if any(pilot.status == Pilot.Status.DRAFT for pilot in pilots):
        raise PlenaryError(_("A working group's draft cannot be put to the vote; it must be proposed first."))
    if not pilots:
        raise PlenaryError(_("A poll needs at least one proposal."))
    poll.status = Poll.Status.DRAFT
    poll.full_clean()
    poll.save()
    poll.eligible_groups.set(groups if poll.eligibility == Poll.Eligibility.WORKGROUPS else [])
    wanted = [pilot.pk for pilot in pilots]
    poll.options.exclude(pilot_id__in=wanted).delete()
    have = set(poll.options.values_list("pilot_id", flat=True))
    for position, pilot in enumerate(pilots):
        if pilot.pk in have:
            poll.options.filter(pilot=pilot).update(position=position)
        else:
            PollOption.objects.create(poll=poll, pilot=pilot, position=position)
    after = {**snapshot(poll, POLL_FIELDS), "options": [pilot.title for pilot in pilots]}
    staff_change_record(
        actor=by,
        action="poll_created" if created else "poll_changed",
        target=poll,
        summary=poll.title,
        before=before,
        after=after,
    )
    return poll
