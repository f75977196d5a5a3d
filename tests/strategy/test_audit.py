"""The team's and the strategy group's actions on the strategy write an audit row each."""

import datetime

import pytest
from django.utils import timezone

from geraportal.core.models import StaffAction
from geraportal.strategy import services
from geraportal.strategy.models import Phase
from tests.accounts.factories import UserFactory

from .conftest import set_phase

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _row(action: str, target, *, by) -> StaffAction:
    rows = list(StaffAction.objects.filter(action=action))
    assert len(rows) == 1, [r.action for r in StaffAction.objects.all()]
    row = rows[0]
    assert row.actor == by
    assert row.object_type == target._meta.label_lower and row.object_id == str(target.pk)
    return row


def test_edition_steps_are_audited(update, team_member):
    row = _row("strategy_edition_created", update, by=team_member)
    assert row.after["year"] == 2026 and row.after["title"] == "Fortschreibung 2026"

    dates = services.default_dates(year=2026)
    later = services.CycleDates(
        consultation_starts=dates.consultation_starts + datetime.timedelta(days=1),
        consultation_ends=dates.consultation_ends,
        review_ends=dates.review_ends,
        decision_ends=dates.decision_ends,
    )
    services.edition_set_dates(edition=update, dates=later, today=timezone.localdate(), by=team_member)
    row = _row("strategy_dates_changed", update, by=team_member)
    assert row.before == {"consultation_starts": dates.consultation_starts.isoformat()}
    assert row.after == {"consultation_starts": later.consultation_starts.isoformat()}

    services.edition_advance(edition=update, today=timezone.localdate(), by=team_member)
    assert _row("strategy_phase_ended", update, by=team_member).after["consultation_starts"]

    section = update.sections.get(key="energie")
    data = services.SectionData(
        **{name: getattr(section, name) for name in services.SectionData.__dataclass_fields__},
    )
    data = services.SectionData(**{**vars(data), "title_de": "Energie"})
    services.section_save(edition=update, data=data, by=team_member, section=section)
    row = _row("strategy_section_changed", section, by=team_member)
    assert row.before["title_de"] == "Energie und Umwelt" and row.after["title_de"] == "Energie"


def test_suggestion_decisions_approval_and_publication_are_audited(update, team_member, moderator, citizen):
    set_phase(update, Phase.CONSULTATION)
    section = update.sections.get(key="wirtschaft")
    suggestion = services.suggestion_submit(
        section=section,
        author=citizen,
        kind="change",
        quote="Ansprechpartner an einer Stelle",
        replacement="Ansprechpartner im Netz",
        text="Weil es hilft.",
    )
    assert not StaffAction.objects.filter(action__startswith="strategy_suggestion").exists()
    set_phase(update, Phase.REVIEW)
    services.suggestion_recommend(suggestion=suggestion, by=moderator, verdict="accept", note="Gut.")
    assert _row("strategy_suggestion_recommended", suggestion, by=moderator).after["verdict"] == "accept"
    set_phase(update, Phase.DECISION)
    services.suggestion_decide(suggestion=suggestion, by=team_member, status="accepted", reason="Klarer.")
    row = _row("strategy_suggestion_decided", suggestion, by=team_member)
    assert row.before["status"] == "open" and row.after["status"] == "accepted"

    set_phase(update, Phase.APPROVAL)
    approver = UserFactory()
    services.edition_approve(edition=update, by=approver, note="Einstimmig.")
    assert _row("strategy_edition_approved", update, by=approver).after["approval_note"] == "Einstimmig."
    services.edition_publish(edition=update, by=team_member)
    assert _row("strategy_edition_published", update, by=team_member).after["published_at"]
    services.edition_record_council(
        edition=update, council_date=timezone.localdate(), council_resolution="DS 2026/1", by=team_member
    )
    row = _row("strategy_council_recorded", update, by=team_member)
    assert row.before == {"council_date": None, "council_resolution": ""}
    assert row.after["council_resolution"] == "DS 2026/1"
