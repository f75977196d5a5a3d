"""Casting ballots: once per person, validated, confirmed, receipts; results and recounts."""

import json

import pytest
from django.db import IntegrityError, transaction

from plenary import services
from plenary.models import Ballot, BallotChoice, Poll, SealedBallot, VoterRoll
from plenary.results import recount
from tests.accounts.factories import UserFactory

from .conftest import close_and_count


def opt(poll):
    return list(poll.options.values_list("pk", flat=True))


@pytest.mark.django_db
def test_same_submission_twice_gives_the_same_receipt_and_one_ballot(make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    a, b, *_ = opt(poll)
    first = services.ballot_cast(poll=poll, user=voters[0], choices={a: 1}, submission_key="k1")
    again = services.ballot_cast(poll=poll, user=voters[0], choices={a: 1}, submission_key="k1")
    assert first.code == again.code and again.repeated
    assert first.digest == again.digest == SealedBallot.objects.get().digest
    assert SealedBallot.objects.count() == 1 and VoterRoll.objects.count() == 1


@pytest.mark.django_db
def test_a_different_second_ballot_is_refused_and_the_first_stands(make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    a, b, *_ = opt(poll)
    services.ballot_cast(poll=poll, user=voters[0], choices={a: 1}, submission_key="k1")
    with pytest.raises(services.BallotRefused, match="bereits abgestimmt") as refusal:
        services.ballot_cast(poll=poll, user=voters[0], choices={b: 1}, submission_key="k2")
    assert refusal.value.already_voted
    close_and_count(poll)
    assert list(BallotChoice.objects.values_list("option_id", flat=True)) == [a]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "bad", "message"),
    [
        ("approval", lambda o: {o[0]: 1, o[1]: 1, o[2]: 1}, "höchstens 2"),
        ("approval", lambda o: {o[0]: 2}, "angekreuzt"),
        ("points", lambda o: {o[0]: 3, o[1]: 3}, "Sie haben 5"),
        ("points", lambda o: {o[0]: 4}, "Höchstens 3 Punkte"),
        ("points", lambda o: {o[0]: -1}, "negativ"),
        ("yes_no", lambda o: {o[0]: 1}, "jeden Vorschlag"),
        ("yes_no", lambda o: dict.fromkeys(o, 7), "jeden Vorschlag"),
        ("approval", lambda o: {999999: 1}, "nicht Teil dieser Abstimmung"),
    ],
)
def test_invalid_ballots_are_refused_without_using_up_the_vote(make_poll, voters, method, bad, message):
    poll = services.poll_open(poll=make_poll(voters=voters, method=method))
    options = opt(poll)
    with pytest.raises(services.BallotRefused, match=message):
        services.ballot_cast(poll=poll, user=voters[0], choices=bad(options), submission_key="bad")
    assert not VoterRoll.objects.exists() and not SealedBallot.objects.exists()
    good = {"approval": {options[0]: 1}, "points": {options[0]: 2}, "yes_no": dict.fromkeys(options, 3)}[
        method
    ]
    assert services.ballot_cast(poll=poll, user=voters[0], choices=good, submission_key="good").code


@pytest.mark.django_db
def test_the_database_itself_refuses_an_over_budget_ballot(make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters, method="points"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(poll=poll, total_points=6, limit_points=5)
    ballot = Ballot.objects.create(poll=poll, total_points=3, limit_points=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        BallotChoice.objects.create(ballot=ballot, option_id=opt(poll)[0], value=4, limit_value=3)


@pytest.mark.django_db
def test_eligibility_is_explicit_and_frozen_at_opening(make_poll, voters, meeting):
    poll = services.poll_open(poll=make_poll(voters=voters[:2]))
    a = opt(poll)[0]
    late = voters[2]
    services.attendee_add(meeting=meeting, user=late, by=None)  # registered after opening
    for person in (late, UserFactory()):
        with pytest.raises(services.BallotRefused, match="nicht stimmberechtigt"):
            services.ballot_cast(poll=poll, user=person, choices={a: 1}, submission_key="x")
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.BallotRefused, match="melden Sie sich an"):
        services.ballot_cast(poll=poll, user=AnonymousUser(), choices={a: 1}, submission_key="x")
    assert poll.eligible_count == 2


@pytest.mark.django_db
def test_working_group_poll_is_for_the_groups_members(make_poll, voters):
    from workgroups.models import Membership, WorkingGroup

    group = WorkingGroup.objects.get(slug="energie-umwelt")
    Membership.objects.create(group=group, user=voters[0], role=Membership.Role.MEMBER)
    poll = make_poll(eligibility="workgroups")
    poll.meeting = None
    poll.save()
    poll.eligible_groups.add(group)
    poll = services.poll_open(poll=poll)
    assert list(poll.eligible_voters.values_list("user", flat=True)) == [voters[0].pk]


@pytest.mark.django_db
def test_closed_poll_refuses_ballots_and_closing_twice_changes_nothing(make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    a = opt(poll)[0]
    services.ballot_cast(poll=poll, user=voters[0], choices={a: 1}, submission_key="k")
    closed = services.poll_close(poll=poll)
    digest = closed.ballot_hash
    again = services.poll_close(poll=poll)
    assert again.ballot_hash == digest and again.closed_at == closed.closed_at
    with pytest.raises(services.BallotRefused, match="geschlossen"):
        services.ballot_cast(poll=poll, user=voters[1], choices={a: 1}, submission_key="k")


@pytest.mark.django_db
def test_nobody_sees_results_of_an_open_poll(make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    with pytest.raises(services.PlenaryError):
        services.poll_result(poll=poll)
    assert services.turnout(poll=poll) == (0, 5)


@pytest.mark.django_db
def test_result_ties_boundary_flag_recount_and_ranks_on_pilots(make_poll, voters, team_member):
    poll = services.poll_open(poll=make_poll(voters=voters, method="points"))
    a, b, c, d = opt(poll)
    ballots = [{a: 3, b: 2}, {a: 3, c: 2}, {b: 3, c: 1}, {d: 1}, {}]
    for person, choices in zip(voters, ballots, strict=True):
        services.ballot_cast(poll=poll, user=person, choices=choices, submission_key="k")
    poll = close_and_count(poll, by=team_member)
    result = services.poll_publish(poll=poll, by=team_member)
    scores = {r.title: (r.score, r.rank, r.tied) for r in result.options}
    assert scores["Mobilitätsinsel"] == (6, 1, False)
    assert scores["Digitales Stadtleitsystem"] == (5, 2, False)
    assert scores["Smarte Müllentsorgung"] == (3, 3, False)
    assert result.ballots == 5 and result.turnout_percent == 100.0
    # Recount from the public export: the same numbers.
    export = json.loads(json.dumps(services.poll_export(poll=Poll.objects.get(pk=poll.pk))))
    assert recount(export) == services.poll_result(poll=Poll.objects.get(pk=poll.pk))
    # Publishing recorded each proposal's rank on the pilot.
    from pilots.models import Pilot

    ranks = dict(Pilot.objects.values_list("title", "plenary_rank"))
    assert ranks["Mobilitätsinsel"] == 1 and ranks["Autarke Solarleuchte"] == 4
    assert set(Pilot.objects.values_list("status", flat=True)) == {"prioritised"}


@pytest.mark.django_db
def test_a_tie_across_the_last_place_is_flagged(make_poll, voters, team_member):
    poll = services.poll_open(poll=make_poll(voters=voters, method="approval", max_choices=2))
    a, b, c, d = opt(poll)
    for person, choices in zip(voters[:3], [{a: 1, b: 1}, {a: 1, c: 1}, {b: 1, c: 1}], strict=True):
        services.ballot_cast(poll=poll, user=person, choices=choices, submission_key="k")
    result = services.poll_result(poll=close_and_count(poll))
    assert [r.rank for r in result.options] == [1, 1, 1, 4]
    assert result.boundary_tie  # selection_size is 2, three proposals share rank 1


@pytest.mark.django_db
def test_secret_ballots_share_no_joinable_value_with_the_voter_roll(make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters, method="approval"))
    a = opt(poll)[0]
    for person in voters:
        services.ballot_cast(poll=poll, user=person, choices={a: 1}, submission_key=f"key-{person.pk}")
    assert not Ballot.objects.exists() and not BallotChoice.objects.exists()  # only sealed ballots
    close_and_count(poll)
    assert not SealedBallot.objects.exists()
    ballot_values = set()
    for row in Ballot.objects.values():
        ballot_values |= {str(v) for k, v in row.items() if k != "poll_id"}
    for row in BallotChoice.objects.values():
        ballot_values |= {str(v) for k, v in row.items()}
    roll_values = set()
    for row in VoterRoll.objects.values():
        roll_values |= {str(v) for k, v in row.items() if k != "poll_id"}
    # Only the poll itself is common to both (and small numbers like the value 1 vs. ids must
    # not be mistaken for keys: the roll's columns are user, time, key, receipt and hash).
    shared = {v for v in ballot_values & roll_values if v not in {"None", "0", "1", "2", "3"}}
    assert shared == set()
    assert {f.name for f in Ballot._meta.get_fields()} >= {"id", "poll", "voter"}
    assert not any(f.name in {"created_at", "voted_at", "cast_at"} for f in Ballot._meta.get_fields())
    assert not any(f.name in {"created_at", "voted_at", "cast_at"} for f in SealedBallot._meta.get_fields())
    assert Ballot.objects.filter(voter__isnull=False).count() == 0
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"


@pytest.mark.django_db
def test_named_poll_keeps_the_voter_on_the_ballot(make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters, secret=False))
    services.ballot_cast(poll=poll, user=voters[0], choices={opt(poll)[0]: 1}, submission_key="k")
    assert Ballot.objects.get().voter == voters[0]


@pytest.mark.django_db
def test_audit_log_records_state_changes_but_no_votes(make_poll, voters, team_member):
    poll = services.poll_open(poll=make_poll(voters=voters), by=team_member)
    services.ballot_cast(poll=poll, user=voters[0], choices={opt(poll)[0]: 1}, submission_key="k")
    close_and_count(poll, by=team_member)
    actions = list(poll.audit_entries.order_by("created_at", "pk").values_list("action", flat=True))
    assert actions == ["poll_key_set", "poll_opened", "poll_closed", "poll_counted"]
    counted = poll.audit_entries.get(action="poll_counted")
    assert counted.detail == {"ballots": 1} and counted.actor == team_member


@pytest.mark.django_db
def test_counting_writes_secret_ballots_in_an_order_that_reveals_nothing(make_poll, meeting):
    people = [UserFactory() for _ in range(30)]
    poll = services.poll_open(poll=make_poll(voters=people, method="points", points_budget=5, points_cap=3))
    a, b, c, d = opt(poll)
    truth = {}
    for i, person in enumerate(people):
        choice = {a: 1 + i % 3, b: 1 + (i // 3) % 2}
        truth[person.pk] = choice
        services.ballot_cast(poll=poll, user=person, choices=choice, submission_key=f"k{i}")
    sealed = {str(pk) for pk in SealedBallot.objects.values_list("id", flat=True)}
    close_and_count(poll)
    # New keys, and the physical order does not follow the order of voting.
    assert sealed.isdisjoint({str(pk) for pk in Ballot.objects.values_list("id", flat=True)})
    roll_order = list(VoterRoll.objects.order_by("pk").values_list("user_id", flat=True))
    ballot_order = _ballots_in_storage_order(poll)
    matches = sum(truth[user] == ballot for user, ballot in zip(roll_order, ballot_order, strict=True))
    assert matches < 20  # by chance about a sixth match; in voting order all 30 would
    # The result is unchanged.
    result = services.poll_result(poll=Poll.objects.get(pk=poll.pk))
    assert result.ballots == 30


def _ballots_in_storage_order(poll):
    from django.db import connection

    column = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM plenary_ballot WHERE poll_id = %s ORDER BY {column}", [poll.pk])
        ids = [row[0] for row in cursor.fetchall()]
    by_id = {}
    for choice in BallotChoice.objects.filter(ballot__poll=poll):
        by_id.setdefault(str(choice.ballot_id).replace("-", ""), {})[choice.option_id] = choice.value
    return [by_id.get(str(i).replace("-", ""), {}) for i in ids]


@pytest.mark.django_db
def test_a_poll_past_its_closing_time_takes_no_ballot_even_before_beat_closes_it(make_poll, voters, client):
    from datetime import timedelta

    from django.utils import timezone

    poll = services.poll_open(poll=make_poll(voters=voters))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    poll.refresh_from_db()
    with pytest.raises(services.BallotRefused, match="geschlossen"):
        services.ballot_cast(poll=poll, user=voters[0], choices={opt(poll)[0]: 1}, submission_key="k")
    page = client.get(poll.get_absolute_url())  # a page view shows it closed but changes nothing
    assert "Die Abstimmung ist geschlossen." in page.text and "Stimmzettel prüfen" not in page.text
    assert services.close_due_polls() == 1  # beat records the closing
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "a\x00b", "x" * 65, "<script>"])
def test_malformed_submission_keys_are_refused(make_poll, voters, key):
    poll = services.poll_open(poll=make_poll(voters=voters))
    with pytest.raises(services.BallotRefused, match="unvollständig"):
        services.ballot_cast(poll=poll, user=voters[0], choices={opt(poll)[0]: 1}, submission_key=key)
    assert not VoterRoll.objects.exists()


@pytest.mark.django_db
def test_personal_data_lists_votes_but_never_choices(make_poll, voters):
    from geraportal.accounts.personal_data import export_for

    poll = services.poll_open(poll=make_poll(voters=voters))
    receipt = services.ballot_cast(poll=poll, user=voters[0], choices={opt(poll)[0]: 1}, submission_key="k")
    data = export_for(voters[0])["plenary"]
    assert data["votes"] == [
        {
            "poll": poll.title,
            "voted_at": data["votes"][0]["voted_at"],
            "receipt": receipt.code,
            "ballot_hash": receipt.digest,
        }
    ]
    assert len(data["attendances"]) == 1
