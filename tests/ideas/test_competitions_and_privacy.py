import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from geraportal.accounts import personal_data
from geraportal.accounts.services import account_delete
from ideas import services
from ideas.models import Comment, Follow, Idea, Support
from tests.accounts.factories import UserFactory

from .factories import CompetitionFactory, IdeaFactory, theme

pytestmark = pytest.mark.django_db


def shows_score(text: str) -> bool:
    return "15,0" in text or "15.0" in text


def test_competition_runs_through_its_phases_and_scores_stay_private_until_results(
    client, clock, citizen, team_member
):
    now = timezone.now()
    competition = CompetitionFactory(
        submission_start=now + datetime.timedelta(days=1),
        submission_end=now + datetime.timedelta(days=10),
        results_at=now + datetime.timedelta(days=20),
    )
    juror, other_juror = UserFactory(), UserFactory()
    competition.jury.set([juror, other_juror])
    form = {
        "title": "Grüne Dächer",
        "body": "Dächer begrünen.",
        "theme": theme().pk,
        "competition": competition.pk,
        "action": "publish",
    }
    client.force_login(citizen)
    response = client.post(reverse("ideas:create"), form)
    assert response.status_code == 200 and not Idea.objects.exists()  # not yet open

    clock.move_to(now + datetime.timedelta(days=2))
    assert client.post(reverse("ideas:create"), form).status_code == 302
    idea = Idea.objects.get()
    assert idea.competition == competition

    clock.move_to(now + datetime.timedelta(days=11))
    response = client.post(reverse("ideas:create"), {**form, "title": "Zu spät"})
    assert response.status_code == 200 and Idea.objects.count() == 1
    client.force_login(juror)
    assert client.get(reverse("ideas:competition_jury", args=[competition.slug])).status_code == 200
    criteria = list(competition.criteria.all())
    client.post(
        reverse("ideas:competition_score", args=[competition.slug, idea.pk]),
        {f"c{c.pk}": "5" for c in criteria},
    )
    client.force_login(other_juror)
    assert not shows_score(client.get(competition.get_absolute_url()).text)
    client.force_login(team_member)
    assert shows_score(client.get(competition.get_absolute_url()).text)

    clock.move_to(now + datetime.timedelta(days=21))
    client.logout()
    text = client.get(competition.get_absolute_url()).text
    assert shows_score(text) and "Grüne Dächer" in text
    client.force_login(juror)
    assert client.get(reverse("ideas:competition_jury", args=[competition.slug])).status_code == 403


def test_export_contains_ideas_comments_supports_and_follows(citizen):
    idea = services.idea_submit(author=citizen, idea=Idea(title="Meine Idee", body="Text", theme=theme()))
    other = IdeaFactory()
    services.comment_create(idea=other, author=citizen, body="Mein Kommentar")
    services.idea_support(idea=other, user=citizen)
    services.idea_follow(idea=other, user=citizen)
    data = personal_data.export_for(citizen)["ideas"]
    assert data["ideas"][0]["title"] == "Meine Idee" and data["ideas"][0]["url"] == idea.get_absolute_url()
    assert data["comments"][0]["text"] == "Mein Kommentar"
    assert [s["idea"] for s in data["supports"]] == [other.pk]
    assert {f["idea"] for f in data["follows"]} == {idea.pk, other.pk}


@pytest.mark.parametrize("delete_contributions", [False, True])
def test_account_deletion_anonymises_or_deletes(citizen, delete_contributions):
    idea = IdeaFactory(author=citizen)
    other = IdeaFactory()
    services.comment_create(idea=other, author=citizen, body="Kommentar")
    services.idea_support(idea=other, user=citizen)
    services.idea_follow(idea=other, user=citizen)
    account_delete(user=citizen, delete_contributions=delete_contributions)
    assert not Follow.objects.filter(user=citizen).exists()
    other.refresh_from_db()
    if delete_contributions:
        assert not Idea.objects.filter(pk=idea.pk).exists()
        assert not Comment.objects.filter(author=citizen).exists()
        assert other.support_count == 0 and other.comment_count == 0
    else:
        assert Idea.objects.get(pk=idea.pk).author.public_name in ("Gelöschte Person", "Deleted participant")
        assert Comment.objects.filter(author=citizen).exists()
        assert Support.objects.filter(user=citizen).exists() and other.support_count == 1
