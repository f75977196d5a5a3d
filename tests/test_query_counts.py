"""The key pages need a pinned number of queries, the same with 5 rows as with 50.

Each page is filled with `size` rows of what it lists (ideas, comments, pilots, posts ...) and
requested once anonymously and once logged in. The count is exact, as in Zulip's
`assert_database_query_count`: a new query is then a decision (change the number here and say
why in the commit), not an accident; and the same count for 5 and 50 rows means no query per
row. A logged-in request costs one more query than an anonymous one for the user (the session
comes from the cache), plus whatever the page asks about the person (memberships, supports,
follows, ballots).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas import services as idea_services
from ideas.models import Support
from pilots.models import Milestone, PilotStatusChange, PilotUpdate
from plenary.models import Meeting, Poll, PollOption
from tests.accounts.factories import UserFactory
from tests.ideas.factories import CommentFactory, IdeaFactory, theme
from tests.pages.factories import EventFactory, NewsPostFactory
from tests.pilots.factories import PilotFactory
from tests.workgroups.factories import MeetingFactory, MembershipFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

SIZES = [5, 50]


def _ideas(size, author):
    ideas = IdeaFactory.create_batch(
        size, author=author, latitude=Decimal("50.880000"), longitude=Decimal("12.080000")
    )
    for idea in ideas[: size // 2]:
        CommentFactory(idea=idea, author=author)
    return ideas


def _pilots(size, **kwargs):
    return [PilotFactory(status="implementation", **kwargs) for _ in range(size)]


def home(size, author):
    _ideas(size, author)
    _pilots(size)
    NewsPostFactory.create_batch(size)
    EventFactory.create_batch(size)
    return reverse("pages:home")


def idea_list(size, author):
    for idea in _ideas(size, author)[: size // 2]:
        Support.objects.create(idea=idea, user=UserFactory())
    return reverse("ideas:list")


def idea_detail(size, author):
    idea = IdeaFactory(author=author)
    for _ in range(size):
        top = CommentFactory(idea=idea)
        CommentFactory(idea=idea, parent=top)
        idea_services.idea_support(idea=idea, user=UserFactory())
    return idea.get_absolute_url()


def idea_map_data(size, author):
    _ideas(size, author)
    return reverse("ideas:geojson") + "?bbox=11.9,50.8,12.2,50.95"


def group_page(size, author):
    group = theme("energie-umwelt")
    member = MembershipFactory(group=group).user
    for i in range(size):
        thread = ThreadFactory(group=group, author=member, visibility="public" if i % 2 else "members")
        PostFactory(thread=thread, author=member)
        MeetingFactory(group=group, visibility="public" if i % 2 else "members")
    _ideas(size, author)
    _pilots(size, working_group=group)
    return group.get_absolute_url()


def thread_page(size, author):
    group = theme("energie-umwelt")
    member = MembershipFactory(group=group).user
    thread = ThreadFactory(group=group, author=member, visibility="public")
    for i in range(size):
        reply_to = PostFactory(thread=thread, author=MembershipFactory(group=group).user)
        PostFactory(thread=thread, author=member, reply_to=reply_to if i % 2 else None)
    return thread.get_absolute_url()


def pilot_list(size, author):
    _pilots(size)
    return reverse("pilots:list")


def pilot_detail(size, author):
    ideas = _ideas(size, author)
    pilot = PilotFactory(status="implementation", ideas=ideas)
    Milestone.objects.bulk_create([Milestone(pilot=pilot, title=f"M{k}") for k in range(size)])
    PilotUpdate.objects.bulk_create(
        [PilotUpdate(pilot=pilot, title=f"U{k}", body="x", body_html="<p>x</p>") for k in range(size)]
    )
    PilotStatusChange.objects.bulk_create(
        [PilotStatusChange(pilot=pilot, from_status="draft", to_status="proposed") for _ in range(size)]
    )
    return pilot.get_absolute_url()


def _meeting_with_poll(size):
    now = timezone.now()
    meeting = Meeting.objects.create(
        title="Plenum 2026",
        slug="plenum-2026",
        starts_at=now + datetime.timedelta(days=7),
        place="Rathaus Gera, Kornmarkt 12",
        registration_deadline=now + datetime.timedelta(days=6),
    )
    poll = Poll.objects.create(
        meeting=meeting,
        title="Priorisierung",
        method="approval",
        max_choices=2,
        secret=True,
        eligibility="attendees",
        selection_size=2,
        status="open",
        opened_at=now,
    )
    for position, pilot in enumerate(_pilots(size)):
        PollOption.objects.create(poll=poll, pilot=pilot, position=position)
    return meeting, poll


def plenary_meeting(size, author):
    meeting, _ = _meeting_with_poll(size)
    return meeting.get_absolute_url()


def plenary_poll(size, author):
    _, poll = _meeting_with_poll(size)
    return reverse("plenary:poll", kwargs={"pk": poll.pk})


def news_list(size, author):
    NewsPostFactory.create_batch(size)
    return reverse("news:list")


def events(size, author):
    EventFactory.create_batch(size)
    return reverse("events:list")


# (anonymous, logged in), measured on SQLite and PostgreSQL alike unless a comment says otherwise.
PAGES = {
    home: (4, 6),
    # Logged in: the person's own hidden ideas by a small query of their own (issue 16).
    idea_list: (5, 11),
    # Comments a page at a time: the page of top-level comments, then their replies.
    idea_detail: (5, 11),
    idea_map_data: (4, 7),
    # Logged in: the public's page (kept) and the person's roles and join request, asked apart.
    group_page: (7, 12),
    thread_page: (3, 7),
    pilot_list: (5, 9),
    # Logged in: whether the person follows it, asked apart (the public pilot is kept for all).
    pilot_detail: (7, 12),
    plenary_meeting: (3, 9),
    plenary_poll: (2, 9),
    news_list: (2, 4),
    events: (3, 5),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged_in"])
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.__name__)
def test_page_needs_a_pinned_number_of_queries_however_many_rows(
    client, clock, page, logged_in, size, django_assert_num_queries
):
    person = UserFactory(display_name="Anna Beispiel")
    url = page(size, person)
    if logged_in:
        client.force_login(person)
    with django_assert_num_queries(PAGES[page][logged_in]):
        response = client.get(url)
    assert response.status_code == 200
