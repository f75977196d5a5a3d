"""The participation dashboard in a real browser: charts drawn by our own Chart.js, no
accessibility violations on a desktop or a 360 px phone, nothing wider than the phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from geraportal.accounts.roles import SMARTCITY_TEAM
from plenary.models import Poll
from tests.accounts.factories import UserFactory, give_mfa
from tests.ideas.factories import CommentFactory, IdeaFactory, theme
from tests.pilots.factories import PilotFactory

from .conftest import axe_violations
from .test_plenary_voting import _session_cookie

FIGURES = 9
# With the data below: all but working groups and the newsletter have something to draw.
CHARTS = 7


def _data():
    moment = timezone.now() - timedelta(days=10)
    for slug in ("energie-umwelt", "stadtentwicklung-verkehr", "beteiligung-verwaltung"):
        idea = IdeaFactory(theme=theme(slug), created_at=moment)
        CommentFactory(idea=idea, created_at=moment)
    PilotFactory(status="implementation", budget_planned=25000)
    Poll.objects.create(
        title="Welche Pilotprojekte soll die Stadt zuerst umsetzen?", method="yes_no", eligibility="citizens",
        secret=False, status="published", opened_at=moment, eligible_count=40,
    )  # fmt: skip


def _charts_drawn(page) -> None:
    """Every figure with something to count has a chart, drawn (the others say "nothing")."""
    page.wait_for_function(
        "() => window.Chart && Object.keys(Chart.instances).length"
        " === document.querySelectorAll('canvas[data-chart]').length"
    )
    sizes = page.evaluate("[...document.querySelectorAll('canvas[data-chart]')].map(c => c.width * c.height)")
    assert len(sizes) >= CHARTS and all(size > 0 for size in sizes)
    assert page.locator("section.dashboard-figure table").count() == FIGURES


def _content_fits(page) -> None:
    """The dashboard itself is no wider than its column."""
    overflow = page.evaluate("(m => m.scrollWidth - m.clientWidth)(document.querySelector('main'))")
    assert overflow <= 0, f"the content is {overflow}px wider than the page"


def _no_sideways_scrolling(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_its_charts_from_our_host_accessibly_on_desktop_and_phone(
    page, phone_page, live_server
):
    _data()
    officer = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])
    give_mfa(officer)
    foreign, scripts = [], []

    def watch(request):
        if not request.url.startswith(live_server.url) and not request.url.startswith("data:"):
            foreign.append(request.url)
        if request.resource_type == "script":
            scripts.append(request.url)

    for each in (page, phone_page):
        each.context.add_cookies([_session_cookie(officer, live_server.url)])
        each.on("request", watch)

    page.goto("/staff/beteiligung/")
    _charts_drawn(page)
    assert any(url.endswith("/static/vendor/chart.js/chart.umd.min.js") for url in scripts)
    assert axe_violations(page) == []
    _content_fits(page)
    # A team member's header (bell, staff area, profile, log out) fits at 1280 px too.
    _no_sideways_scrolling(page)

    phone_page.goto("/staff/beteiligung/")
    _charts_drawn(phone_page)
    assert axe_violations(phone_page) == []
    _no_sideways_scrolling(phone_page)

    # The public summary, as a visitor on a phone.
    phone_page.context.clear_cookies()
    phone_page.goto("/participation/")
    _charts_drawn(phone_page)
    assert axe_violations(phone_page) == []
    _no_sideways_scrolling(phone_page)
    # A bad period: a message, the form, no charts.
    phone_page.goto("/participation/?from=2026-05-01&to=2026-04-01")
    assert phone_page.locator("#error-summary").is_visible()
    assert axe_violations(phone_page) == []
    assert foreign == []
