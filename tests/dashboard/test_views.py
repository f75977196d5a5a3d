"""The dashboard pages: who may see them, the period filter's bad input, the CSV downloads."""

import csv
import io

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory

STAFF_URL = "/staff/beteiligung/"
PUBLIC_URL = "/participation/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_addresses():
    assert reverse("staff:dashboard") == STAFF_URL
    assert reverse("dashboard:summary") == PUBLIC_URL
    assert reverse("staff:dashboard_csv", kwargs={"key": "polls"}) == "/staff/beteiligung/polls.csv"


# --- Who may see the dashboard --------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (STAFF_URL, STAFF_URL + "polls.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_citizens_are_refused(client, citizen):
    client.force_login(citizen)
    assert client.get(STAFF_URL).status_code == 403
    assert client.get(STAFF_URL + "polls.csv").status_code == 403


def test_team_members_without_two_factor_authentication_are_refused(client, team_member_without_mfa):
    client.force_login(team_member_without_mfa)
    response = client.get(STAFF_URL)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/2fa/" in response["Location"]
    assert b"Mobilit" not in client.get(STAFF_URL + "polls.csv").content


def test_strategy_group_is_refused(client, strategy_member):
    client.force_login(strategy_member)
    assert client.get(STAFF_URL).status_code == 403


def test_the_team_sees_everything_including_running_polls(client, team_member, dataset):
    client.force_login(team_member)
    response = client.get(STAFF_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Laufende Abstimmung" in page and "=Mobilitätsinsel" in page
    assert page.count("<canvas") == 9
    assert page.count("<table") == 9
    assert 'id="chart-participants" type="application/json"' in page
    assert "vendor/chart.js/chart.umd.min.js" in page
    assert "<script>" not in page  # no inline script: the data are JSON, the code a file


def test_the_dashboard_is_linked_from_the_staff_start_page(client, team_member):
    client.force_login(team_member)
    assert f'href="{STAFF_URL}"' in client.get("/staff/").content.decode()


# --- The public summary -------------------------------------------------------------------


def test_the_public_summary_shows_public_figures_only(client, dataset):
    response = client.get(PUBLIC_URL, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "=Mobilitätsinsel" in page
    assert "Laufende Abstimmung" not in page  # an open poll: no turnout before the result
    assert "Aga" not in page  # the only idea there is hidden
    assert "Other districts (fewer than 3 ideas each)" in page  # Zwötzen's single idea
    assert "draft" not in page.lower()
    assert page.count("<canvas") == 9


@pytest.mark.django_db
def test_the_summary_is_linked_from_the_footer_and_the_open_data_page(client):
    assert f'href="{PUBLIC_URL}"' in client.get("/").content.decode()
    assert f'href="{PUBLIC_URL}"' in client.get("/open-data/").content.decode()


@pytest.mark.django_db
def test_the_summary_without_any_data_says_so(client, clock):
    response = client.get(PUBLIC_URL, **EN)
    assert response.status_code == 200
    assert "Nothing to count in this period." in response.content.decode()


# --- The period ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=garbage", "Enter the start as a date"),
        ("to=31.02.2026", "Enter the end as a date"),
        ("from=2026-13-01", "Enter the start as a date"),
        ("from=2026-05-01&to=2026-04-01", "The end of the period must not be before its start."),
        ("to=9999-12-31", "cannot reach into the future"),
        ("from=2099-01-01", "cannot reach into the future"),
        ("from=1900-01-01", "There are no figures before"),
        ("from=" + "9" * 5000, "Enter the start as a date"),
    ],
)
def test_bad_periods_get_a_clear_message_not_an_error(client, clock, db, query, message):
    response = client.get(f"{PUBLIC_URL}?{query}", **EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<canvas" not in response.content.decode()
    csv_response = client.get(f"{PUBLIC_URL}polls.csv?{query}", **EN)
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


def test_bad_period_on_the_staff_page_is_a_400_with_the_form(client, team_member, clock):
    client.force_login(team_member)
    response = client.get(STAFF_URL + "?from=2026-05-01&to=2026-04-01")
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()


def test_empty_dates_mean_the_default_period(client, dataset):
    response = client.get(PUBLIC_URL + "?from=&to=", **EN)
    assert response.status_code == 200
    assert "Figures from 1 July 2025 to 1 June 2026." in response.content.decode()


def test_the_period_filters_the_figures(client, dataset):
    response = client.get(PUBLIC_URL + "?from=2026-04-01&to=2026-04-30", **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "=Mobilitätsinsel" not in page  # opened in May
    rows = read_csv(client.get(PUBLIC_URL + "comments-supports.csv?from=2026-04-01&to=2026-04-30"))
    assert rows == [["month", "comments", "supports"], ["2026-04", "1", "0"]]


# --- CSV ---------------------------------------------------------------------------------


def test_csv_is_exactly_the_table_with_formulas_defused(client, dataset):
    response = client.get(PUBLIC_URL + "polls.csv", **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="beteiligung-polls-2025-07-01-2026-06-01.csv"'
    )
    assert read_csv(response) == [
        ["poll", "ballots", "eligible", "turnout_percent"],
        ["'=Mobilitätsinsel", "4", "10", "40.0"],
    ]


def test_staff_csv_has_every_poll_with_its_status(client, team_member, dataset):
    client.force_login(team_member)
    rows = read_csv(client.get(STAFF_URL + "polls.csv"))
    assert rows[0] == ["poll", "status", "ballots", "eligible", "turnout_percent"]
    assert [row[0] for row in rows[1:]] == ["'=Mobilitätsinsel", "Laufende Abstimmung"]


def test_csv_of_money_and_months_is_machine_readable(client, dataset):
    pilots = read_csv(client.get(PUBLIC_URL + "pilots.csv"))
    assert pilots[0] == ["stage", "pilots", "budget_eur"]
    assert ["2", "5000.00"] in [row[1:] for row in pilots]
    participants = read_csv(client.get(PUBLIC_URL + "participants.csv"))
    assert participants[1][0] == "2025-07" and len(participants) == 13


@pytest.mark.django_db
def test_unknown_figure_is_404(client):
    assert client.get(PUBLIC_URL + "nothing.csv").status_code == 404
    assert UserFactory  # (imported for the fixtures' sake)
