"""A small, known picture of participation (the clock stands at 1 June 2026, 12:00 in Gera).

Public in the default period (1 July 2025 – 1 June 2026): four ideas (three online in Lusan,
one by phone in Zwötzen), one comment in April and one in May, one support; one public thread
with one post and one public meeting; one published poll (4 of 10 voted). Hidden or private,
counted only for the team: a hidden idea in Aga with a comment and a support, a members-only
thread with a post, a members-only meeting, an open poll, a draft pilot.
"""

import datetime

import pytest
from django.utils import timezone

from geraportal.accounts.roles import SMARTCITY_TEAM
from geraportal.districts.models import District
from geraportal.newsletter.models import NewsletterIssue, NewsletterSubscriber
from ideas.models import Support
from plenary.models import Poll, VoterRoll
from tests.accounts.factories import UserFactory
from tests.ideas.factories import CommentFactory, IdeaFactory, theme
from tests.newsletter.factories import SubscriberFactory
from tests.pilots.factories import PilotFactory
from tests.workgroups.factories import MeetingFactory, PostFactory, ThreadFactory


def at(year: int, month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


MAY = at(2026, 5)
APRIL = at(2026, 4)
OLD = at(2024, 1)


def district(name: str) -> District:
    return District.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0]


@pytest.fixture
def dataset(db, clock):
    anna = UserFactory(display_name="Anna", date_joined=MAY)
    bernd = UserFactory(display_name="Bernd", date_joined=MAY)
    clara = UserFactory(display_name="Clara", date_joined=MAY)
    dora = UserFactory(display_name="Dora", date_joined=OLD)
    staff = UserFactory(display_name="Team", date_joined=OLD, roles=[SMARTCITY_TEAM], is_staff=True)
    lusan, aga, zwoetzen = district("Lusan"), district("Aga"), district("Zwötzen")
    energy, business, culture = theme("energie-umwelt"), theme("wirtschaft"), theme("bildung-kultur")

    first = IdeaFactory(author=anna, theme=energy, district=lusan, created_at=MAY)
    IdeaFactory(author=bernd, theme=energy, district=lusan, created_at=MAY)
    IdeaFactory(author=anna, theme=business, district=lusan, created_at=MAY)
    hidden = IdeaFactory(author=clara, theme=business, district=aga, created_at=MAY, hidden=True)
    IdeaFactory(author=dora, theme=energy, district=aga, created_at=OLD)
    IdeaFactory(
        author=staff, entered_by=staff, source="phone", consent_at=MAY, theme=culture,
        district=zwoetzen, created_at=MAY,
    )  # fmt: skip

    CommentFactory(idea=first, author=bernd, created_at=MAY)
    CommentFactory(idea=first, author=dora, created_at=APRIL)
    CommentFactory(idea=hidden, author=clara, created_at=MAY)
    Support.objects.create(idea=first, user=clara, created_at=MAY)
    Support.objects.create(idea=hidden, user=dora, created_at=MAY)

    public_thread = ThreadFactory(group=energy, visibility="public", author=clara, created_at=MAY)
    PostFactory(thread=public_thread, author=clara, created_at=MAY)
    members_thread = ThreadFactory(group=energy, visibility="members", author=dora, created_at=MAY)
    PostFactory(thread=members_thread, author=dora, created_at=MAY)
    MeetingFactory(
        group=energy, visibility="public", starts_at=MAY, ends_at=MAY + datetime.timedelta(hours=2)
    )
    MeetingFactory(
        group=energy, visibility="members", starts_at=MAY, ends_at=MAY + datetime.timedelta(hours=2)
    )

    PilotFactory(status="draft", budget_planned=1000)
    PilotFactory(status="proposed", budget_planned=2000)
    PilotFactory(status="implementation", budget_planned=5000)
    PilotFactory(status="implementation", budget_planned=None)

    published = Poll.objects.create(
        title="=Mobilitätsinsel", method="yes_no", eligibility="citizens", secret=False, status="published",
        opened_at=MAY, closed_at=MAY, published_at=MAY, eligible_count=10,
    )  # fmt: skip
    running = Poll.objects.create(
        title="Laufende Abstimmung", method="yes_no", eligibility="citizens", secret=False, status="open",
        opened_at=MAY, eligible_count=5,
    )  # fmt: skip
    for number, person in enumerate([anna, bernd, clara, dora]):
        VoterRoll.objects.create(
            poll=published, user=person, submission_key=f"k{number}", receipt=f"r{number}"
        )
    VoterRoll.objects.create(poll=running, user=anna, submission_key="k9", receipt="r9")

    SubscriberFactory(confirmed_at=at(2025, 3), requested_at=at(2025, 3))
    SubscriberFactory(confirmed_at=MAY, requested_at=MAY)
    SubscriberFactory(
        confirmed_at=at(2025, 3), requested_at=at(2025, 3), unsubscribed_at=MAY,
        status=NewsletterSubscriber.Status.UNSUBSCRIBED,
    )  # fmt: skip
    SubscriberFactory(status=NewsletterSubscriber.Status.PENDING, confirmed_at=None, requested_at=MAY)
    NewsletterIssue.objects.create(
        subject="Mai", status=NewsletterIssue.Status.SENT, send_started_at=MAY, send_finished_at=MAY,
        recipients_total=2, sent_count=2,
    )  # fmt: skip
    return {"anna": anna, "staff": staff}
