from datetime import timedelta

import pytest
from django.utils import timezone

from pilots.models import Pilot
from plenary import services
from plenary.models import Attendee, Meeting, Poll, PollOption
from tests.accounts.factories import UserFactory
from workgroups.models import WorkingGroup

# The officers' passphrase of every secret poll made by `make_poll`.
PASSPHRASE = "Gera stimmt ab im Rathaus 2026"

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
        if secret:
            poll = services.poll_set_key(poll=poll, passphrase=PASSPHRASE, by=None)
        return poll

    return make


@pytest.fixture
def voters(db):
    return [UserFactory() for _ in range(5)]


def close_and_count(poll: Poll, *, by=None) -> Poll:
    """Close a poll and, if secret, count it as its officers would."""
    poll = services.poll_close(poll=poll, by=by)
    if poll.awaits_count:
        poll = services.poll_count(poll=poll, passphrase=PASSPHRASE, by=by)
    return Poll.objects.get(pk=poll.pk)
