"""Queries per endpoint, pinned and flat as rows are added (5 or 50 of each)."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def make_rows(n: int) -> None:
    from ideas.models import Idea
    from pilots.models import Pilot
    from plenary.models import AgendaItem, Meeting, Poll, PollOption
    from tests.ideas.factories import CompetitionFactory, IdeaFactory
    from tests.pages.factories import EventFactory, NewsPostFactory
    from tests.pilots.factories import MilestoneFactory, PilotFactory, PilotUpdateFactory
    from tests.workgroups.factories import MeetingFactory

    competition = CompetitionFactory(slug="wettbewerb")
    ideas = IdeaFactory.create_batch(n, latitude=50.9, longitude=12.1, competition=competition)
    Idea.objects.filter(pk=ideas[0].pk).update(status="merged", merged_into=ideas[1])
    pilot = PilotFactory(slug="mobilitaetsinsel", ideas=ideas[:n])
    for p in PilotFactory.create_batch(n):
        MilestoneFactory(pilot=p)
        p.districts.set([1, 2])
    MilestoneFactory.create_batch(n, pilot=pilot)
    PilotUpdateFactory.create_batch(n, pilot=pilot)
    MeetingFactory.create_batch(n, visibility="public")
    NewsPostFactory.create_batch(n)
    EventFactory.create_batch(n)
    CompetitionFactory.create_batch(n)
    meeting = Meeting.objects.create(title="Plenum", slug="plenum", starts_at=timezone.now(), place="Gera")
    for i in range(n):
        m = Meeting.objects.create(title=f"P{i}", slug=f"p{i}", starts_at=timezone.now(), place="Gera")
        AgendaItem.objects.create(meeting=m, title="TOP", pilot=pilot)
        AgendaItem.objects.create(meeting=meeting, title=f"TOP {i}", pilot=pilot)
        poll = Poll.objects.create(
            meeting=m, title=f"Poll {i}", method="yes_no", eligibility="citizens", status="open"
        )
        PollOption.objects.create(poll=poll, pilot=pilot)
    Pilot.objects.filter(pk=pilot.pk).update(
        status="approved", council_date="2021-02-24", council_resolution="1"
    )


ENDPOINTS = [
    # (url, queries): the filters' slugs cost one query each.
    ("/api/v1/ideas/", 1),
    ("/api/v1/ideas/?theme=energie-umwelt&competition=wettbewerb&sort=supported", 3),
    ("/api/v1/ideas/geojson/", 1),
    ("/api/v1/ideas/{idea}/", 3),
    ("/api/v1/pilots/", 2),
    ("/api/v1/pilots/mobilitaetsinsel/", 5),
    ("/api/v1/pilots/mobilitaetsinsel/updates/", 2),
    ("/api/v1/workgroups/", 1),
    ("/api/v1/workgroups/energie-umwelt/meetings/", 2),
    ("/api/v1/plenary/meetings/", 4),
    ("/api/v1/plenary/meetings/plenum/", 4),
    ("/api/v1/plenary/polls/", 2),
    ("/api/v1/competitions/", 3),
    ("/api/v1/competitions/wettbewerb/", 3),
    ("/api/v1/news/", 1),
    ("/api/v1/events/", 1),
    ("/api/v1/strategy/editions/", 1),
    ("/api/v1/districts/", 1),
]


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize(("url", "queries"), ENDPOINTS)
def test_query_count_is_pinned_and_flat(api, django_assert_num_queries, rows, url, queries):
    from ideas.models import Idea

    make_rows(rows)
    url = url.format(idea=Idea.objects.order_by("pk").first().pk)
    with django_assert_num_queries(queries):
        response = api.get(url)
    assert response.status_code == 200, response.content
