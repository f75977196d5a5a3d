"""Ballots under load on PostgreSQL: many threads, each with its own database connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from geraportal.accounts.models import User
from plenary import services
from plenary.models import Attendee, Ballot, Poll, SealedBallot, VoterRoll
from plenary.results import digest_list_hash

from .conftest import close_and_count

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
    assert SealedBallot.objects.filter(poll=poll).count() == 250
    assert VoterRoll.objects.filter(poll=poll).count() == 250
    receipts: dict[int, set] = {}
    for (voter, _key), (_status, code) in zip(jobs, outcomes, strict=True):
        receipts.setdefault(voter.pk, set()).add(code)
    assert all(len(codes) == 1 for codes in receipts.values())
    poll = close_and_count(poll)
    assert Ballot.objects.filter(poll=poll).count() == 250
    assert services.poll_result(poll=poll).ballots == 250


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
    digests = list(VoterRoll.objects.filter(poll=poll).values_list("ballot_digest", flat=True))
    assert len(digests) == counted and digest_list_hash(digests) == poll.ballot_hash
    poll = close_and_count(poll)
    result = services.poll_result(poll=poll)
    assert result.ballots == counted == Ballot.objects.filter(poll=poll).count()
    assert services.poll_result(poll=poll) == result  # recomputed: the same numbers
    assert sorted(digests) == poll.sealed_digests
