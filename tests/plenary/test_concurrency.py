"""Ballots under load on PostgreSQL: many threads, each with its own database connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from geraportal.accounts.models import User
from plenary import services
from plenary.models import Attendee, Ballot, Poll, VoterRoll

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

THREADS = 24


def many_voters(meeting, count: int) -> list[User]:
    users = User.objects.bulk_create(
        [User(email=f"waehler{i}@example.org", display_name=f"Wähler {i}") for i in range(count)]
    )
    Attendee.objects.bulk_create([Attendee(meeting=meeting, user=u) for u in users])
    return users


def in_threads(function, jobs):
    def run(job):
        try:
            return function(*job)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, jobs))


def test_500_concurrent_submissions_of_250_voters_give_exactly_250_ballots(make_poll, meeting):
    assert connection.vendor == "postgresql"
    voters = many_voters(meeting, 250)
    poll = services.poll_open(poll=make_poll(method="approval", max_choices=2))
    options = list(poll.options.values_list("pk", flat=True))

    def cast(user, key):
        choice = {options[user.pk % len(options)]: 1}
        try:
            return ("ok", services.ballot_cast(poll=poll, user=user, choices=choice, submission_key=key).code)
        except Exception as error:  # every response must be a success
            return ("error", repr(error))

    jobs = [(voter, f"key-{voter.pk}") for voter in voters] * 2
    outcomes = in_threads(cast, jobs)
    assert [o for o in outcomes if o[0] != "ok"] == []
    assert Ballot.objects.filter(poll=poll).count() == 250
    assert VoterRoll.objects.filter(poll=poll).count() == 250
    receipts: dict[int, set] = {}
    for (voter, _key), (_status, code) in zip(jobs, outcomes, strict=True):
        receipts.setdefault(voter.pk, set()).add(code)
    assert all(len(codes) == 1 for codes in receipts.values())


def test_ballots_racing_a_close_are_either_counted_or_told_the_poll_closed(make_poll, meeting):
    voters = many_voters(meeting, 200)
    poll = services.poll_open(poll=make_poll(method="points", points_budget=5, points_cap=3))
    options = list(poll.options.values_list("pk", flat=True))

    def cast(user):
        try:
            services.ballot_cast(
                poll=poll, user=user, choices={options[0]: 2, options[1]: 3}, submission_key="k"
            )
            return "counted"
        except services.BallotRefused as refusal:
            assert "geschlossen" in str(refusal)
            return "closed"

    def close_midway():
        services.poll_close(poll=poll)
        connections.close_all()

    closer = threading.Timer(0.05, close_midway)
    closer.start()
    outcomes = in_threads(cast, [(v,) for v in voters])
    closer.join()
    poll = Poll.objects.get(pk=poll.pk)
    assert poll.status == Poll.Status.CLOSED
    counted = outcomes.count("counted")
    assert counted + outcomes.count("closed") == 200
    result = services.poll_result(poll=poll)
    assert result.ballots == counted == Ballot.objects.filter(poll=poll).count()
    assert services.poll_result(poll=poll) == result  # recomputed: the same numbers
    from plenary.results import ballot_hash

    assert ballot_hash(services._ballot_set(poll)) == poll.ballot_hash


def test_after_closing_no_transaction_id_pairs_ballots_with_the_voter_roll(make_poll, meeting):
    voters = many_voters(meeting, 21)
    poll = services.poll_open(poll=make_poll(method="approval", max_choices=2))
    option = poll.options.values_list("pk", flat=True)[0]
    for i, voter in enumerate(voters[:20]):
        services.ballot_cast(poll=poll, user=voter, choices={option: 1}, submission_key=f"k{i}")
    join = """SELECT count(*) FROM plenary_voterroll vr JOIN plenary_ballot b
              ON b.xmin = vr.xmin AND b.poll_id = vr.poll_id WHERE vr.poll_id = %s"""

    def paired() -> int:
        with connection.cursor() as cursor:
            cursor.execute(join, [poll.pk])
            return cursor.fetchone()[0]

    assert paired() == 20  # freshly cast, each ballot shares its transaction with its roll row
    assert services.ballots_reshuffle_open() == 1  # what beat does every five minutes
    assert paired() == 0
    services.ballot_cast(poll=poll, user=voters[20], choices={option: 1}, submission_key="late")
    assert paired() == 1
    services.poll_close(poll=poll)
    with connection.cursor() as cursor:
        cursor.execute(join, [poll.pk])
        assert cursor.fetchone()[0] == 0
    assert Ballot.objects.filter(poll=poll).count() == 21
