"""Uploaded files lie where no public URL reaches them and are served by views that check
their object: a file is reachable while its object is public (or to staff), else 404."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from geraportal.strategy.models import StrategyEdition
from pilots.models import Pilot, PilotImage
from tests.ideas.factories import IdeaFactory
from tests.pages.factories import NewsPostFactory
from tests.pilots.factories import PilotFactory, PilotUpdateFactory

pytestmark = pytest.mark.django_db


def _png(name: str = "bild.png") -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def _status(client, url: str) -> int:
    return client.get(url).status_code


def test_the_default_storage_has_no_public_url():
    name = default_storage.save("news/x.png", _png())
    with pytest.raises(ValueError):
        default_storage.url(name)


def test_news_image_follows_the_post(client, team_member):
    post = NewsPostFactory(published_at=None, image=_png(), image_alt="Bild")
    url = post.image_url
    assert "/media/" not in url
    assert _status(client, url) == 404  # draft
    post.published_at = timezone.now() + timedelta(days=1)
    post.save()
    assert _status(client, url) == 404  # scheduled
    post.published_at = timezone.now() - timedelta(minutes=1)
    post.save()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["X-Content-Type-Options"] == "nosniff"
    post.published_at = None
    post.save()
    assert _status(client, url) == 404  # withdrawn
    client.force_login(team_member)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_news_pages_and_feeds_print_no_media_urls(client, team_member):
    post = NewsPostFactory(image=_png(), image_alt="Bild")
    html = client.get(post.get_absolute_url()).content.decode()
    assert post.image_url in html and "/media/" not in html
    for name in ("news:rss", "news:atom", "news:list"):
        assert b"/media/" not in client.get(reverse(name)).content
    client.force_login(team_member)
    edit = client.get(reverse("staff:news_edit", kwargs={"pk": post.pk})).content.decode()
    assert post.image_url in edit and "/media/" not in edit


def test_hidden_idea_image_is_hidden(client):
    idea = IdeaFactory(image=_png(), image_alt="Bild")
    url = reverse("ideas:image", args=[idea.pk])
    assert _status(client, url) == 200
    idea.hidden = True
    idea.save()
    assert _status(client, url) == 404
    client.force_login(idea.author)
    assert client.get(url)["Cache-Control"] == "private, no-store"


def test_draft_pilot_images_are_hidden_until_public(client, team_member):
    pilot = PilotFactory(status=Pilot.Status.DRAFT)
    picture = PilotImage.objects.create(pilot=pilot, image=_png(), alt="Bild")
    update = PilotUpdateFactory(pilot=pilot, image=_png(), image_alt="Bild")
    urls = [
        reverse("pilots:image", args=[pilot.slug, picture.pk]),
        reverse("pilots:update_image", args=[pilot.slug, update.pk]),
    ]
    assert [_status(client, url) for url in urls] == [404, 404]
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.PROPOSED)
    assert [_status(client, url) for url in urls] == [200, 200]
    assert client.get(urls[0])["Cache-Control"] == "public, max-age=300"
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.DRAFT)
    assert [_status(client, url) for url in urls] == [404, 404]
    client.force_login(team_member)
    assert [_status(client, url) for url in urls] == [200, 200]


@pytest.mark.parametrize("field", ["document", "pdf"])
def test_strategy_pdf_only_of_a_published_edition(client, team_member, field):
    edition = StrategyEdition.objects.create(year=2030, title="Entwurf", summary="s")
    getattr(edition, field).save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    url = edition.download_url
    assert "/media/" not in url
    assert _status(client, url) == 404
    edition.approved_at = edition.published_at = timezone.now()
    edition.save()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"/media/" not in client.get(edition.get_absolute_url()).content
    assert b"/media/" not in client.get(reverse("api:strategy-edition-list")).content
    edition.published_at = None
    edition.save()
    assert _status(client, url) == 404
    client.force_login(team_member)
    assert _status(client, url) == 200


def test_a_missing_file_answers_the_same_404(client):
    post = NewsPostFactory(image=_png(), image_alt="Bild")
    default_storage.delete(post.image.name)
    assert _status(client, post.image_url) == 404


@override_settings(PROTECTED_MEDIA_ACCEL_PREFIX="/_protected/")
def test_nginx_sends_the_file_when_configured(client):
    post = NewsPostFactory(image=_png(), image_alt="Bild")
    response = client.get(post.image_url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected/{post.image.name}"
    assert response["Cache-Control"] == "public, max-age=300"
    assert not b"".join(response.streaming_content if response.streaming else [response.content])


def test_pending_previews_older_than_a_day_are_deleted(clock):
    from ideas.tasks import delete_abandoned_previews

    old = default_storage.save("ideas/pending/old.png", _png())
    clock.shift(timedelta(hours=23))
    fresh = default_storage.save("ideas/pending/fresh.png", _png())
    kept = default_storage.save("ideas/images/kept.png", _png())
    clock.shift(timedelta(hours=2))
    assert delete_abandoned_previews() == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh) and default_storage.exists(kept)
