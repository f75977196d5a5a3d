"""A new user's walk on Gera's demo content (issue 17, "Done when"): sign up, look at the idea
map, submit an idea with a pin, search for "Radweg" and find ideas, pilots and news, follow a
pilot, vote in the open plenary poll — at 1280 and 360 px, with axe and the overflow check on
every page, and once more with the keyboard alone."""

import re

import pytest
from django.core.management import call_command
from django.utils.module_loading import autodiscover_modules
from playwright.sync_api import expect

from geraportal.core import demo
from geraportal.notifications.services import muted

from .conftest import axe_violations

PASSWORD = "Gera-ist-smart-2026"
PLENARY_STEP = "plenary.demo.plenary"
PILOT_TITLE = "Radverkehrszählung mit Sensoren"
POLL_TITLE = "Online-Vorabstimmung: Welche Vorschläge sollen Vorrang haben?"
IDEA_TITLE = "Fahrradbügel am Hofwiesenpark"
WIDTHS = [pytest.param(1280, id="1280px"), pytest.param(360, id="360px")]


@pytest.fixture
def gera_demo(reference_data, monkeypatch):
    """The demo content, but the plenary step waits until `open_the_online_vote` is called.

    Who may vote in a poll is fixed when it opens (DESIGN: eligibility is explicit; the
    EligibleVoter list is frozen). The demo's online pre-vote is open to every verified
    citizen *at opening*, so the walk's newcomer signs up first and the team then opens the
    vote — the order in which a newcomer can take part in it.
    """
    autodiscover_modules("demo")
    plenary_step = demo._steps[PLENARY_STEP]
    monkeypatch.delitem(demo._steps, PLENARY_STEP)
    call_command("seed_demo", verbosity=0)

    def open_the_online_vote():
        with muted():
            plenary_step.run(lambda message: None)

    return open_the_online_vote


def check(page, where: str) -> None:
    """What must hold on every page of the walk: no axe violation, no sideways scrolling."""
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert violations == [], f"{where}:\n" + "\n".join(violations)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{where} scrolls sideways: {widths}"


def open_menu(page) -> None:
    """On a phone the main navigation is folded behind its toggle button."""
    toggler = page.get_by_role("button", name="Navigation ein- oder ausblenden")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        # Bootstrap adds `show` when the unfolding ends; visible already while it slides open,
        # and a click then (CI, loaded machine) could land while the links still move.
        expect(page.locator("#portal-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def nav(page, name: str) -> None:
    open_menu(page)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name, exact=True).click()


def confirmation_link(mailoutbox) -> str:
    (mail,) = mailoutbox
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.body).group(0)


def assert_walk_recorded(email: str) -> None:
    from ideas.models import Idea
    from pilots.models import PilotFollow
    from plenary.models import VoterRoll

    idea = Idea.objects.get(title=IDEA_TITLE)
    assert idea.author.email == email
    assert idea.latitude is not None and idea.longitude is not None
    assert PilotFollow.objects.filter(user__email=email, pilot__title=PILOT_TITLE).exists()
    assert VoterRoll.objects.filter(user__email=email, poll__title=POLL_TITLE).exists()


@pytest.fixture
def page_at(browser, live_server):
    """A fresh browser page `width` pixels wide (a phone's touch screen below 400)."""
    contexts = []

    def make(width: int):
        context = browser.new_context(
            base_url=live_server.url,
            locale="de-DE",
            viewport={"width": width, "height": 800},
            is_mobile=width < 400,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_user_walks_through_the_portal(page_at, gera_demo, mailoutbox, width):
    page = page_at(width)
    email = f"neu-{width}@example.org"

    # Sign up and confirm the address.
    page.goto("/")
    check(page, "home")
    open_menu(page)
    page.get_by_role("link", name="Registrieren").first.click()
    # The page (and its checks) only once the sign-up form is there: the home page has an
    # e-mail field too (the newsletter), and on a loaded machine the fill went there.
    page.wait_for_url("**/accounts/signup/")
    expect(page.locator("#id_password1")).to_be_visible()
    check(page, "sign-up")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Anzeigename").fill("Mila aus Debschwitz")
    page.get_by_label("Stadtteil (optional)").select_option(label="Debschwitz")
    page.get_by_label("Ich habe die").check()
    page.get_by_role("button", name="Registrieren").click()
    page.wait_for_url("**/accounts/confirm-email/")
    check(page, "confirmation sent")
    page.goto(confirmation_link(mailoutbox))
    check(page, "confirm e-mail")
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/accounts/profile/")
    check(page, "profile")
    gera_demo()

    # The idea map shows the demo's ideas on the neutral background.
    nav(page, "Ideen")
    check(page, "ideas")
    page.get_by_role("link", name="Kartenansicht").click()
    # Idea markers and clusters (not only the district names) on the neutral background.
    expect(page.locator("#ideas-map .leaflet-marker-icon:not(.map-district-label)").first).to_be_visible()
    expect(page.locator(".map-district-label", has_text="Debschwitz")).to_be_attached()
    check(page, "idea map")

    # Submit an idea with a pin set on the location picker.
    page.goto("/ideas/")
    page.get_by_role("link", name="Idee einreichen").click()
    check(page, "idea form")
    page.locator("#id_title").fill(IDEA_TITLE)
    page.locator("#id_body").fill("Am Eingang zum Hofwiesenpark fehlen Fahrradbügel; Räder stehen an Bäumen.")
    page.locator("#id_theme").select_option(label="Städtebau, Stadtentwicklung und Verkehr")
    page.locator("#location-picker").scroll_into_view_if_needed()
    page.locator("#location-picker").click()
    expect(page.locator("#id_latitude")).not_to_have_value("")
    expect(page.locator("#id_longitude")).not_to_have_value("")
    page.get_by_role("button", name="Vorschau").click()
    check(page, "idea preview")
    page.get_by_role("button", name="Idee veröffentlichen").first.click()
    page.wait_for_url("**/ideas/*-fahrradbugel-am-hofwiesenpark/")
    check(page, "idea")

    # Search for "Radweg": ideas, pilot projects and news, grouped.
    open_menu(page)
    page.get_by_role("link", name="Suchen").first.click()
    check(page, "search")
    page.locator("#search-q").fill("Radweg")
    page.get_by_role("search").get_by_role("button", name="Suchen").click()
    for group in ("Ideen", "Pilotprojekte", "Aktuelles"):
        section = page.get_by_role("region", name=group)
        expect(section.get_by_role("link").first).to_be_visible()
    pilots = page.get_by_role("region", name="Pilotprojekte")
    expect(pilots.get_by_role("link", name=PILOT_TITLE)).to_be_visible()
    check(page, "search results")

    # Follow a pilot project.
    page.get_by_role("link", name=PILOT_TITLE).click()
    check(page, "pilot")
    page.get_by_role("button", name="Diesem Pilotprojekt folgen").click()
    expect(page.get_by_role("button", name="Nicht mehr folgen")).to_be_visible()
    check(page, "pilot followed")

    # Vote in the open plenary poll, with the confirmation step.
    nav(page, "Plenum")
    check(page, "plenary")
    page.get_by_role("link", name=POLL_TITLE).first.click()
    check(page, "poll")
    page.get_by_role("checkbox", name=PILOT_TITLE).check()
    page.get_by_role("button", name="Stimmzettel prüfen").click()
    check(page, "confirm ballot")
    page.get_by_role("button", name="Stimmzettel abgeben").click()
    expect(page.get_by_role("status").filter(has_text="Ihr Stimmzettel wurde gezählt")).to_be_visible()
    check(page, "voted")

    assert_walk_recorded(email)


# --- The same walk with the keyboard alone -------------------------------------------------

# What the focused element is called, as near to its accessible name as the walk needs:
# aria-label, aria-labelledby, its <label>s, its text, its value.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const text = node => (node ? node.textContent : "");
  const ids = el.getAttribute("aria-labelledby");
  const name = el.getAttribute("aria-label")
    || (ids && ids.split(/\\s+/).map(id => text(document.getElementById(id))).join(" "))
    || (el.labels && el.labels.length ? Array.from(el.labels).map(text).join(" ") : "")
    || text(el) || el.value || el.title || "";
  const style = getComputedStyle(el);
  return {
    name: name.replace(/\\s+/g, " ").trim(),
    tag: el.tagName.toLowerCase(),
    classes: el.className && el.className.baseVal === undefined ? el.className : "",
    outline: [style.outlineStyle, style.outlineWidth, style.outlineColor].join(" "),
    shadow: style.boxShadow,
  };
}"""
# The portal's ring (static/css/portal.css): 3 px yellow outline around a dark edge.
RING = "solid 3px rgb(242, 183, 5)"


def assert_focus_ring(focused: dict | None, where: str) -> None:
    assert focused is not None, f"{where}: focus fell to the page body"
    assert focused["outline"] == RING and focused["shadow"] != "none", (
        f"{where}: no visible focus ring on {focused['tag']} “{focused['name']}”: "
        f"outline {focused['outline']}, box-shadow {focused['shadow']}"
    )


def tab_to(page, name, *, back: bool = False, limit: int = 60) -> dict:
    """Press Tab (Shift+Tab with `back`) until the focused element is called `name` (a string
    for the exact name, a compiled pattern to search, or a predicate on the focused element's
    description); after every press the focus must show the portal's ring."""
    if isinstance(name, str):
        matches = lambda f: f["name"] == name  # noqa: E731
    elif isinstance(name, re.Pattern):
        matches = lambda f: bool(name.search(f["name"]))  # noqa: E731
    else:
        matches = name
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(FOCUSED)
        assert_focus_ring(focused, f"{page.url} after {seen}")
        if matches(focused):
            return focused
        seen.append(focused["name"][:40])
    raise AssertionError(f"{name!r} not reached with {limit} Tabs on {page.url}; passed: {seen}")


def wait_until_the_map_is_still(page, selector: str) -> None:
    """Leaflet ignores arrow keys while a pan is animating (on a loaded machine the next key came
    too early and was dropped): wait until the map pane has not moved for 300 ms."""
    page.evaluate("window.__lastPaneTransform = null")
    page.wait_for_function(
        """(selector) => {
            const pane = document.querySelector(selector + ' .leaflet-map-pane');
            const now = getComputedStyle(pane).transform;
            const still = window.__lastPaneTransform === now;
            window.__lastPaneTransform = now;
            return still;
        }""",
        arg=selector,
        polling=300,
    )


def activate(page, name, *, navigates: bool = True, **kwargs) -> None:
    """Tab to `name` and press Enter; wait for the next page unless it stays on this one."""
    tab_to(page, name, **kwargs)
    if navigates:
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.keyboard.press("Enter")


def go_by_menu(page, name: str) -> None:
    """Reach a main-navigation link from the top of a page; on a phone, unfold the menu first."""
    if page.get_by_role("button", name="Navigation ein- oder ausblenden").is_visible():
        activate(page, "Navigation ein- oder ausblenden", navigates=False)
        expect(page.locator("#portal-nav")).to_be_visible()
    activate(page, name)


def type_into(page, name, text: str) -> None:
    tab_to(page, name)
    page.keyboard.type(text)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_same_walk_with_the_keyboard_alone(page_at, gera_demo, mailoutbox, width):
    page = page_at(width)
    email = f"tastatur-{width}@example.org"

    # Sign up.
    page.goto("/")
    go_by_menu(page, "Registrieren")
    page.wait_for_url("**/accounts/signup/")
    type_into(page, re.compile("^E-Mail-Adresse"), email)
    type_into(page, re.compile("^Passwort"), PASSWORD)
    type_into(page, re.compile("^Passwort \\(Wiederholung\\)"), PASSWORD)
    type_into(page, re.compile("^Anzeigename"), "Tom aus Lusan")
    type_into(page, re.compile("^Stadtteil"), "Lusan")  # typing picks the option in a select
    tab_to(page, re.compile("^Ich habe die"))
    page.keyboard.press("Space")
    activate(page, "Registrieren")
    page.wait_for_url("**/accounts/confirm-email/")
    page.goto(confirmation_link(mailoutbox))  # the link in the e-mail
    activate(page, "Bestätigen")
    page.wait_for_url("**/accounts/profile/")
    gera_demo()

    # The idea map: a marker opens its popup from the keyboard, and the popup stays.
    go_by_menu(page, "Ideen")
    page.wait_for_url("**/ideas/")
    activate(page, "Kartenansicht")
    page.wait_for_url("**/ideas/map/")
    expect(page.locator("#ideas-map .leaflet-marker-icon:not(.map-district-label)").first).to_be_visible()
    tab_to(page, lambda f: "leaflet-marker-icon" in f["classes"] and "marker-cluster" not in f["classes"])
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content a")
    expect(popup).to_be_visible()
    page.wait_for_timeout(500)  # the pan the popup causes reloads the markers
    expect(popup).to_be_visible()

    # Submit an idea; the pin is set by moving the map with the arrow keys.
    page.keyboard.press("Escape")
    activate(page, "Dieselben Ideen als Liste anzeigen", back=True)
    page.wait_for_url("**/ideas/")
    activate(page, "Idee einreichen")
    page.wait_for_url("**/ideas/new/")
    type_into(page, re.compile("^Titel"), IDEA_TITLE)
    type_into(page, re.compile("^Beschreibung"), "Am Eingang zum Hofwiesenpark fehlen Fahrradbügel.")
    type_into(page, re.compile("^Thema"), "Städtebau")
    tab_to(page, lambda f: f["tag"] == "div" and "leaflet-container" in f["classes"])
    for key in ("ArrowUp", "ArrowUp", "ArrowLeft"):
        page.keyboard.press(key)
        wait_until_the_map_is_still(page, "#location-picker")
    activate(page, re.compile("Kartenmitte|centre of the map"), navigates=False)
    expect(page.locator("#id_latitude")).not_to_have_value("")
    # The map starts centred on 50.88 N; the arrow keys moved it north before the pin was set.
    assert float(page.locator("#id_latitude").input_value()) > 50.881
    expect(page.locator("#location-picker-status")).to_contain_text(
        page.locator("#id_latitude").input_value()
    )
    activate(page, "Vorschau")
    expect(page.get_by_role("heading", name="Vorschau – so wird Ihre Idee aussehen")).to_be_focused()
    activate(page, "Idee veröffentlichen", limit=1)
    page.wait_for_url("**/ideas/*-fahrradbugel-am-hofwiesenpark/")

    # Search.
    go_by_menu(page, re.compile("Suchen"))
    page.wait_for_url("**/search/")
    expect(page.locator("#search-q")).to_be_focused()  # the empty search page starts in its field
    page.keyboard.type("Radweg")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Radweg")
    for group in ("Ideen", "Pilotprojekte", "Aktuelles"):
        expect(page.get_by_role("region", name=group).get_by_role("link").first).to_be_visible()
    activate(page, PILOT_TITLE)

    # Follow the pilot project.
    page.wait_for_url("**/pilots/radverkehrszaehlung-mit-sensoren/")
    activate(page, "Diesem Pilotprojekt folgen", limit=120)
    expect(page.get_by_role("button", name="Nicht mehr folgen")).to_be_visible()

    # Vote in the open plenary poll.
    go_by_menu(page, "Plenum")
    page.wait_for_url("**/plenary/")
    activate(page, POLL_TITLE)
    tab_to(page, PILOT_TITLE)
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=PILOT_TITLE)).to_be_checked()
    activate(page, "Stimmzettel prüfen")
    activate(page, "Stimmzettel abgeben")
    expect(page.get_by_role("status").filter(has_text="Ihr Stimmzettel wurde gezählt")).to_be_visible()

    assert_walk_recorded(email)
