"""The webhook pages in the back-office: who gets in, the form, the secret, the actions."""

import pytest
from django.urls import reverse

from api.webhooks.models import Delivery, Endpoint
from geraportal.core.models import StaffAction

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db

VALID = {"url": "https://daten.gera.de/hooks/portal", "description": "Open-Data-Cockpit", "is_active": "on"}


def post_form(client, path, **data):
    return client.post(path, {**VALID, "events": ["idea.published", "pilot.status_changed"], **data})


@pytest.fixture
def endpoint(db):
    return make_endpoint("https://daten.gera.de/hooks/portal", description="Cockpit")


def urls(endpoint) -> dict[str, tuple[str, str]]:
    pk = endpoint.pk
    return {
        "list": ("get", reverse("staff:webhook_list")),
        "create": ("get", reverse("staff:webhook_create")),
        "detail": ("get", reverse("staff:webhook_detail", args=[pk])),
        "edit": ("get", reverse("staff:webhook_edit", args=[pk])),
        "delete": ("get", reverse("staff:webhook_delete", args=[pk])),
        "rotate": ("post", reverse("staff:webhook_rotate", args=[pk])),
        "test": ("post", reverse("staff:webhook_test", args=[pk])),
        "enable": ("post", reverse("staff:webhook_enable", args=[pk])),
    }


def test_anonymous_visitors_are_sent_to_log_in(client, endpoint):
    for name, (method, url) in urls(endpoint).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_citizens_are_refused(client, endpoint, citizen):
    client.force_login(citizen)
    for name, (method, url) in urls(endpoint).items():
        assert getattr(client, method)(url).status_code == 403, name
    assert Endpoint.objects.get().secret == endpoint.secret


def test_staff_without_two_factor_are_refused(client, endpoint, team_member_without_mfa):
    client.force_login(team_member_without_mfa)
    for name, (method, url) in urls(endpoint).items():
        response = getattr(client, method)(url)
        assert response.status_code == 403 or "/2fa/" in response.get("Location", ""), name
    assert not Delivery.objects.exists()


def test_the_team_sees_every_page(client, endpoint, team_member):
    client.force_login(team_member)
    for name, (method, url) in urls(endpoint).items():
        if method == "get":
            assert client.get(url).status_code == 200, name


def test_creating_shows_the_secret_once(client, team_member):
    client.force_login(team_member)
    response = post_form(client, reverse("staff:webhook_create"))
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert endpoint.events == ["idea.published", "pilot.status_changed"]
    assert endpoint.created_by == team_member
    detail = client.get(reverse("staff:webhook_detail", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in detail
    assert "Open-Data-Cockpit" in detail
    row = StaffAction.objects.get(action="webhook_created")
    assert row.actor == team_member and endpoint.secret not in str(row.after)


def test_rotating_shows_the_new_secret_once_and_audits_without_it(client, endpoint, team_member):
    client.force_login(team_member)
    response = client.post(reverse("staff:webhook_rotate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert response.status_code == 200 and endpoint.secret in response.content.decode()
    row = StaffAction.objects.get(action="webhook_secret_rotated")
    assert endpoint.secret not in f"{row.before}{row.after}{row.summary}"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://x",
        "https://",
        "http://",
        "hooks",
        "javascript:alert(1)",
        "https://user:passwort@daten.gera.de/x",
        "https://" + "a" * 600 + ".de/",
        "https://daten.gera.de/" + "x" * 2000,
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://10.0.0.1/",
        "https://localhost/hook",
        "http://daten.gera.de/hooks",
        "https://[::1",
        "https://daten.gera.de:99999/",
    ],
)
def test_bad_addresses_are_refused_in_german_with_the_input_kept(client, team_member, settings, url):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    client.force_login(team_member)
    response = post_form(client, reverse("staff:webhook_create"), url=url, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "Open-Data-Cockpit" in page  # the rest of the input is still there
    assert not Endpoint.objects.exists()


def test_choosing_no_event_is_refused(client, team_member):
    client.force_login(team_member)
    response = client.post(reverse("staff:webhook_create"), VALID)
    assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    assert not Endpoint.objects.exists()


def test_an_unknown_event_is_refused(client, team_member):
    client.force_login(team_member)
    response = post_form(client, reverse("staff:webhook_create"), events=["user.created"])
    assert response.status_code == 200 and not Endpoint.objects.exists()


def test_an_allowed_internal_host_may_be_registered(client, team_member, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["10.0.0.5"]
    client.force_login(team_member)
    post_form(client, reverse("staff:webhook_create"), url="https://10.0.0.5/hooks")
    assert Endpoint.objects.get().url == "https://10.0.0.5/hooks"


def test_editing_is_audited_with_the_changed_fields(client, endpoint, team_member):
    client.force_login(team_member)
    response = post_form(
        client, reverse("staff:webhook_edit", args=[endpoint.pk]), url="https://daten.gera.de/neu"
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == "https://daten.gera.de/neu" and endpoint.description == "Open-Data-Cockpit"
    row = StaffAction.objects.get(action="webhook_changed")
    assert row.before["url"] == "https://daten.gera.de/hooks/portal"
    assert row.after["url"] == "https://daten.gera.de/neu"


def test_the_test_button_queues_a_ping(client, endpoint, team_member, django_capture_on_commit_callbacks):
    client.force_login(team_member)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("staff:webhook_test", args=[endpoint.pk]))
    assert response.status_code == 302
    assert Delivery.objects.get().event == "ping" and len(callbacks) == 1
    assert StaffAction.objects.filter(action="webhook_test_sent").count() == 1


def test_a_disabled_endpoint_shows_why_and_can_be_switched_on(client, endpoint, team_member, clock):
    from django.utils import timezone

    Endpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False,
        disabled_at=timezone.now(),
        failing_since=timezone.now(),
        last_failure="status",
        last_failure_detail="HTTP 500: kaputt",
    )
    client.force_login(team_member)
    page = client.get(reverse("staff:webhook_detail", args=[endpoint.pk])).content.decode()
    assert "HTTP 500: kaputt" in page and reverse("staff:webhook_enable", args=[endpoint.pk]) in page
    home = client.get(reverse("staff:home")).content.decode()
    assert reverse("staff:webhook_list") in home

    client.post(reverse("staff:webhook_enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.disabled_at is None and endpoint.failing_since is None
    assert StaffAction.objects.filter(action="webhook_enabled", actor=team_member).count() == 1


def test_deleting_asks_first_then_deletes(client, endpoint, team_member):
    client.force_login(team_member)
    url = reverse("staff:webhook_delete", args=[endpoint.pk])
    assert client.get(url).status_code == 200 and Endpoint.objects.exists()
    assert client.post(url).status_code == 302
    assert not Endpoint.objects.exists()
    assert StaffAction.objects.get(action="webhook_deleted").before["url"] == endpoint.url


def test_recent_deliveries_are_listed(client, endpoint, team_member):
    Delivery.objects.create(
        endpoint=endpoint,
        event="idea.published",
        event_key="ideas.published:1",
        body="{}",
        status="pending",
        attempts=2,
        response_status=503,
        failure="status",
        failure_detail="HTTP 503",
    )
    client.force_login(team_member)
    page = client.get(reverse("staff:webhook_detail", args=[endpoint.pk])).content.decode()
    assert "idea.published" in page and "503" in page


def test_a_missing_endpoint_is_404_for_the_team(client, team_member):
    client.force_login(team_member)
    assert client.get(reverse("staff:webhook_detail", args=[999])).status_code == 404


def test_strategy_group_is_refused(client, endpoint, strategy_member):
    client.force_login(strategy_member)
    assert client.get(reverse("staff:webhook_list")).status_code == 403
