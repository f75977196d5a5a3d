from datetime import timedelta

import pytest
from django.utils import timezone

from pilots.models import Pilot
from plenary.models import Attendee, Meeting, Poll, PollOption
from tests.accounts.factories import UserFactory
from workgroups.models import WorkingGroup

TITLES = ["Mobilitätsinsel", "Digitales Stadtleitsystem", "Smarte Müllentsorgung", "Autarke Solarleuchte"]


@pytest.fixture
def proposals(db):
    group = WorkingGroup.objects.get(slug="stadtentwicklung-verkehr")
    return [
        Pilot.objects.create(
            title=title,
            slug=f"p-{i}",
            summary="Ein Vorschlag.",
            working_group=group,
            status=Pilot.Status.PROPOSED,
        )
        for i, title in enumerate(TITLES)
    ]


@pytest.fixture
def meeting(db):
    now = timezone.now()
    return Meeting.objects.create(
        title="Plenum 2026",
        slug="plenum-2026",
        starts_at=now + timedelta(days=7),
        place="Rathaus Gera, Kornmarkt 12",
        registration_deadline=now + timedelta(days=6),
    )


@pytest.fixture
def make_poll(meeting, proposals):
    def make(*, voters=(), method="approval", secret=True, eligibility="attendees", **config):
        defaults = {
            "approval": {"max_choices": 2},
            "points": {"points_budget": 5, "points_cap": 3},
            "yes_no": {},
        }
        poll = Poll.objects.create(
            meeting=meeting,
            title=f"Priorisierung ({method})",
            method=method,
            secret=secret,
            eligibility=eligibility,
            selection_size=2,
            **{**defaults[method], **config},
        )
        for position, pilot in enumerate(proposals):
            PollOption.objects.create(poll=poll, pilot=pilot, position=position)
        for voter in voters:
            Attendee.objects.create(meeting=meeting, user=voter)
        return poll

    return make


@pytest.fixture
def voters(db):
    return [UserFactory() for _ in range(5)]
