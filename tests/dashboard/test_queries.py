"""Every count is one aggregate query, so the pages cost the same number of queries with 5 or
with 50 of everything, with the nightly roll-up and without it."""

import datetime

import pytest
from django.utils import timezone

from dashboard import rollup
from ideas.models import Support
from plenary.models import Poll, VoterRoll
from tests.accounts.factories import UserFactory
from tests.ideas.factories import CommentFactory, IdeaFactory
from tests.newsletter.factories import SubscriberFactory
from tests.pilots.factories import PilotFactory
from tests.workgroups.factories import MeetingFactory, PostFactory

# The roll-up's state 1; one live count for each of the nine tallies (accounts, ideas per
# theme, district and source, comments, supports, threads, posts, meetings) and the active
# people 1; the working groups' names 2; pilots 1, polls 1, newsletter 4 = 19. With a roll-up:
# its days of every tally at once 1, and its active people 1 = 21.
FIGURE_QUERIES = {False: 19, True: 21}
# The person, their second factors and roles for the permission (the session is cached).
STAFF_EXTRA = 4


def populate(n: int) -> None:
    moment = timezone.now() - datetime.timedelta(days=20)
    people = [UserFactory(date_joined=moment) for _ in range(n)]
    ideas = [IdeaFactory(author=p, created_at=moment, hidden=k % 5 == 0) for k, p in enumerate(people)]
    for k, (person, idea) in enumerate(zip(people, ideas, strict=True)):
        CommentFactory(idea=idea, author=person, created_at=moment)
        Support.objects.create(idea=ideas[k - 1], user=person, created_at=moment)
        PostFactory(author=person, created_at=moment, thread__visibility="public" if k % 2 else "members")
        MeetingFactory(starts_at=moment, ends_at=moment + datetime.timedelta(hours=1), visibility="public")
        PilotFactory(status="implementation", budget_planned=1000)
        SubscriberFactory(confirmed_at=moment, requested_at=moment)
        poll = Poll.objects.create(
            title=f"Abstimmung {k}", method="yes_no", eligibility="citizens", secret=False,
            status="published" if k % 2 else "closed", opened_at=moment, eligible_count=n,
        )  # fmt: skip
        VoterRoll.objects.create(poll=poll, user=person, submission_key=f"k{k}", receipt=f"r{k}")


@pytest.mark.parametrize("rolled", [False, True], ids=["live", "rolled up"])
@pytest.mark.parametrize("n", [5, 50])
def test_public_summary_query_count_is_flat(client, clock, db, django_assert_num_queries, n, rolled):
    populate(n)
    if rolled:
        rollup.rebuild()
    with django_assert_num_queries(FIGURE_QUERIES[rolled]):
        response = client.get("/participation/")
    assert response.status_code == 200


@pytest.mark.parametrize("rolled", [False, True], ids=["live", "rolled up"])
@pytest.mark.parametrize("n", [5, 50])
def test_staff_dashboard_query_count_is_flat(
    client, clock, team_member, django_assert_num_queries, n, rolled
):
    populate(n)
    if rolled:
        rollup.rebuild()
    client.force_login(team_member)
    with django_assert_num_queries(FIGURE_QUERIES[rolled] + STAFF_EXTRA):
        response = client.get("/staff/beteiligung/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_csv_is_the_figure_s_queries_only(client, clock, db, django_assert_num_queries, n):
    populate(n)
    with django_assert_num_queries(4):
        response = client.get("/participation/newsletter.csv")
    assert response.status_code == 200
    with django_assert_num_queries(1):
        client.get("/participation/polls.csv")


def test_logged_in_visitors_share_the_public_figures_until_the_content_changes(
    client, clock, db, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The anonymous summary comes whole from the page cache; a logged-in visitor gets a page of
    their own, but not the figures' 19 aggregate queries each time (issue 16: under load those
    made the page answer in seconds, or not at all). The figures are kept in the shared cache
    under the content version, so a new public idea counts at once."""
    settings.PAGE_CACHE_SECONDS = 300
    populate(5)
    client.force_login(UserFactory())
    first = client.get("/participation/")
    assert first.status_code == 200
    with django_assert_num_queries(2):  # the person and their unread notifications
        again = client.get("/participation/")
    assert again.content.count(b"<canvas") == first.content.count(b"<canvas")
    ideas_before = again.context["figures"][1]["figure"].rows
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory()
    after = client.get("/participation/").context["figures"][1]["figure"].rows
    assert sum(row[1] for row in after) == sum(row[1] for row in ideas_before) + 1
