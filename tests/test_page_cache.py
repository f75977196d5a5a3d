"""Pages for visitors come from the cache, set no cookies, and show a change at once.

The cache key holds a content version that every committed write to a content model raises
(`geraportal/core/pagecache.py`); these tests run the on-commit callbacks the way a real
commit would.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from geraportal.accounts.roles import SMARTCITY_TEAM
from geraportal.core import pagecache
from geraportal.newsletter.models import NewsletterSubscriber
from ideas import services as idea_services
from ideas.models import Idea
from pilots import services as pilot_services
from tests.accounts.factories import UserFactory, give_mfa
from tests.ideas.factories import CommentFactory, IdeaFactory, theme
from tests.pages.factories import NewsPostFactory
from tests.pilots.factories import PilotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def _pages():
    idea = IdeaFactory()
    CommentFactory(idea=idea)
    pilot = PilotFactory(status="implementation")
    NewsPostFactory()
    return [
        reverse("pages:home"),
        reverse("ideas:list"),
        idea.get_absolute_url(),
        reverse("ideas:geojson") + "?bbox=11.9,50.8,12.2,50.95",
        theme("energie-umwelt").get_absolute_url(),
        reverse("pilots:list"),
        pilot.get_absolute_url(),
        reverse("news:list"),
        reverse("events:list"),
    ]


def test_visitors_get_key_pages_without_cookies_and_from_the_cache(client):
    for url in _pages():
        first = client.get(url)
        assert first.status_code == 200, url
        assert not first.cookies, f"{url} sets {list(first.cookies)}"
        assert first["X-Page-Cache"] == "miss", url
        assert "public" in first["Cache-Control"], url
        assert {"Cookie", "Accept-Language"} <= {v.strip() for v in first["Vary"].split(",")}, url
        second = client.get(url)
        assert second["X-Page-Cache"] == "hit", url
        assert second.content == first.content, url
        assert not second.cookies, url


def test_logged_in_people_never_get_a_cached_page(client):
    url = reverse("ideas:list")
    client.get(url)  # stored for visitors
    person = UserFactory(display_name="Erika Muster")
    client.force_login(person)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "Erika Muster" in response.text
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_each_language_has_its_own_cached_page(client):
    url = reverse("ideas:list")
    german = client.get(url)
    english = client.get(url, headers={"accept-language": "en"})
    assert english["X-Page-Cache"] == "miss"
    assert german.content != english.content


def test_a_pending_message_bypasses_the_cache(client):
    url = reverse("ideas:list")
    client.get(url)
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in client.get(url)


def test_a_new_idea_is_visible_at_once(client, django_capture_on_commit_callbacks):
    url = reverse("ideas:list")
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.idea_submit(
            author=UserFactory(), idea=Idea(title="Trinkbrunnen am Markt", body="Bitte!", theme=theme())
        )
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Trinkbrunnen am Markt" in response.text


def test_a_new_comment_and_a_status_change_are_visible_at_once(client, django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    team = UserFactory()
    client.get(idea.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.comment_create(idea=idea, author=UserFactory(), body="Ein **neuer** Kommentar")
    assert "<strong>neuer</strong>" in client.get(idea.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.idea_decline(idea=idea, by=team, reason="Schon im Haushalt geplant.")
    assert "Schon im Haushalt geplant." in client.get(idea.get_absolute_url()).text


def test_a_pilot_update_is_visible_at_once(client, django_capture_on_commit_callbacks):
    pilot = PilotFactory(status="implementation")
    client.get(pilot.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        pilot_services.progress_update_create(
            pilot=pilot, by=None, title="Sensoren montiert", body="Alle zwölf hängen.", notify_people=False
        )
    assert "Sensoren montiert" in client.get(pilot.get_absolute_url()).text


def test_writes_that_change_no_page_keep_the_cache(client, django_capture_on_commit_callbacks):
    url = reverse("ideas:list")
    client.get(url)
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        person.save(update_fields=["last_login"])
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_the_language_switch_is_a_link_that_sets_the_cookie(client):
    page = client.get(reverse("ideas:list"))
    assert 'action="/language/"' not in page.text
    response = client.get(reverse("language_switch"), {"language": "en", "next": "/ideas/"})
    assert response.status_code == 302 and response["Location"] == "/ideas/"
    assert response.cookies["django_language"].value == "en"
    assert "Ideas" in client.get("/ideas/").text


def test_the_newsletter_box_works_from_a_cached_page_without_a_token(client):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("newsletter:subscribe"), {"email": "leser@example.org"})
    assert response.status_code == 302
    assert NewsletterSubscriber.objects.filter(email="leser@example.org").exists()


def test_the_newsletter_refuses_a_sign_up_sent_from_another_site(client):
    response = client.post(
        reverse("newsletter:subscribe"),
        {"email": "opfer@example.org"},
        headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
    )
    assert response.status_code == 403
    assert not NewsletterSubscriber.objects.exists()


def test_the_idea_count_is_kept_until_an_idea_is_added(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory.create_batch(3)
    client.force_login(citizen)  # logged in: the page itself is not cached, the count is
    assert "3 Ideen" in client.get(reverse("ideas:list")).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("ideas:list"))
    assert not [q for q in queries.captured_queries if "COUNT(*)" in q["sql"] and "ideas_idea" in q["sql"]]

    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory()
    assert "4 Ideen" in client.get(reverse("ideas:list")).content.decode()
    client.get(reverse("ideas:list") + "?theme=energie-umwelt")  # another filter counts for itself
    assert "4 Ideen" in client.get(reverse("ideas:list") + "?theme=energie-umwelt").content.decode()


# --- The open-data API ------------------------------------------------------------------------
# Its answers never depend on who asks (it reads no session), so the same page serves a
# program with or without a cookie; what it shows changes with the same content version.


def test_api_answers_come_from_the_cache_whoever_asks(client):
    IdeaFactory(title="Sitzbänke am Markt")
    url = reverse("api:idea-list")
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    client.force_login(UserFactory())
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "public, max-age=60"  # the API's own, not a page's
    assert "Cookie" not in second.get("Vary", "")


def test_a_hidden_idea_leaves_the_cached_api_answer_at_once(client, django_capture_on_commit_callbacks):
    idea = IdeaFactory(title="Sitzbänke am Markt")
    url = reverse("api:idea-list")
    assert "Sitzbänke am Markt" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.idea_set_hidden(idea=idea, hidden=True, by=UserFactory(), reason="Spam")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Sitzbänke am Markt" not in response.text


def test_an_answer_is_only_kept_in_the_language_its_key_was_made_for(client, settings):
    """The key's language is LocaleMiddleware's (the language cookie first); the API answers
    in the language `Accept-Language` asks for, whatever the cookie says. A German answer to a
    client whose cookie says English must not be stored where English is expected."""
    IdeaFactory()
    url = reverse("api:idea-list")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    german = client.get(url, headers={"accept-language": "de"})
    assert german["Content-Language"] == "de"
    assert "X-Page-Cache" not in german
    english = client.get(url, headers={"accept-language": "en"})
    assert english["Content-Language"] == "en"
    assert english["X-Page-Cache"] == "miss"


def test_a_refused_api_request_is_never_stored(client):
    url = reverse("api:idea-list") + "?theme=999"
    assert client.get(url).status_code == 400
    assert "X-Page-Cache" not in client.get(url)


def test_the_list_s_filters_are_kept_until_a_district_is_added(client, django_capture_on_commit_callbacks):
    """Themes, districts and competitions are kept in the process under the content version:
    the list asks no query for them again, and a new district is a choice at once."""
    from geraportal.districts.models import District

    client.force_login(UserFactory())  # a page the page cache does not answer
    url = reverse("ideas:list")
    client.get(url)
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert not [q for q in again.captured_queries if "districts_district" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        District.objects.create(name="Neues Viertel", slug="neues-viertel")
    assert "Neues Viertel" in client.get(url).text


def test_a_search_s_count_is_kept_until_an_idea_is_added(client, django_capture_on_commit_callbacks):
    """A search asked again (or its next page) does not count its matches again; a new idea
    that matches counts at once."""
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory.create_batch(2, title="Sitzbänke am Markt")
    client.force_login(UserFactory())  # a page the page cache does not answer
    url = reverse("ideas:list") + "?q=Sitzbänke"
    assert "2 Ideen" in client.get(url).text
    with CaptureQueriesContext(connection) as again:
        assert "2 Ideen" in client.get(url).text
    assert not [q for q in again.captured_queries if "COUNT(*)" in q["sql"] and "ideas_idea" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory(title="Mehr Sitzbänke")
    assert "3 Ideen" in client.get(url).text


def test_map_data_is_kept_until_an_idea_is_added(client, monkeypatch, django_capture_on_commit_callbacks):
    """The map's clusters (or points) are computed once per content version, query and box:
    the page cache does not serve a logged-in person, this does. A new idea shows at once."""
    from ideas import selectors

    monkeypatch.setattr(selectors, "MAP_CAP", 3)  # clusters, as for the whole city
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            IdeaFactory(latitude=f"50.88{n}", longitude=f"12.08{n}")
    client.force_login(UserFactory())
    url = reverse("ideas:geojson") + "?bbox=12.0,50.8,12.2,50.95"

    def total() -> int:
        return sum(f["properties"]["count"] for f in client.get(url).json()["features"])

    assert total() == 5
    with CaptureQueriesContext(connection) as again:
        assert total() == 5
    assert not [q for q in again.captured_queries if "ideas_idea" in q["sql"]]
    url = reverse("ideas:geojson") + "?bbox=12.0001,50.8001,12.2001,50.9501"  # panned within its cells
    with CaptureQueriesContext(connection) as panned:
        assert total() == 5
    assert not [q for q in panned.captured_queries if "ideas_idea" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory(latitude="50.889", longitude="12.089")
    assert total() == 6


def _cache_reads(monkeypatch) -> list[list[str]]:
    """The keys of each read from the cache, one list per round trip (a spy around the real cache)."""
    from django.core.cache import cache

    reads: list[list[str]] = []
    real_get, real_get_many = cache.get, cache.get_many
    inside = []  # the local-memory cache's get_many calls get: one read, not several

    def get(key, *args, **kwargs):
        if not inside:
            reads.append([key])
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        keys = list(keys)
        reads.append(keys)
        inside.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get", get)
    monkeypatch.setattr(cache, "get_many", get_many)
    return reads


def test_a_cached_page_is_one_read_from_the_cache(client, monkeypatch):
    """A visitor's cached page asks the cache once: the content version and the page come
    together (two round trips to Redis before, on every page a visitor sees)."""
    IdeaFactory.create_batch(2)
    url = reverse("ideas:list")
    client.get(url)
    reads = _cache_reads(monkeypatch)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert len(reads) == 1


def test_a_page_stored_under_an_older_version_is_not_served(client, django_capture_on_commit_callbacks):
    """A page kept before a write is not shown after it, though it is kept under the same key."""
    url = reverse("ideas:list")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory(title="Bank am Mühlgraben")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Bank am Mühlgraben" in response.text
    assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_page_reads_the_content_version_once(client, monkeypatch, logged_in):
    """The page's key, the list's count and its filters each need the version: one request
    asks the cache once (three round trips to Redis before)."""
    IdeaFactory.create_batch(2)
    if logged_in:
        client.force_login(UserFactory())
    url = reverse("ideas:list") + "?theme=energie-umwelt"
    client.get(url)
    reads = _cache_reads(monkeypatch)
    assert client.get(url + "&page=1").status_code == 200
    assert sum(pagecache.VERSION_KEY in keys for keys in reads) == 1


def test_a_write_in_the_request_reads_the_new_version():
    """Within a request, a committed write forgets the version read before it, so what the same
    request renders afterwards is keyed on the new one."""
    from geraportal.core import pagecache, requestscope

    token = requestscope._scope.set({})  # the scope the middleware gives each request
    try:
        before = pagecache.content_version()
        pagecache.content_changed()
        assert pagecache.content_version() == before + 1
    finally:
        requestscope._scope.reset(token)


def test_the_pilot_filters_are_kept_until_a_pilot_names_a_new_district(
    client, django_capture_on_commit_callbacks
):
    from geraportal.districts.models import District

    client.force_login(UserFactory())
    url = reverse("pilots:list")
    client.get(url)
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert not [q for q in again.captured_queries if "districts_district" in q["sql"]]
    district = District.objects.create(name="Neues Viertel", slug="neues-viertel")
    with django_capture_on_commit_callbacks(execute=True):
        PilotFactory(status="implementation").districts.add(district)
    assert "Neues Viertel" in client.get(url).text


def test_a_shared_value_is_computed_once_while_others_wait_for_it():
    """Ten requests that find the participation figures missing (the version just changed) used
    to compute ~20 aggregates each at the same time; under load some timed out. One computes,
    the others get its answer."""
    import threading
    import time

    from geraportal.core import pagecache

    computed = []
    start = threading.Barrier(10)
    answers = []

    def load():
        computed.append(1)
        time.sleep(0.3)
        return {"ideas": 42}

    def request():
        start.wait()
        answers.append(pagecache.shared_per_content_version("test.figures", load))

    threads = [threading.Thread(target=request) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert answers == [{"ideas": 42}] * 10
    assert len(computed) == 1


def test_a_waiting_request_takes_the_answer_stored_just_before_the_marker_went(monkeypatch):
    """The request computing a shared value stores it and drops its marker; a waiting one that
    looked for the value just before and for the marker just after must still take the value,
    not compute it again (a race: the test above failed 2 runs in 11)."""
    from django.core.cache import cache

    from geraportal.core import pagecache

    key, busy = "test.race", "test.race:computing"
    cache.add(busy, 1, 10)
    real_get = cache.get

    def get(name, *args, **kwargs):
        if name == busy:  # between our two looks, the other request finishes
            cache.set(key, {"ideas": 42}, 60)
            cache.delete(busy)
        return real_get(name, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    assert pagecache._wait_for(key, busy) == {"ideas": 42}


def test_nobody_waits_for_a_shared_value_while_the_cache_is_unreachable(monkeypatch):
    """With Redis down no marker can be seen: each request computes at once instead of waiting."""
    import time

    from django.core.cache import cache

    from geraportal.core import pagecache

    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)  # as ResilientRedisCache answers then
    monkeypatch.setattr(cache, "get", lambda key, default=None, **kwargs: default)
    started = time.monotonic()
    assert pagecache.shared_per_content_version("test.figures", lambda: {"ideas": 1}) == {"ideas": 1}
    assert time.monotonic() - started < 1


def _compiled_and_run(client, url: str) -> tuple[int, int]:
    """How many statements a request compiled to SQL, and how many it sent to the database."""
    from django.db.models.sql.compiler import SQLCompiler

    compiled = 0
    real_as_sql = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        nonlocal compiled
        compiled += 1
        return real_as_sql(self, *args, **kwargs)

    SQLCompiler.as_sql = as_sql
    try:
        with CaptureQueriesContext(connection) as run:
            assert client.get(url).status_code == 200
    finally:
        SQLCompiler.as_sql = real_as_sql
    return compiled, len(run.captured_queries)


def test_a_kept_count_is_found_without_compiling_its_query(client, django_capture_on_commit_callbacks):
    """The count's key names the list's filters and the viewer's visibility: compiling the
    count's SQL only to name it cost about 0.4 ms of every list page (issue 16)."""
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory.create_batch(3)
    client.force_login(UserFactory())  # a page the page cache does not answer
    url = reverse("ideas:list") + "?theme=energie-umwelt"
    client.get(url)
    compiled, run = _compiled_and_run(client, url)
    assert compiled == run  # every statement compiled was sent: none only for a key


def test_a_kept_list_page_does_not_even_build_its_query(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    """With its count and rows kept, a list or search page needs no query at all: building the
    queryset it would not send cost 0.5-0.9 ms of every such page (issue 16)."""
    from ideas import selectors
    from ideas.models import IdeaQuerySet

    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory.create_batch(3, title="Bänke am Markt")
    client.force_login(UserFactory())  # a page the page cache does not answer
    built = []
    real_idea_list = selectors.idea_list
    monkeypatch.setattr(selectors, "idea_list", lambda **kwargs: built.append(1) or real_idea_list(**kwargs))
    named = []
    for method in ("public", "visible_to"):
        real = getattr(IdeaQuerySet, method)
        spy = lambda *a, _real=real, **k: named.append(1) or _real(*a, **k)  # noqa: E731
        monkeypatch.setattr(IdeaQuerySet, method, spy)
    for url in (reverse("ideas:list"), reverse("ideas:list") + "?q=Bänke"):
        assert "3 Ideen" in client.get(url).text
        built.clear()
        named.clear()
        assert "3 Ideen" in client.get(url).text
        assert built == []
        assert named == []  # not even a queryset to name the rows with


def test_a_moderator_s_kept_count_and_rows_are_not_a_citizen_s(client, django_capture_on_commit_callbacks):
    """A moderator sees the hidden ideas of their theme, a citizen does not: each has their
    own kept count and rows, whoever asked first."""
    from tests.workgroups.factories import MembershipFactory

    energy = theme("energie-umwelt")
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory.create_batch(2, theme=energy)
        IdeaFactory(theme=energy, title="Versteckte Idee", hidden=True, hidden_reason="Spam")
    moderator = MembershipFactory(group=energy, role="moderator").user
    for url in (reverse("ideas:list"), reverse("ideas:list") + "?sort=supported"):
        client.force_login(UserFactory())
        page = client.get(url).text
        assert "2 Ideen" in page and "Versteckte Idee" not in page
        client.force_login(moderator)
        page = client.get(url).text
        assert "3 Ideen" in page and "Versteckte Idee" in page
        client.force_login(UserFactory())
        page = client.get(url).text
        assert "2 Ideen" in page and "Versteckte Idee" not in page


@pytest.mark.postgres  # ranking is PostgreSQL's full-text search
def test_a_relevance_search_and_a_sorted_search_keep_their_own_counts(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    """A search by relevance ranks only its newest matches (RANK_CANDIDATES); sorted otherwise it
    holds all of them. Whichever is asked first, each shows its own count."""
    from ideas import selectors

    monkeypatch.setattr(selectors, "RANK_CANDIDATES", 2)
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory.create_batch(3, title="Sitzbänke am Markt")
    client.force_login(UserFactory())
    url = reverse("ideas:list") + "?q=Sitzbänke"
    assert "2 Ideen" in client.get(url).text  # by relevance: the newest two, ranked
    assert "3 Ideen" in client.get(url + "&sort=newest").text
    assert "2 Ideen" in client.get(url).text


def test_an_idea_s_page_is_read_once_for_every_logged_in_viewer(client, django_capture_on_commit_callbacks):
    """The idea and its page of comments are the same for everyone who may see them: kept
    in the shared cache until the content changes, so the page cache's logged-in readers do
    not read them again (issue 16). A new or edited comment, a renamed author and a hidden
    idea show at once."""
    with django_capture_on_commit_callbacks(execute=True):
        idea = IdeaFactory(title="Solarbank am Markt")
        author = UserFactory(display_name="Bernd Bank")
        comment = idea_services.comment_create(idea=idea, author=author, body="Gute Idee!")
    url = idea.get_absolute_url()
    client.force_login(UserFactory())
    assert "Gute Idee!" in client.get(url).text
    client.force_login(UserFactory())  # someone else
    with CaptureQueriesContext(connection) as again:
        assert "Gute Idee!" in client.get(url).text
    assert not [q for q in again.captured_queries if 'FROM "ideas_idea"' in q["sql"]]
    assert not [q for q in again.captured_queries if 'FROM "ideas_comment"' in q["sql"]]

    with django_capture_on_commit_callbacks(execute=True):
        idea_services.comment_edit(comment=comment, editor=author, body="Sehr gute Idee!")
        idea_services.comment_create(idea=idea, author=author, body="Noch etwas.")
    page = client.get(url).text
    assert "Sehr gute Idee!" in page and "Noch etwas." in page
    with django_capture_on_commit_callbacks(execute=True):
        author.display_name = "Bernd Banknachbar"
        author.save()
    assert "Bernd Banknachbar" in client.get(url).text
    moderator = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])
    give_mfa(moderator)  # staff without a second factor keep no staff rights
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.comment_set_hidden(comment=comment, by=moderator, hidden=True, reason="Beleidigend")
    assert "Sehr gute Idee!" not in client.get(url).text  # a hidden comment's text, from kept rows
    client.force_login(moderator)
    assert "Sehr gute Idee!" in client.get(url).text  # ...which a moderator still reads
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.idea_set_hidden(idea=idea, by=moderator, hidden=True, reason="Spam")
    assert client.get(url).status_code == 404
    client.force_login(idea.author)
    assert "Spam" in client.get(url).text  # its author still sees it, with the reason


def test_a_shared_value_kept_by_an_older_release_of_a_model_is_not_read(monkeypatch):
    """Shared values are pickled model instances too: a deploy that changes a model's columns
    keys them anew, instead of unpickling the old shape."""
    from geraportal.core import pagecache

    assert pagecache.shared_per_content_version("test.rows", lambda: "old shape") == "old shape"
    assert pagecache.shared_per_content_version("test.rows", lambda: "new shape") == "old shape"  # kept
    monkeypatch.setattr(pagecache, "_schema", lambda: "another-release")
    assert pagecache.shared_per_content_version("test.rows", lambda: "new shape") == "new shape"


@pytest.mark.parametrize("query", ["", "?q=Sitzbänke", "?sort=supported&page=2"])
def test_a_list_page_s_ideas_are_read_once_for_every_logged_in_viewer(
    client, query, django_capture_on_commit_callbacks
):
    """The ideas of a list or search page are the same for everyone who sees the same rows:
    kept in the shared cache until the content changes (issue 16). A new idea shows at once."""
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory.create_batch(25, title="Sitzbänke am Markt")
    url = reverse("ideas:list") + query
    client.force_login(UserFactory())
    client.get(url)
    client.force_login(UserFactory())  # someone else
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    # (Whether the person has hidden ideas of their own is a fact about them, asked apart.)
    rows = [q for q in again.captured_queries if 'FROM "ideas_idea"' in q["sql"] and "ORDER BY" in q["sql"]]
    assert not rows
    assert "25 Ideen" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory(title="Sitzbänke am Bahnhof", support_count=0)
    page = client.get(url).text
    assert "26 Ideen" in page
    if "page=2" not in url:  # the newest (and as relevant) comes first
        assert "Sitzbänke am Bahnhof" in page


def test_a_list_page_s_cards_are_rendered_once_for_every_viewer(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    """A list page's cards are kept rendered with the page, in both forms (supported or not):
    another viewer's page renders no card and asks the fragment cache for none (~1.3 ms of
    the page with the ideas' rows, issue 16). Each viewer sees "you support it" on the cards
    of the ideas they support, and only there, whoever asked first."""
    from ideas import fragments

    with django_capture_on_commit_callbacks(execute=True):
        ideas = IdeaFactory.create_batch(3, title="Bänke am Markt")
        supporter = UserFactory()
        idea_services.idea_support(idea=ideas[0], user=supporter)
    url = reverse("ideas:list") + "?q=Bänke"
    client.force_login(UserFactory())
    page = client.get(url).text
    assert "Bänke am Markt" in page and "Sie unterstützen sie" not in page
    rendered = []
    real_render_each = fragments.render_each
    monkeypatch.setattr(
        fragments, "render_each", lambda *a, **k: rendered.append(1) or real_render_each(*a, **k)
    )
    client.force_login(supporter)
    page = client.get(url).text
    assert page.count("Sie unterstützen sie") == 1
    assert rendered == []
    client.force_login(UserFactory())
    assert "Sie unterstützen sie" not in client.get(url).text


def test_the_pilot_overview_is_read_once_for_every_viewer_and_drafts_stay_with_their_group(
    client, django_capture_on_commit_callbacks
):
    """The overview's count and cards are kept per content version and the rows the viewer
    may see (issue 16): another viewer's page reads no pilot rows. A group's draft shows to
    its members only, whoever asked first; a new milestone's progress shows at once."""
    from tests.pilots.factories import MilestoneFactory
    from tests.workgroups.factories import MembershipFactory

    with django_capture_on_commit_callbacks(execute=True):
        lights = PilotFactory(title="Smarte Laternen", status="implementation")
        draft = PilotFactory(title="Geheimer Entwurf", status="draft")
    member = MembershipFactory(group=draft.working_group).user
    url = reverse("pilots:list")
    for viewer in (member, UserFactory(), member, None):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(url).text
        assert "Smarte Laternen" in page
        assert ("Geheimer Entwurf" in page) == (viewer == member)
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert not [q for q in again.captured_queries if 'FROM "pilots_pilot"' in q["sql"]]
    assert "Fortschritt: 0 %" not in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        MilestoneFactory(pilot=lights)
    assert "Fortschritt: 0 %" in client.get(url).text


def test_a_pilot_s_page_is_read_once_for_every_viewer(client, django_capture_on_commit_callbacks):
    """A public pilot with its districts, milestones, source ideas, timeline and public
    discussions is kept until the content changes (issue 16): another viewer reads none of
    it, only whether they follow it. Members still see their group's members-only thread about
    it, others do not; a new update shows at once; a draft stays with its group."""
    from pilots import services as pilots_services
    from tests.pilots.factories import MilestoneFactory
    from tests.workgroups.factories import MembershipFactory, ThreadFactory
    from workgroups.models import ThreadReference

    with django_capture_on_commit_callbacks(execute=True):
        pilot = PilotFactory(title="Smarte Laternen", status="implementation")
        MilestoneFactory(pilot=pilot, title="Masten gesetzt")
        for title, visibility in (("Offene Frage zu Laternen", "public"), ("Interne Kalkulation", "members")):
            thread = ThreadFactory(group=pilot.working_group, title=title, visibility=visibility)
            ThreadReference.objects.create(thread=thread, kind="pilot", object_id=pilot.pk)
        draft = PilotFactory(title="Geheimer Entwurf", status="draft")
    member = MembershipFactory(group=pilot.working_group).user
    follower = UserFactory()
    pilots_services.pilot_follow(pilot=pilot, user=follower)
    url = pilot.get_absolute_url()
    client.force_login(member)
    page = client.get(url).text
    assert "Masten gesetzt" in page and "Interne Kalkulation" in page
    client.force_login(UserFactory())
    client.get(url)  # someone outside the group
    client.force_login(follower)
    with CaptureQueriesContext(connection) as again:
        page = client.get(url).text
    assert "Masten gesetzt" in page and "Offene Frage zu Laternen" in page
    assert "Interne Kalkulation" not in page and "Stop following" not in page  # German page
    assert "Nicht mehr folgen" in page
    tables = " ".join(q["sql"] for q in again.captured_queries)
    for table in ('pilots_pilot"', "pilots_milestone", "pilots_pilotupdate", 'workgroups_thread"'):
        assert f'FROM "{table}' not in tables, table
    client.force_login(UserFactory())
    assert "Nicht mehr folgen" not in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        pilots_services.progress_update_create(
            pilot=pilot, by=None, title="Sensoren montiert", body="Alle zwölf hängen.", notify_people=False
        )
    assert "Sensoren montiert" in client.get(url).text
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(MembershipFactory(group=draft.working_group).user)
    assert "Geheimer Entwurf" in client.get(draft.get_absolute_url()).text


def test_a_group_s_page_is_read_once_for_everyone_outside_it(client, django_capture_on_commit_callbacks):
    """What everyone outside a group sees of its page (threads, meetings, documents,
    moderators) is kept until the content changes (issue 16): another outsider reads none of
    it, only whether they asked to join. A member still sees the members-only thread; a new
    public thread shows to outsiders at once."""
    from tests.workgroups.factories import MembershipFactory, ThreadFactory
    from workgroups import services as workgroups_services
    from workgroups.models import WorkingGroup

    group = WorkingGroup.objects.get(slug="energie-umwelt")
    with django_capture_on_commit_callbacks(execute=True):
        ThreadFactory(group=group, title="Offene Runde zu Solardächern", visibility="public")
        ThreadFactory(group=group, title="Interne Planung", visibility="members")
    member = MembershipFactory(group=group).user
    asking = UserFactory()
    workgroups_services.join_request_create(group=group, user=asking, motivation="Ich mache gern mit.")
    url = group.get_absolute_url()
    client.force_login(member)
    assert "Interne Planung" in client.get(url).text
    client.logout()
    assert "Offene Runde zu Solardächern" in client.get(url).text
    client.force_login(UserFactory())
    client.get(url)
    client.force_login(asking)
    with CaptureQueriesContext(connection) as again:
        page = client.get(url).text
    assert "Offene Runde zu Solardächern" in page and "Interne Planung" not in page
    assert "Ihre Anfrage zur Mitgliedschaft wartet" in page
    tables = " ".join(q["sql"] for q in again.captured_queries)
    for table in (
        "workgroups_thread",
        "workgroups_meeting",
        "workgroups_document",
        "workgroups_workinggroup",
    ):
        assert f'FROM "{table}"' not in tables, table
    client.force_login(UserFactory())
    assert "Ihre Anfrage zur Mitgliedschaft wartet" not in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        ThreadFactory(group=group, title="Neue Frage zum Wärmenetz", visibility="public")
    assert "Neue Frage zum Wärmenetz" in client.get(url).text
    client.force_login(member)
    assert "Interne Planung" in client.get(url).text


def test_the_home_page_s_sections_are_read_once_for_everyone(client, django_capture_on_commit_callbacks):
    """The home page's news, groups and pilots are the same for everyone: kept until the
    content changes, in each language (issue 16). A logged-in visitor's home page reads none
    of them; a news post published now shows at once."""
    with django_capture_on_commit_callbacks(execute=True):
        PilotFactory(title="Smarte Laternen", status="implementation")
    client.force_login(UserFactory())
    assert "Smarte Laternen" in client.get("/").text
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as again:
        assert "Smarte Laternen" in client.get("/").text
    tables = " ".join(q["sql"] for q in again.captured_queries)
    for table in ("pages_newspost", "workgroups_workinggroup", "pilots_pilot"):
        assert f'FROM "{table}"' not in tables, table
    with django_capture_on_commit_callbacks(execute=True):
        NewsPostFactory(title="Neuer Bürgerhaushalt")
    assert "Neuer Bürgerhaushalt" in client.get("/").text
    client.force_login(UserFactory(language="en"))
    assert "in implementation" in client.get("/").text  # the pilot cards in English


def _kept_entries() -> dict[str, bytes]:
    """Every shared value in the cache, by key, as stored (pickled): Redis or the local cache."""
    from django.core.cache import cache

    backend = cache._cache if hasattr(cache, "_cache") else None
    if hasattr(backend, "get_client"):  # Redis
        client = backend.get_client()
        return {key.decode(): client.get(key) or b"" for key in client.scan_iter(match="*shared:*")}
    return {key: value for key, value in cache._cache.items() if "shared:" in key}  # LocMemCache


def test_kept_values_hold_only_the_shown_name_of_people(client, django_capture_on_commit_callbacks):
    """Rows kept in the shared cache (lists, an idea's and a pilot's page, a group's page) load
    only the name shown of their people: no e-mail address, no password hash, no roles."""
    from tests.workgroups.factories import MembershipFactory, ThreadFactory
    from workgroups.models import WorkingGroup

    person = UserFactory(email="geheim.person@example.org", display_name="Erna Sichtbar", is_staff=True)
    group = WorkingGroup.objects.get(slug="energie-umwelt")
    with django_capture_on_commit_callbacks(execute=True):
        idea = IdeaFactory(author=person, title="Bänke am Markt")
        CommentFactory(idea=idea, author=person)
        pilot = PilotFactory(status="implementation")
        pilot.source_ideas.add(idea)
        MembershipFactory(group=group, user=person, role="moderator")
        ThreadFactory(group=group, author=person, visibility="public")
    client.force_login(UserFactory())
    for url in (
        "/",
        reverse("ideas:list"),
        idea.get_absolute_url(),
        pilot.get_absolute_url(),
        group.get_absolute_url(),
    ):
        assert "Erna Sichtbar" in client.get(url).text or url in ("/", reverse("ideas:list")), url
    kept = _kept_entries()
    assert kept
    stored = b"".join(value if isinstance(value, bytes) else repr(value).encode() for value in kept.values())
    assert b"geheim.person@example.org" not in stored
    assert person.password.encode() not in stored and b"pbkdf2" not in stored and b"argon2" not in stored
    assert b"is_staff" not in stored and b"last_login" not in stored  # nor roles or log-in times


def test_a_made_up_address_leaves_no_kept_entry(client):
    """Looking up a pilot, an idea or a group that does not exist asks again next time rather
    than keep an answer per address someone can make up."""
    client.force_login(UserFactory())
    for url in ("/pilots/gibt-es-nicht/", "/ideas/987654/", "/workgroups/gibt-es-nicht/"):
        assert client.get(url).status_code == 404, url
    assert not _kept_entries()
