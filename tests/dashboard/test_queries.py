"""Every figure is one aggregate query (two for newsletter's running total and its issues), so
the pages cost the same number of queries with 5 or with 50 of everything."""

import datetime

import pytest
from django.utils import timezone

from ideas.models import Support
from plenary.models import Poll, VoterRoll
from tests.accounts.factories import UserFactory
from tests.ideas.factories import CommentFactory, IdeaFactory
from tests.newsletter.factories import SubscriberFactory
from tests.pilots.factories import PilotFactory
from tests.workgroups.factories import MeetingFactory, PostFactory

# Figures: participants 2, themes 1, districts 1, sources 2, comments and supports 2,
# working groups 1, pilots 1, polls 1, newsletter 4 = 15.
FIGURE_QUERIES = 15
PUBLIC_PAGE = FIGURE_QUERIES
# The person, their second factors and roles for the permission (the session is cached).
STAFF_PAGE = FIGURE_QUERIES + 4


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


@pytest.mark.parametrize("n", [5, 50])
def test_public_summary_query_count_is_flat(client, clock, db, django_assert_num_queries, n):
    populate(n)
    with django_assert_num_queries(PUBLIC_PAGE):
        response = client.get("/participation/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_staff_dashboard_query_count_is_flat(client, clock, team_member, django_assert_num_queries, n):
    populate(n)
    client.force_login(team_member)
    with django_assert_num_queries(STAFF_PAGE):
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
