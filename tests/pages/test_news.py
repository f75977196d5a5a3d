"""News posts: drafts and scheduled posts stay private, staff write them, feeds carry them."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from geraportal.pages import services
from geraportal.pages.models import NewsPost
from tests.pages.factories import NewsPostFactory
from tests.paths import TESTDATA  # noqa: E402


def test_german_slugs_spell_out_umlauts():
    assert services.german_slug("Größere Rückkehr über Gera!") == "groessere-rueckkehr-ueber-gera"
    assert services.german_slug("???") == "beitrag"


@pytest.mark.django_db
def test_slug_is_unique_for_the_same_title(team_member):
    data = {"title": "Strategie-Update 2026", "teaser": "t", "body": "b"}
    first = services.news_post_create(author=team_member, data=data)
    second = services.news_post_create(author=team_member, data=data)
    assert (first.slug, second.slug) == ("strategie-update-2026", "strategie-update-2026-2")


@pytest.mark.django_db
def test_draft_and_scheduled_posts_are_not_public_until_their_time(client, clock):
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    clock.move_to(now)
    NewsPostFactory(title="Öffentlich", published_at=now - timedelta(hours=1))
    draft = NewsPostFactory(title="Entwurf", published_at=None)
    scheduled = NewsPostFactory(title="Geplant", published_at=now + timedelta(days=1))
    text = client.get(reverse("news:list")).text
    assert "Öffentlich" in text and "Entwurf" not in text and "Geplant" not in text
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    clock.move_to(now + timedelta(days=1, minutes=1))
    assert "Geplant" in client.get(reverse("news:list")).text
    assert client.get(scheduled.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_staff_can_preview_a_draft_with_a_banner(client, team_member):
    draft = NewsPostFactory(published_at=None)
    client.force_login(team_member)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "Entwurf" in response.text


@pytest.mark.django_db
def test_citizen_cannot_preview_a_draft(client, citizen):
    draft = NewsPostFactory(published_at=None)
    client.force_login(citizen)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_body_markdown_is_sanitised(client):
    post = NewsPostFactory(
        body="Hallo <script>alert(1)</script> [x](javascript:alert(1)) ![a](https://evil.example/p.png)"
    )
    text = client.get(post.get_absolute_url()).text
    assert "<script>alert(1)" not in text and "javascript:" not in text and "evil.example" not in text


@pytest.mark.django_db
def test_header_shows_news_navigation(client):
    text = client.get("/").text
    assert 'href="/news/"' in text and "Aktuelles" in text


@pytest.mark.django_db
def test_news_list_and_detail_need_a_pinned_number_of_queries(client, django_assert_num_queries):
    NewsPostFactory.create_batch(15)
    with django_assert_num_queries(2):
        assert client.get(reverse("news:list")).status_code == 200
    post = NewsPostFactory()
    with django_assert_num_queries(1):
        assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_rss_and_atom_feeds_list_only_published_posts(client):
    NewsPostFactory(title="Pilot abgeschlossen")
    NewsPostFactory(title="Geheimer Entwurf", published_at=None)
    rss = client.get(reverse("news:rss"))
    atom = client.get(reverse("news:atom"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    for response in (rss, atom):
        assert "Pilot abgeschlossen" in response.text and "Geheimer Entwurf" not in response.text
        assert "http://testserver/news/" in response.text


# --- Staff UI -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login_from_staff_news(client):
    response = client.get(reverse("staff:news_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_citizen_is_refused_staff_news(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("staff:news_list")).status_code == 403
    assert client.post(reverse("staff:news_create"), {"title": "x"}).status_code == 403


@pytest.mark.django_db
def test_staff_without_two_factor_is_sent_to_set_it_up(client, team_member_without_mfa):
    client.force_login(team_member_without_mfa)
    response = client.get(reverse("staff:news_list"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def _png(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("bild.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_staff_writes_schedules_and_publishes_a_post(client, team_member, clock):
    now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    clock.move_to(now)
    client.force_login(team_member)
    response = client.post(
        reverse("staff:news_create"),
        {
            "title": "Einladung zum Plenum",
            "teaser": "Das Plenum tagt im Juni.",
            "body": "Alle sind **eingeladen**.",
            "published_at": "2026-06-01T10:00",
            "image": _png(),
            "image_alt": "Der Ratssaal",
        },
    )
    post = NewsPost.objects.get()
    assert response.status_code == 302 and post.slug == "einladung-zum-plenum"
    assert post.state == "scheduled" and post.author == team_member
    assert post.image and post.image_alt == "Der Ratssaal"
    client.post(reverse("staff:news_publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.published_at == now and post.state == "published"
    client.post(reverse("staff:news_unpublish", args=[post.pk]))
    post.refresh_from_db()
    assert post.state == "draft"


@pytest.mark.django_db
def test_image_without_alt_text_is_refused_and_input_kept(client, team_member):
    client.force_login(team_member)
    response = client.post(
        reverse("staff:news_create"), {"title": "Mein Titel", "teaser": "t", "body": "b", "image": _png()}
    )
    assert response.status_code == 200 and not NewsPost.objects.exists()
    assert "Bitte beschreiben Sie das Bild" in response.text and 'value="Mein Titel"' in response.text


@pytest.mark.django_db
def test_uploaded_photo_loses_its_gps_data(client, team_member):
    client.force_login(team_member)
    photo = SimpleUploadedFile(
        "foto.jpg", (TESTDATA / "photo-with-gps.jpg").read_bytes(), content_type="image/jpeg"
    )
    client.post(
        reverse("staff:news_create"),
        {"title": "Foto", "teaser": "t", "body": "b", "image": photo, "image_alt": "Ein Foto"},
    )
    post = NewsPost.objects.get()
    with post.image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif() and "exif" not in image.info


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["bomb-30000x30000.png", "script-named.jpg", "truncated.jpg", "script.svg"])
def test_hostile_image_uploads_are_refused_with_a_message(client, team_member, name):
    client.force_login(team_member)
    upload = SimpleUploadedFile(name, (TESTDATA / name).read_bytes(), content_type="image/png")
    response = client.post(
        reverse("staff:news_create"),
        {"title": "Bild", "teaser": "t", "body": "b", "image": upload, "image_alt": "x"},
    )
    assert response.status_code == 200 and not NewsPost.objects.exists()
    assert 'class="invalid-feedback' in response.text or "is-invalid" in response.text


@pytest.mark.django_db
def test_hostile_text_inputs_never_break_the_news_pages(client, team_member):
    hostile = json.loads((TESTDATA / "hostile-inputs.json").read_text())
    strings = [s for s in _strings(hostile) if s.strip()][:25]
    client.force_login(team_member)
    for text in strings:
        response = client.post(
            reverse("staff:news_create"), {"title": text[:160], "teaser": text[:300], "body": text}
        )
        assert response.status_code in (200, 302)
    for post in NewsPost.objects.all():
        services.news_post_publish(post=post, by=None)
        assert client.get(post.get_absolute_url()).status_code == 200
    assert client.get(reverse("news:list")).status_code == 200
    assert client.get(reverse("news:rss")).status_code == 200


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
