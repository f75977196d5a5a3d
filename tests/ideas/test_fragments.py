"""Idea cards and comment texts come from the fragment cache; a change of anything they show
appears on the next page view all the same (their keys are made of what they show)."""

import pytest
from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.districts.models import District
from ideas.models import Comment, Idea
from workgroups.models import WorkingGroup

from .factories import CommentFactory, CompetitionFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def _list(client) -> str:
    return client.get("/ideas/").content.decode()


def test_every_value_on_an_idea_card_shows_its_change(client):
    idea = IdeaFactory(title="Solarbank am Markt")
    assert "Solarbank am Markt" in _list(client)  # rendered and kept

    changes = [
        (lambda: Idea.objects.filter(pk=idea.pk).update(title="Solarbänke am Markt"), "Solarbänke am Markt"),
        (lambda: Idea.objects.filter(pk=idea.pk).update(support_count=7), "7 Unterstützungen"),
        (lambda: Idea.objects.filter(pk=idea.pk).update(comment_count=3), "3 Kommentare"),
        (lambda: Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.IN_REVIEW), "in Prüfung"),
        (lambda: WorkingGroup.objects.filter(pk=idea.theme_id).update(name_de="Klima & Co"), "Klima &amp;"),
        (lambda: User.objects.filter(pk=idea.author_id).update(display_name="Frau Sonnig"), "Frau Sonnig"),
    ]
    for change, expected in changes:
        change()
        assert expected in _list(client), expected

    district = District.objects.first()
    Idea.objects.filter(pk=idea.pk).update(district=district)
    assert district.name in _list(client)
    District.objects.filter(pk=district.pk).update(name="Neu-Lusan")
    assert "Neu-Lusan" in _list(client)

    competition = CompetitionFactory(title="Wettbewerb Sommer")
    Idea.objects.filter(pk=idea.pk).update(competition=competition)
    assert "Wettbewerb Sommer" in _list(client)


def test_the_support_mark_is_the_viewers_own(client, citizen, other_citizen):
    idea = IdeaFactory()
    idea.supports.create(user=citizen)
    client.force_login(citizen)
    assert "Sie unterstützen sie" in _list(client)
    client.force_login(other_citizen)
    assert "Sie unterstützen sie" not in _list(client)


def test_a_comment_shows_its_edit_its_hiding_and_its_authors_new_name(client, idea, other_citizen):
    comment = CommentFactory(idea=idea, author=other_citizen, body="x", body_html="<p>Erste Fassung</p>")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Erste Fassung" in page

    Comment.objects.filter(pk=comment.pk).update(body_html="<p>Zweite Fassung</p>", edited_at=timezone.now())
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Zweite Fassung" in page and "Erste Fassung" not in page

    User.objects.filter(pk=other_citizen.pk).update(display_name="Bernd B.")
    assert "Bernd B." in client.get(idea.get_absolute_url()).content.decode()

    Comment.objects.filter(pk=comment.pk).update(hidden=True, hidden_reason="Beleidigung")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Zweite Fassung" not in page
    assert "von der Moderation ausgeblendet" in page


def test_the_hidden_text_is_shown_to_its_author_only(client, idea, citizen, other_citizen):
    CommentFactory(idea=idea, author=other_citizen, body="x", body_html="<p>Nur für Bernd</p>", hidden=True)
    assert "Nur für Bernd" not in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(other_citizen)
    assert "Nur für Bernd" in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(citizen)
    assert "Nur für Bernd" not in client.get(idea.get_absolute_url()).content.decode()
