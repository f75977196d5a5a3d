import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Throttle counters and Last-Modified times live in the cache; ids repeat across tests."""
    settings.API_THROTTLE_RATE = "10000/min"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client):
    """A client that asks for JSON, like a program reading the API."""
    client.defaults["HTTP_ACCEPT"] = "application/json"
    return client


SECRET = "GEHEIM"  # in every private record's text: it must never appear in any API answer


@pytest.fixture
def world(db, team_member):
    """Public records next to private ones of every kind the issue names."""
    from datetime import timedelta

    from django.utils import timezone

    from geraportal.strategy.models import StrategyEdition
    from pilots.models import Pilot
    from plenary import services as plenary_services
    from plenary.models import Attendee, Meeting, Poll, PollOption
    from tests.accounts.factories import UserFactory
    from tests.ideas.factories import CommentFactory, CompetitionFactory, IdeaFactory
    from tests.pages.factories import EventFactory, NewsPostFactory
    from tests.pilots.factories import MilestoneFactory, PilotFactory, PilotUpdateFactory, StatusChangeFactory
    from tests.workgroups.factories import MeetingFactory, PostFactory, ThreadFactory

    now = timezone.now()
    author = UserFactory(email="anna.autorin@example.org", display_name="Anna Autorin")
    public_idea = IdeaFactory(title="Sitzbänke am Markt", author=author, latitude=50.88, longitude=12.08)
    hidden_idea = IdeaFactory(title=f"Versteckte Idee {SECRET}", hidden=True, hidden_reason=f"Spam {SECRET}")
    CommentFactory(idea=public_idea, body=f"Kommentar {SECRET}", author=author)
    thread = ThreadFactory(title=f"Interne Diskussion {SECRET}", visibility="members")
    PostFactory(thread=thread, body=f"Beitrag {SECRET}")
    public_meeting = MeetingFactory(title="Offenes Treffen", visibility="public")
    MeetingFactory(title=f"Internes Treffen {SECRET}", visibility="members")
    pilot = PilotFactory(
        title="Mobilitätsinsel", slug="mobilitaetsinsel", status="approved", ideas=[public_idea]
    )
    pilot.source_ideas.add(hidden_idea)
    MilestoneFactory(pilot=pilot, title="Standort gewählt", done_date=now.date())
    MilestoneFactory(pilot=pilot, title="Bau")
    PilotUpdateFactory(pilot=pilot, title="Baustart")
    StatusChangeFactory(pilot=pilot, from_status="draft", to_status="proposed", note="Eingereicht")
    draft = PilotFactory(title=f"Entwurf {SECRET}", slug="entwurf", status=Pilot.Status.DRAFT)
    NewsPostFactory(title="Neues aus Gera", slug="neues")
    NewsPostFactory(title=f"Geplant {SECRET}", slug="geplant", published_at=now + timedelta(days=2))
    NewsPostFactory(title=f"Entwurf {SECRET}", slug="entwurf-news", published_at=None)
    EventFactory(title="Sensor-Workshop")
    StrategyEdition.objects.create(year=2022, title="Strategie 2022", summary="Das Update.", published_at=now)
    StrategyEdition.objects.create(year=2024, title=f"Strategie {SECRET}", summary="In Arbeit.")
    competition = CompetitionFactory(
        title="Ideenwettbewerb 2026",
        slug="wettbewerb",
        submission_start=now - timedelta(days=30),
        submission_end=now - timedelta(days=20),
        results_at=now - timedelta(days=1),
    )
    IdeaFactory(title="Wettbewerbsidee", competition=competition)

    plenary = Meeting.objects.create(
        title="Plenum 2026", slug="plenum-2026", starts_at=now + timedelta(days=7), place="Rathaus Gera"
    )
    voters = [
        UserFactory(email=f"waehler{i}@example.org", display_name=f"Wähler {SECRET} {i}") for i in range(3)
    ]
    for voter in voters:
        Attendee.objects.create(meeting=plenary, user=voter)
    proposals = [
        PilotFactory(title=f"Vorschlag {i}", slug=f"vorschlag-{i}", status="proposed") for i in range(2)
    ]

    PASSPHRASE = "Plenum der Testdaten 2026"

    def poll(title: str, *, secret: bool) -> Poll:
        p = Poll.objects.create(
            meeting=plenary,
            title=title,
            method="approval",
            max_choices=1,
            eligibility="attendees",
            secret=secret,
        )
        for position, proposal in enumerate(proposals):
            PollOption.objects.create(poll=p, pilot=proposal, position=position)
        if secret:  # a secret poll is sealed to its officers' passphrase before it opens
            p = plenary_services.poll_set_key(poll=p, passphrase=PASSPHRASE, by=team_member)
        p = plenary_services.poll_open(poll=p)
        option = p.options.first()
        for i, voter in enumerate(voters):
            plenary_services.ballot_cast(
                poll=p, user=voter, choices={option.pk: 1}, submission_key=f"{p.pk:04d}{i:04d}" * 4
            )
        return p

    open_poll = poll("Offene Abstimmung", secret=False)  # named: ballots carry the voter
    published = poll("Veröffentlichte Abstimmung", secret=True)
    plenary_services.poll_close(poll=published)
    plenary_services.poll_count(poll=published, passphrase=PASSPHRASE, by=team_member)
    plenary_services.poll_publish(poll=published, by=team_member)
    draft_poll = Poll.objects.create(title=f"Entwurf {SECRET}", method="yes_no", eligibility="citizens")
    return {
        "public_idea": public_idea,
        "hidden_idea": hidden_idea,
        "pilot": pilot,
        "draft_pilot": draft,
        "public_meeting": public_meeting,
        "competition": competition,
        "plenary": plenary,
        "open_poll": open_poll,
        "published_poll": Poll.objects.get(pk=published.pk),
        "draft_poll": draft_poll,
        "voters": voters,
        "author": author,
    }
