import datetime

import pytest
from django.utils import timezone

from geraportal.core.markdown import render_markdown
from geraportal.strategy import services
from geraportal.strategy.models import Phase, Section, SectionVersion, StrategyEdition, StrategyMeasure
from tests.accounts.factories import UserFactory
from workgroups.models import Membership, WorkingGroup

TEXT_WIRTSCHAFT = (
    "Gera stärkt den Mittelstand durch digitale Angebote. Unternehmen finden Ansprechpartner "
    "an einer Stelle. Der Mittelstand ist das Rückgrat der Stadt."
)
TEXT_ENERGIE = "Gera spart Energie mit smarter Beleuchtung. Messdaten werden offen bereitgestellt."


def published_edition(year: int = 2025, *, body: str = TEXT_WIRTSCHAFT) -> StrategyEdition:
    """A published edition written through the services, as the team would."""
    now = timezone.now()
    edition = StrategyEdition.objects.create(
        year=year,
        title=f"Fortschreibung {year}",
        summary="Zusammenfassung.",
        approved_at=now,
        published_at=now,
    )
    for position, (key, kind, theme, title, text) in enumerate(
        [
            ("wirtschaft", "field", "wirtschaft", "Wirtschaft", body),
            ("energie", "field", "energie-umwelt", "Energie und Umwelt", TEXT_ENERGIE),
            ("m-licht", "measure", "energie-umwelt", "Maßnahme: Licht", "Leuchten dimmen nach Bedarf."),
        ]
    ):
        # Published editions are frozen for the services: write the rows directly.
        measure = (
            StrategyMeasure.objects.get_or_create(key=key, defaults={"title_de": title})[0]
            if kind == "measure"
            else None
        )
        section = Section.objects.create(
            edition=edition, key=key, kind=kind, theme=theme, measure=measure, position=position * 10,
            title_de=title, body_de=text, body_html_de=render_markdown(text),
        )  # fmt: skip
        SectionVersion.objects.create(section=section, number=1, title_de=title, body_de=text)
    return edition


def set_phase(edition: StrategyEdition, phase: Phase) -> StrategyEdition:
    """Dates around today that put `edition` into `phase` (approval and later: the timestamps)."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    offsets = {
        Phase.DRAFT: (10, 20, 30, 40),
        Phase.CONSULTATION: (-5, 5, 15, 25),
        Phase.REVIEW: (-15, -5, 5, 15),
        Phase.DECISION: (-25, -15, -5, 5),
        Phase.APPROVAL: (-35, -25, -15, -5),
        Phase.APPROVED: (-35, -25, -15, -5),
        Phase.PUBLISHED: (-35, -25, -15, -5),
    }[phase]
    edition.consultation_starts, edition.consultation_ends, edition.review_ends, edition.decision_ends = (
        today + n * day for n in offsets
    )
    edition.approved_at = timezone.now() if phase in (Phase.APPROVED, Phase.PUBLISHED) else None
    edition.published_at = timezone.now() if phase == Phase.PUBLISHED else None
    edition.save()
    assert edition.phase() == phase
    return edition


@pytest.fixture
def base_edition(db):
    return published_edition()


@pytest.fixture
def update(base_edition, team_member):
    """The 2026 update as a draft: the 2025 text copied by the service."""
    return services.edition_create(year=2026, title="Fortschreibung 2026", summary="Entwurf.", by=team_member)


@pytest.fixture
def moderator(db):
    user = UserFactory(display_name="Mo Moderatorin")
    Membership.objects.create(
        group=WorkingGroup.objects.get(slug="wirtschaft"), user=user, role=Membership.Role.MODERATOR
    )
    return user


@pytest.fixture
def member(db):
    user = UserFactory(display_name="Mia Mitglied")
    Membership.objects.create(
        group=WorkingGroup.objects.get(slug="wirtschaft"), user=user, role=Membership.Role.MEMBER
    )
    return user
