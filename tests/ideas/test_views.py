import json
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from geraportal.notifications.models import Notification
from ideas import services
from ideas.models import Comment, Idea, Report, Support
from tests.accounts.factories import UserFactory
from tests.notifications.delivery import fan_out_events

from .factories import CommentFactory, IdeaFactory, theme

pytestmark = pytest.mark.django_db
from tests.paths import TESTDATA  # noqa: E402

if not TESTDATA.is_dir():
    TESTDATA = Path(__file__).resolve().parents[3] / "shared" / "testdata"
HOSTILE = json.loads((TESTDATA / "hostile-inputs.json").read_text())


def form_data(**overrides):
    values = {
        "title": "Trinkbrunnen im Hofwiesenpark",
        "body": "Ein Trinkbrunnen für heiße Tage.",
        "theme": theme().pk,
        "district": "",
        "location_text": "Hofwiesenpark",
        "latitude": "",
        "longitude": "",
        "image_alt": "",
        "submission_token": str(uuid.uuid4()),
        "pending_image": "",
        "action": "publish",
    }
    values.update(overrides)
    return values


# --- List -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=999999",
        "sort=unknown",
        "theme=nope",
        "status=weird",
        "district=x&competition=y",
    ]
    + [
        f"q={q}"
        for q in ["' OR 1=1 --", "&&&", ":*", "🚲🌳", "שלום עולם", "مرحبا", "a & !b", '"unclosed', "<->"]
    ],
)
def test_hostile_list_parameters_give_a_normal_page(client, query):
    IdeaFactory.create_batch(3)
    response = client.get(
        reverse("ideas:list") + "?" + query.replace("&&&", "%26%26%26").replace("& !", "%26 !")
    )
    assert response.status_code == 200


def test_every_hostile_search_string_gives_a_normal_page(client):
    IdeaFactory()
    for text in HOSTILE["query"] + HOSTILE["text"]:
        assert client.get(reverse("ideas:list"), {"q": text}).status_code == 200


def test_list_filters_by_theme_and_status_and_keeps_them_in_page_links(client):
    IdeaFactory.create_batch(25, theme=theme("wirtschaft"))
    IdeaFactory(title="Energiesparlampen", theme=theme("energie-umwelt"))
    response = client.get(reverse("ideas:list"), {"theme": "wirtschaft", "status": "published"})
    assert "Energiesparlampen" not in response.text
    assert "theme=wirtschaft&amp;status=published&amp;page=2" in response.text


def test_list_sorts_by_most_supported(client):
    quiet = IdeaFactory(title="Leise Idee")
    popular = IdeaFactory(title="Beliebte Idee")
    for _ in range(3):
        services.idea_support(idea=popular, user=UserFactory())
    text = client.get(reverse("ideas:list"), {"sort": "supported"}).text
    assert text.index(popular.title) < text.index(quiet.title)


def test_search_finds_title_words_on_sqlite_and_postgres(client):
    IdeaFactory(title="Fahrradweg an der Elster")
    IdeaFactory(title="Mehr Parkbänke")
    text = client.get(reverse("ideas:list"), {"q": "Fahrradweg"}).text
    assert "Fahrradweg an der Elster" in text and "Mehr Parkbänke" not in text


def test_hidden_idea_is_listed_only_for_author_and_moderators(
    client, citizen, group_moderator, other_citizen
):
    hidden = IdeaFactory(author=citizen, title="Versteckte Idee", hidden=True, hidden_reason="Spam")
    assert hidden.title not in client.get(reverse("ideas:list")).text
    client.force_login(other_citizen)
    assert hidden.title not in client.get(reverse("ideas:list")).text
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for user in (citizen, group_moderator):
        client.force_login(user)
        assert hidden.title in client.get(reverse("ideas:list")).text
        assert "Spam" in client.get(hidden.get_absolute_url()).text


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_flat(client, citizen, count, django_assert_num_queries):
    ideas = IdeaFactory.create_batch(count)
    for idea in ideas[:5]:
        CommentFactory(idea=idea)
        services.idea_support(idea=idea, user=citizen)
    client.force_login(citizen)
    # The person's own hidden ideas are one small query of their own (not an OR in the list).
    with django_assert_num_queries(11):
        assert (
            client.get(reverse("ideas:list"), {"theme": "energie-umwelt", "sort": "supported"}).status_code
            == 200
        )


# --- Detail -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_detail_query_count_is_flat(client, citizen, team_member, count, django_assert_num_queries):
    idea = IdeaFactory()
    for _ in range(count):
        top = CommentFactory(idea=idea)
        CommentFactory(idea=idea, parent=top)
        services.idea_support(idea=idea, user=UserFactory())
    services.idea_set_in_review(idea=idea, by=team_member)
    client.force_login(citizen)
    # Comments come a page at a time: one query for the page, one for its replies.
    with django_assert_num_queries(11):
        assert client.get(idea.get_absolute_url()).status_code == 200


def test_detail_shows_status_history_with_public_reason(client, idea, team_member):
    services.idea_decline(idea=idea, by=team_member, reason="Bereits im Haushalt eingeplant.")
    text = client.get(idea.get_absolute_url()).text
    assert "Bereits im Haushalt eingeplant." in text


def test_merged_idea_links_to_the_target(client, team_member):
    source, target = IdeaFactory(), IdeaFactory(title="Das Original")
    services.idea_merge(idea=source, into=target, by=team_member)
    assert target.get_absolute_url() in client.get(source.get_absolute_url()).text


def test_merged_idea_does_not_show_a_target_that_was_hidden_since(client, citizen, team_member):
    source, target = IdeaFactory(), IdeaFactory(author=citizen, title="Verborgenes Original")
    services.idea_merge(idea=source, into=target, by=team_member)
    services.idea_set_hidden(idea=target, hidden=True, by=team_member, reason="Beleidigend")
    page = client.get(source.get_absolute_url()).text
    assert "Verborgenes Original" not in page and target.get_absolute_url() not in page
    assert "merged into another one" in page or "zusammengeführt" in page
    for insider in (citizen, team_member):  # the target's author and the moderators still see it
        client.force_login(insider)
        assert "Verborgenes Original" in client.get(source.get_absolute_url()).text


@override_settings(IDEAS_RATE_LIMITS={"idea": (100, 3600), "comment": (100, 300)})
def test_xss_in_title_body_and_comment_is_inert(client, citizen):
    client.force_login(citizen)
    for payload in HOSTILE["markup"]:
        response = client.post(
            reverse("ideas:create"),
            form_data(title=f"Titel {payload}", body=f"Text {payload}", image_alt=payload),
        )
        assert response.status_code in (200, 302)
    for idea in Idea.objects.all():
        services.comment_create(
            idea=idea, author=citizen, body=HOSTILE["markup"][1] + " [x](javascript:alert(1))"
        )
        text = client.get(idea.get_absolute_url()).text
        for bad in (
            "<script>alert",
            "<img src=x",
            'href="javascript:',
            "<svg",
            "<iframe",
            "<details open",
            "<style>body",
        ):
            assert bad not in text


# --- Submit and edit --------------------------------------------------------------------


def test_visitor_is_sent_to_login(client):
    response = client.get(reverse("ideas:create"))
    assert response.status_code == 302 and "login" in response.url


def test_preview_then_publish(client, citizen):
    client.force_login(citizen)
    preview = client.post(reverse("ideas:create"), form_data(action="preview", body="Mit **fett**"))
    assert preview.status_code == 200
    assert "<strong>fett</strong>" in preview.text
    assert not Idea.objects.exists()
    response = client.post(reverse("ideas:create"), form_data(body="Mit **fett**"))
    idea = Idea.objects.get()
    assert response.status_code == 302 and response.url == idea.get_absolute_url()


def test_double_submit_creates_one_idea(client, citizen):
    client.force_login(citizen)
    data = form_data()
    client.post(reverse("ideas:create"), data)
    client.post(reverse("ideas:create"), data)
    assert Idea.objects.count() == 1


def test_body_over_the_limit_keeps_the_text_and_says_why(client, citizen):
    client.force_login(citizen)
    long_text = "Gera " * 2500
    response = client.post(reverse("ideas:create"), form_data(body=long_text))
    assert response.status_code == 200
    assert long_text.strip()[:200] in response.text
    assert not Idea.objects.exists()


def test_image_upload_strips_gps_and_needs_alt_text(client, citizen):
    client.force_login(citizen)
    photo = (TESTDATA / "photo-with-gps.jpg").read_bytes()
    response = client.post(
        reverse("ideas:create"), {**form_data(), "image": SimpleUploadedFile("p.jpg", photo, "image/jpeg")}
    )
    assert (
        response.status_code == 200
        and "describe the image" in response.text.lower()
        or "Bild" in response.text
    )
    assert not Idea.objects.exists()
    response = client.post(
        reverse("ideas:create"),
        {
            **form_data(image_alt="Der Park im Sommer"),
            "image": SimpleUploadedFile("p.jpg", photo, "image/jpeg"),
        },
    )
    idea = Idea.objects.get()
    image = client.get(reverse("ideas:image", args=[idea.pk]))
    assert image.status_code == 200
    stored = Image.open(idea.image.open("rb"))
    assert not stored.getexif()


@pytest.mark.parametrize("name", ["bomb-30000x30000.png", "script-named.jpg", "truncated.jpg"])
def test_hostile_uploads_are_refused_and_the_text_stays(client, citizen, name):
    client.force_login(citizen)
    response = client.post(
        reverse("ideas:create"),
        {
            **form_data(image_alt="Bild"),
            "image": SimpleUploadedFile(name, (TESTDATA / name).read_bytes(), "image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert "Trinkbrunnen im Hofwiesenpark" in response.text
    assert "invalid-feedback" in response.text
    assert not Idea.objects.exists()


def test_image_chosen_at_preview_is_kept_for_publishing(client, citizen):
    client.force_login(citizen)
    photo = (TESTDATA / "photo-with-gps.jpg").read_bytes()
    data = form_data(image_alt="Park")
    preview = client.post(
        reverse("ideas:create"),
        {**data, "action": "preview", "image": SimpleUploadedFile("p.jpg", photo, "image/jpeg")},
    )
    token = preview.context["form"].pending_image_token
    assert token and client.get(reverse("ideas:pending_image"), {"token": token}).status_code == 200
    client.post(reverse("ideas:create"), {**data, "pending_image": token})
    assert Idea.objects.get().image


@override_settings(IDEAS_RATE_LIMITS={"idea": (2, 3600), "comment": (2, 300)})
def test_rate_limits_on_ideas_and_comments_answer_friendly(client, citizen):
    client.force_login(citizen)
    for _ in range(2):
        assert client.post(reverse("ideas:create"), form_data()).status_code == 302
    response = client.post(reverse("ideas:create"), form_data())
    assert response.status_code == 429 and "Trinkbrunnen" in response.text
    idea = Idea.objects.first()
    for _ in range(2):
        client.post(reverse("ideas:comment_create", args=[idea.pk]), {"body": "Hallo"})
    response = client.post(reverse("ideas:comment_create", args=[idea.pk]), {"body": "Noch mal"})
    assert response.status_code == 429 and "Noch mal" in response.text
    assert Comment.objects.count() == 2


def test_coordinates_must_come_in_pairs(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("ideas:create"), form_data(latitude="50.88"))
    assert response.status_code == 200 and not Idea.objects.exists()
    client.post(reverse("ideas:create"), form_data(latitude="50.88", longitude="12.08"))
    assert Idea.objects.get().is_located


def test_only_the_author_edits_and_only_while_published(client, idea, citizen, other_citizen, team_member):
    client.force_login(other_citizen)
    assert client.get(reverse("ideas:update", args=[idea.pk])).status_code == 403
    client.force_login(citizen)
    response = client.post(reverse("ideas:update", args=[idea.pk]), form_data(title="Besserer Titel"))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Besserer Titel"
    services.idea_set_in_review(idea=idea, by=team_member)
    assert client.get(reverse("ideas:update", args=[idea.pk])).status_code == 403


# --- Participation ----------------------------------------------------------------------


def test_support_without_javascript_redirects_and_with_htmx_returns_the_box(client, idea, other_citizen):
    client.force_login(other_citizen)
    response = client.post(reverse("ideas:support", args=[idea.pk]))
    assert response.status_code == 302
    response = client.post(reverse("ideas:unsupport", args=[idea.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="support-box"' in response.text and 'hx-swap-oob="innerHTML"' in response.text
    response = client.post(reverse("ideas:support", args=[idea.pk]), HTTP_HX_REQUEST="true")
    assert "1" in response.text and Support.objects.filter(idea=idea).count() == 1


def test_visitor_cannot_support(client, idea):
    response = client.post(reverse("ideas:support", args=[idea.pk]))
    assert response.status_code == 302 and "login" in response.url
    assert not Support.objects.exists()


def test_comment_and_reply_through_the_page(client, idea, other_citizen):
    client.force_login(other_citizen)
    client.post(reverse("ideas:comment_create", args=[idea.pk]), {"body": "Super Idee"})
    top = Comment.objects.get()
    client.post(reverse("ideas:comment_create", args=[idea.pk]), {"body": "Finde ich auch", "parent": top.pk})
    assert Comment.objects.get(body="Finde ich auch").parent == top
    assert "Finde ich auch" in client.get(idea.get_absolute_url()).text


def test_empty_comment_gets_a_message(client, idea, other_citizen):
    client.force_login(other_citizen)
    response = client.post(reverse("ideas:comment_create", args=[idea.pk]), {"body": "   "})
    assert response.status_code == 400 and "invalid-feedback" in response.text


def test_follow_and_unfollow(client, idea, other_citizen):
    client.force_login(other_citizen)
    client.post(reverse("ideas:follow", args=[idea.pk]))
    assert idea.follows.filter(user=other_citizen).exists()
    client.post(reverse("ideas:follow", args=[idea.pk]), {"follow": "0"})
    assert not idea.follows.filter(user=other_citizen).exists()


def test_report_with_reason_reaches_the_queue_of_the_themes_moderator(
    client, idea, other_citizen, group_moderator, other_group_moderator
):
    client.force_login(other_citizen)
    assert client.post(reverse("ideas:report", args=[idea.pk]), {"reason": "bogus"}).status_code == 200
    client.post(reverse("ideas:report", args=[idea.pk]), {"reason": "spam", "note": "Werbung"})
    assert Report.objects.get().reason == "spam"
    assert client.get(reverse("ideas:moderation")).status_code == 403
    client.force_login(group_moderator)
    assert "Werbung" in client.get(reverse("ideas:moderation")).text
    client.force_login(other_group_moderator)
    assert "Werbung" not in client.get(reverse("ideas:moderation")).text


# --- Moderation -------------------------------------------------------------------------


def test_moderator_declines_with_reason_and_author_is_told(client, idea, citizen, group_moderator):
    client.force_login(group_moderator)
    response = client.post(reverse("ideas:moderate", args=[idea.pk, "decline"]), {"reason": ""})
    assert response.status_code == 200
    client.post(reverse("ideas:moderate", args=[idea.pk, "decline"]), {"reason": "Nicht umsetzbar."})
    idea.refresh_from_db()
    assert idea.status == "declined"
    fan_out_events()
    assert Notification.objects.filter(recipient=citizen, kind="idea_status").exists()


def test_moderator_of_another_theme_cannot_moderate(
    client, idea, other_group_moderator, team_member_without_mfa
):
    for user in (other_group_moderator, team_member_without_mfa):
        client.force_login(user)
        response = client.post(reverse("ideas:moderate", args=[idea.pk, "hide"]), {"reason": "x"})
        assert response.status_code in (403, 302)
    idea.refresh_from_db()
    assert not idea.hidden


def test_merge_through_the_form(client, team_member):
    source, target = IdeaFactory(), IdeaFactory()
    client.force_login(team_member)
    response = client.post(reverse("ideas:moderate", args=[source.pk, "merge"]), {"into": 999999})
    assert response.status_code == 200
    client.post(
        reverse("ideas:moderate", args=[source.pk, "merge"]), {"into": target.pk, "reason": "Doppelt"}
    )
    source.refresh_from_db()
    assert source.merged_into == target


def test_revisions_are_for_moderators(client, idea, citizen, group_moderator):
    client.force_login(citizen)
    assert client.get(reverse("ideas:revisions", args=[idea.pk])).status_code == 403
    client.force_login(group_moderator)
    assert client.get(reverse("ideas:revisions", args=[idea.pk])).status_code == 200


def test_hidden_comment_text_is_only_for_author_and_moderators(
    client, idea, citizen, other_citizen, team_member
):
    comment = CommentFactory(idea=idea, author=other_citizen, body="Unfreundlicher Text")
    services.comment_set_hidden(comment=comment, hidden=True, by=team_member, reason="Beleidigend")
    client.force_login(citizen)
    assert "Unfreundlicher Text" not in client.get(idea.get_absolute_url()).text
    client.force_login(other_citizen)
    assert "Unfreundlicher Text" in client.get(idea.get_absolute_url()).text


# --- Feeds, export, map -----------------------------------------------------------------


def test_feeds_list_public_ideas_only(client):
    IdeaFactory(title="Öffentliche Idee")
    IdeaFactory(title="Versteckte Idee", hidden=True)
    for name in ("ideas:feed_rss", "ideas:feed_atom"):
        text = client.get(reverse(name)).text
        assert "Öffentliche Idee" in text and "Versteckte Idee" not in text
    text = client.get(reverse("ideas:theme_feed_rss", args=["wirtschaft"])).text
    assert "Öffentliche Idee" not in text
    assert client.get(reverse("ideas:theme_feed_atom", args=["gibt-es-nicht"])).status_code == 404


def test_csv_export_is_for_the_team_and_defuses_formulas(client, citizen, team_member):
    IdeaFactory(title='=HYPERLINK("http://evil")')
    client.force_login(citizen)
    assert client.get(reverse("ideas:export")).status_code == 403
    client.force_login(team_member)
    response = client.get(reverse("ideas:export"))
    assert response.status_code == 200
    assert "'=HYPERLINK" in response.content.decode()


def test_geojson_by_bounding_box_with_server_side_clusters(client, monkeypatch):
    from ideas import selectors

    for n in range(6):
        IdeaFactory(latitude=f"50.88{n}", longitude=f"12.08{n}")
    IdeaFactory(latitude="51.5", longitude="13.0")
    IdeaFactory(hidden=True, latitude="50.881", longitude="12.081")
    url = reverse("ideas:geojson")
    data = client.get(url, {"bbox": "12.0,50.8,12.2,50.95"}).json()
    assert len(data["features"]) == 6 and not data["clustered"]
    monkeypatch.setattr(selectors, "MAP_CAP", 3)
    data = client.get(url, {"bbox": "12.0,50.8,12.2,50.95"}).json()
    assert data["clustered"] and sum(f["properties"]["count"] for f in data["features"]) == 6
    for bad in ("", "a,b,c,d", "1,2,3", "200,0,210,10", "12.2,50.8,12.0,50.9"):
        assert client.get(url, {"bbox": bad}).status_code == 400


def test_map_page_and_location_picker_work_without_a_tile_server(client, citizen):
    with override_settings(MAP_TILE_URL=""):
        response = client.get(reverse("ideas:map"))
        assert response.status_code == 200 and 'id="ideas-map"' in response.text
        assert 'data-tile-url=""' in response.text and "districts.geojson" in response.text
        client.force_login(citizen)
        assert 'id="location-picker"' in client.get(reverse("ideas:create")).text
    with override_settings(MAP_TILE_URL="https://tiles.gera.example/{z}/{x}/{y}.png"):
        response = client.get(reverse("ideas:map"))
    assert 'id="ideas-map"' in response.text


def test_home_page_links_to_the_ideas(client):
    text = client.get("/").text
    assert f'href="{reverse("ideas:list")}"' in text and f'href="{reverse("ideas:create")}"' in text


@pytest.mark.django_db
def test_a_search_matching_more_ideas_than_the_cap_says_so(client, monkeypatch):
    from geraportal.core import pagination

    monkeypatch.setattr(pagination.CappedPaginator.__init__, "__kwdefaults__", {"cap": 2})
    for n in range(3):
        IdeaFactory(title=f"Radweg an der Elster {n}")
    page = client.get("/ideas/", {"q": "Radweg"})
    assert page.status_code == 200
    assert "Mehr als 2 Ideen" in page.text


def test_a_comment_page_number_beyond_any_discussion_is_no_page(client, idea):
    """PostgreSQL's integers end: an offset past them answered 500."""
    response = client.get(idea.get_absolute_url(), {"comments": "9" * 30})
    assert response.status_code == 200
