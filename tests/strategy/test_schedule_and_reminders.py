from datetime import date

import pytest
from django.utils import timezone

from geraportal.accounts.roles import SMARTCITY_TEAM
from geraportal.notifications.models import Notification
from geraportal.strategy import reminders
from geraportal.strategy.models import StrategyEdition, StrategyReminder
from geraportal.strategy.schedule import due_date, is_due_year, next_due, next_due_year
from tests.accounts.factories import UserFactory
from tests.notifications.delivery import fan_out_events
from tests.paths import TESTDATA


@pytest.mark.parametrize(
    ("year", "due"),
    [
        (2019, 2022),
        (2021, 2022),
        (2022, 2022),
        (2025, 2025),
        (2026, 2026),
        (2027, 2028),
        (2028, 2028),
        (2029, 2030),
        (2031, 2032),
        (2100, 2100),
    ],
)
def test_next_due_year(year, due):
    assert next_due_year(year) == due


def test_due_years_are_annual_until_2026_then_every_two_years():
    assert [y for y in range(2018, 2036) if is_due_year(y)] == [
        2022,
        2023,
        2024,
        2025,
        2026,
        2028,
        2030,
        2032,
        2034,
    ]


def test_leap_day_deadline_falls_back_to_28_february():
    assert due_date(2028, month_day=(2, 29)) == date(2028, 2, 29)
    assert due_date(2030, month_day=(2, 29)) == date(2030, 2, 28)


def test_missed_update_stays_due_until_published():
    # The 2025 edition is missing: it is due (overdue) even in 2026.
    assert next_due(today=date(2026, 3, 1), last_published_year=2024, month_day=(12, 31)) == date(
        2025, 12, 31
    )
    assert next_due(today=date(2026, 3, 1), last_published_year=2026, month_day=(12, 31)) == date(
        2028, 12, 31
    )
    assert next_due(today=date(2027, 1, 5), last_published_year=None, month_day=(12, 31)) == date(
        2028, 12, 31
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 9, 1), None),
        (date(2026, 10, 2), "90"),
        (date(2026, 12, 1), "30"),
        (date(2026, 12, 24), "7"),
        (date(2026, 12, 31), "7"),
        (date(2027, 1, 1), "overdue"),
    ],
)
def test_which_reminder_belongs_to_a_day(today, expected):
    assert reminders.reminder_due(today=today, due=date(2026, 12, 31), offsets=[90, 30, 7]) == expected


@pytest.fixture
def team_and_editions(settings, db):
    settings.STRATEGY_DUE_MONTH_DAY = (12, 31)
    settings.STRATEGY_REMINDER_DAYS = [90, 30, 7]
    for year in (2019, 2022, 2023, 2024, 2025):
        StrategyEdition.objects.create(
            year=year, title=f"Strategie {year}", summary="…", published_at=timezone.now()
        )
    team = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])
    return team


@pytest.mark.django_db
def test_each_reminder_is_sent_exactly_once(
    team_and_editions, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_send(today=date(2026, 9, 1)) is None
        first = reminders.reminders_send(today=date(2026, 10, 2))
        again = reminders.reminders_send(today=date(2026, 10, 3))
    assert first.offset == "90" and first.recipient_count == 1
    assert again is None
    fan_out_events()
    assert Notification.objects.filter(recipient=team_and_editions, kind="strategy").count() == 1
    (mail,) = mailoutbox
    assert "Fortschreibung der Strategie in 90 Tagen fällig" in mail.subject


@pytest.mark.django_db
def test_overdue_reminder_once_and_none_after_publishing(team_and_editions):
    assert reminders.reminders_send(today=date(2027, 1, 2)).offset == "overdue"
    assert reminders.reminders_send(today=date(2027, 1, 3)) is None
    StrategyEdition.objects.create(
        year=2026, title="Fortschreibung 2026", summary="…", published_at=timezone.now()
    )
    # The next update is 2028 now: nothing due in January 2027.
    assert reminders.reminders_send(today=date(2027, 1, 4)) is None
    assert list(StrategyReminder.objects.values_list("offset", flat=True)) == ["overdue"]


@pytest.mark.django_db
def test_late_run_sends_only_the_current_reminder(team_and_editions):
    assert reminders.reminders_send(today=date(2026, 12, 26)).offset == "7"
    assert StrategyReminder.objects.count() == 1


@pytest.mark.django_db
def test_registered_sources_add_recipients(team_and_editions):
    moderator = UserFactory()
    reminders.register_recipients("test-moderators", lambda: [moderator])
    try:
        reminder = reminders.reminders_send(today=date(2026, 12, 1))
    finally:
        reminders._recipient_sources.pop("test-moderators")
    assert reminder.recipient_count == 2
    fan_out_events()
    assert Notification.objects.filter(recipient=moderator).exists()


@pytest.mark.django_db
def test_staff_page_shows_due_date_reminders_and_editions(client, team_member, settings):
    settings.STRATEGY_DUE_MONTH_DAY = (12, 31)
    StrategyEdition.objects.create(
        year=2026, title="Fortschreibung 2026", summary="…", published_at=timezone.now()
    )
    client.force_login(team_member)
    response = client.get("/staff/strategy/")
    assert response.status_code == 200
    assert "Fortschreibung 2026" in response.text
    assert "31. Dezember 2028" in response.text


@pytest.mark.django_db
def test_staff_page_is_closed_to_citizens_and_to_staff_without_2fa(client, citizen, team_member_without_mfa):
    client.force_login(citizen)
    assert client.get("/staff/strategy/").status_code == 403
    client.force_login(team_member_without_mfa)
    assert client.get("/staff/strategy/")["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.django_db
def test_an_edition_document_must_really_be_a_pdf(client, team_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(team_member)
    fake = SimpleUploadedFile("strategie.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        "/staff/strategy/", {"year": 2026, "title": "Fortschreibung", "summary": "Text", "document": fake}
    )
    assert response.status_code == 200
    assert "Bitte laden Sie ein PDF-Dokument hoch." in response.text
    assert 'value="Fortschreibung"' in response.text
    assert not StrategyEdition.objects.exists()
    pdf = SimpleUploadedFile("s.pdf", (TESTDATA / "minimal.pdf").read_bytes())
    response = client.post(
        "/staff/strategy/",
        {"year": 2026, "title": "Fortschreibung", "summary": "Text", "document": pdf},
    )
    assert response.status_code == 302
    # A new edition is a draft: it is published after the strategy group's approval.
    edition = StrategyEdition.objects.get()
    assert edition.year == 2026 and edition.document and edition.published_at is None


@pytest.mark.django_db
def test_an_html_file_posing_as_pdf_is_refused_and_names_are_never_the_uploaders(client, team_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(team_member)
    disguised = SimpleUploadedFile("strategie.html", b"%PDF-<html><script>alert(1)</script></html>")
    response = client.post(
        "/staff/strategy/", {"year": 2026, "title": "T", "summary": "S", "document": disguised}
    )
    assert "Bitte laden Sie ein PDF-Dokument hoch." in response.text
    pdf = SimpleUploadedFile("strategie.html", (TESTDATA / "minimal.pdf").read_bytes())
    client.post("/staff/strategy/", {"year": 2026, "title": "T", "summary": "S", "document": pdf})
    name = StrategyEdition.objects.get().document.name
    assert name.startswith("strategy/") and name.endswith(".pdf") and "strategie" not in name
