import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from geraportal.notifications.models import Notification
from ideas import services
from ideas.models import Comment, Follow, Idea, IdeaRevision, JuryScore, StatusChange, Support
from ideas.notifications import FOLLOWED, IDEA_STATUS
from tests.accounts.factories import UserFactory
from tests.notifications.delivery import fan_out_events

from .factories import CommentFactory, CompetitionFactory, IdeaFactory, theme

pytestmark = pytest.mark.django_db


def data(**overrides) -> Idea:
    """A new, unsaved idea, as `IdeaForm.save(commit=False)` hands it to `idea_submit`."""
    values = {"title": "Solarbänke am Markt", "body": "Bänke mit **Solar**-Ladestation.", "theme": theme()}
    values.update(overrides)
    return Idea(**values)


def test_submitted_idea_is_published_with_history_revision_and_author_following(citizen):
    idea = services.idea_submit(author=citizen, idea=data())
    assert idea.status == Idea.Status.PUBLISHED
    assert list(idea.status_changes.values_list("to_status", flat=True)) == ["published"]
    assert idea.revisions.count() == 1
    assert Follow.objects.filter(idea=idea, user=citizen).exists()


def test_same_submission_token_twice_creates_one_idea(citizen):
    token = uuid.uuid4()
    first = services.idea_submit(author=citizen, idea=data(), submission_token=token)
    second = services.idea_submit(author=citizen, idea=data(), submission_token=token)
    assert first.pk == second.pk
    assert Idea.objects.filter(author=citizen).count() == 1


def test_every_edit_is_kept_as_a_revision(idea, citizen):
    services.idea_update(idea=idea, editor=citizen, changes={"title": "Neuer Titel"})
    services.idea_update(idea=idea, editor=citizen, changes={"title": "Noch neuer"})
    assert list(IdeaRevision.objects.filter(idea=idea).values_list("title", flat=True)) == [
        "Noch neuer",
        "Neuer Titel",
    ]


def test_author_cannot_edit_once_the_idea_is_in_review(idea, citizen, team_member):
    services.idea_set_in_review(idea=idea, by=team_member)
    with pytest.raises(ValidationError):
        services.idea_update(idea=idea, editor=citizen, changes={"title": "Zu spät"})


def test_supporting_twice_counts_once_and_the_database_refuses_a_second_row(idea, other_citizen):
    services.idea_support(idea=idea, user=other_citizen)
    idea = services.idea_support(idea=idea, user=other_citizen)
    assert idea.support_count == 1
    assert Idea.objects.get(pk=idea.pk).support_count == 1
    with pytest.raises(IntegrityError):
        Support.objects.create(idea=idea, user=other_citizen)


def test_unsupport_lowers_the_count(idea, other_citizen):
    services.idea_support(idea=idea, user=other_citizen)
    idea = services.idea_unsupport(idea=idea, user=other_citizen)
    assert idea.support_count == 0
    assert not Support.objects.filter(idea=idea).exists()


def test_declined_idea_cannot_be_supported(idea, other_citizen, team_member):
    services.idea_decline(idea=idea, by=team_member, reason="Liegt nicht in der Zuständigkeit der Stadt.")
    with pytest.raises(ValidationError):
        services.idea_support(idea=idea, user=other_citizen)


def test_merge_moves_supports_and_followers_without_counting_anyone_twice(team_member):
    source, target = IdeaFactory(), IdeaFactory()
    both, only_source, only_target = UserFactory(), UserFactory(), UserFactory()
    for user in (both, only_source):
        services.idea_support(idea=source, user=user)
        services.idea_follow(idea=source, user=user)
    for user in (both, only_target):
        services.idea_support(idea=target, user=user)
        services.idea_follow(idea=target, user=user)

    services.idea_merge(idea=source, into=target, by=team_member, reason="Doppelt eingereicht.")

    source.refresh_from_db()
    target.refresh_from_db()
    assert source.status == Idea.Status.MERGED and source.merged_into == target
    assert set(Support.objects.filter(idea=target).values_list("user", flat=True)) == {
        both.pk,
        only_source.pk,
        only_target.pk,
    }
    assert target.support_count == 3 and source.support_count == 0
    followers = set(Follow.objects.filter(idea=target).values_list("user", flat=True))
    assert {both.pk, only_source.pk, only_target.pk} <= followers
    fan_out_events()
    assert Notification.objects.filter(recipient=source.author, kind=IDEA_STATUS).exists()


def test_an_idea_cannot_be_merged_into_itself_or_into_a_merged_idea(team_member):
    a, b, c = IdeaFactory(), IdeaFactory(), IdeaFactory()
    with pytest.raises(ValidationError):
        services.idea_merge(idea=a, into=a, by=team_member)
    services.idea_merge(idea=b, into=c, by=team_member)
    with pytest.raises(ValidationError):
        services.idea_merge(idea=a, into=b, by=team_member)


def test_decline_needs_a_reason_and_tells_author_and_followers(idea, citizen, other_citizen, team_member):
    services.idea_follow(idea=idea, user=other_citizen)
    with pytest.raises(ValidationError):
        services.idea_decline(idea=idea, by=team_member, reason="  ")
    services.idea_decline(idea=idea, by=team_member, reason="Wird bereits umgesetzt.")
    change = StatusChange.objects.get(idea=idea, to_status="declined")
    assert change.reason == "Wird bereits umgesetzt." and change.actor == team_member
    fan_out_events()
    assert Notification.objects.filter(recipient=citizen, kind=IDEA_STATUS).count() == 1
    fan_out_events()
    assert Notification.objects.filter(recipient=other_citizen, kind=FOLLOWED).count() == 1


def test_transitions_outside_the_table_are_refused(idea, team_member):
    services.idea_decline(idea=idea, by=team_member, reason="Nein.")
    with pytest.raises(ValidationError):
        services.idea_adopt(idea=idea, by=team_member, pilot_title="Mobilitätsinsel")
    services.idea_set_in_review(idea=idea, by=team_member, reason="Neu bewertet.")
    services.idea_adopt(
        idea=idea, by=team_member, pilot_url="/pilots/mobilitaetsinsel/", pilot_title="Mobilitätsinsel"
    )
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ADOPTED
    assert idea.status_changes.last().pilot_title == "Mobilitätsinsel"


def test_hide_tells_the_author_the_reason_and_closes_reports(idea, citizen, other_citizen, team_member):
    report = services.report_create(idea=idea, reporter=other_citizen, reason="spam")
    services.idea_set_hidden(idea=idea, hidden=True, by=team_member, reason="Werbung für ein Unternehmen.")
    idea.refresh_from_db()
    report.refresh_from_db()
    assert idea.hidden and idea.hidden_reason == "Werbung für ein Unternehmen."
    assert report.resolved_at is not None
    fan_out_events()
    note = Notification.objects.get(recipient=citizen, kind=IDEA_STATUS)
    assert note.context["reason"] == "Werbung für ein Unternehmen."
    services.idea_set_hidden(idea=idea, by=team_member, hidden=False)
    idea.refresh_from_db()
    assert not idea.hidden


def test_reply_to_a_reply_joins_the_top_level_thread_and_notifies(idea, citizen, other_citizen):
    services.idea_follow(idea=idea, user=citizen)
    top = services.comment_create(idea=idea, author=other_citizen, body="Erster!")
    third = UserFactory()
    reply = services.comment_create(idea=idea, author=citizen, body="Antwort", parent=top)
    nested = services.comment_create(idea=idea, author=third, body="Antwort auf Antwort", parent=reply)
    assert reply.parent == top and nested.parent == top
    fan_out_events()
    assert Notification.objects.filter(recipient=other_citizen, kind=FOLLOWED).exists()
    fan_out_events()
    assert Notification.objects.filter(recipient=citizen, event_key=f"ideas.comment:{top.pk}").exists()
    idea.refresh_from_db()
    assert idea.comment_count == 3


def test_comment_can_be_edited_within_15_minutes_only(idea, other_citizen, clock):
    comment = services.comment_create(idea=idea, author=other_citizen, body="Tippfehler")
    services.comment_edit(comment=comment, editor=other_citizen, body="Korrigiert")
    clock.shift(datetime.timedelta(minutes=16))
    with pytest.raises(ValidationError):
        services.comment_edit(comment=comment, editor=other_citizen, body="Zu spät")
    assert Comment.objects.get(pk=comment.pk).body == "Korrigiert"


def test_hiding_a_comment_lowers_the_count(idea, team_member):
    comment = CommentFactory(idea=idea)
    services.comment_create(idea=idea, author=UserFactory(), body="Noch einer")
    services.comment_set_hidden(comment=comment, hidden=True, by=team_member, reason="Beleidigend.")
    idea.refresh_from_db()
    assert idea.comment_count == 1


def test_a_person_reports_a_contribution_once_and_is_told_so(idea, other_citizen):
    services.report_create(idea=idea, reporter=other_citizen, reason="spam")
    with pytest.raises(services.AlreadyReported):
        services.report_create(idea=idea, reporter=other_citizen, reason="other", note="Doppelt")
    comment = CommentFactory(idea=idea)
    services.report_create(idea=idea, comment=comment, reporter=other_citizen, reason="spam")
    with pytest.raises(services.AlreadyReported):
        services.report_create(idea=idea, comment=comment, reporter=other_citizen, reason="spam")


def test_the_database_refuses_a_second_report_of_the_same_comment(idea, other_citizen):
    from django.db import IntegrityError, transaction

    from ideas.models import Report

    comment = CommentFactory(idea=idea)
    Report.objects.create(idea=idea, comment=comment, reporter=other_citizen, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(idea=idea, comment=comment, reporter=other_citizen, reason="other")


def test_an_author_cannot_support_their_own_idea(idea):
    import rules

    with pytest.raises(services.IdeaStateError):
        services.idea_support(idea=idea, user=idea.author)
    assert not rules.has_perm("ideas.support_idea", idea.author, idea)


# --- Competitions -----------------------------------------------------------------------


def _competition_at(**kwargs):
    now = timezone.now()
    return CompetitionFactory(
        submission_start=now - datetime.timedelta(days=10),
        submission_end=now + datetime.timedelta(days=10),
        results_at=now + datetime.timedelta(days=20),
        **kwargs,
    )


def test_competition_phases_follow_the_dates(clock):
    competition = _competition_at()
    start = timezone.now()
    clock.move_to(start - datetime.timedelta(days=11))
    assert competition.phase == "upcoming"
    clock.move_to(start)
    assert competition.phase == "submission"
    clock.move_to(start + datetime.timedelta(days=10))
    assert competition.phase == "evaluation"
    clock.move_to(start + datetime.timedelta(days=20))
    assert competition.phase == "results"


def test_submitting_outside_the_window_is_refused_with_a_clear_message(clock, citizen):
    competition = _competition_at()
    clock.shift(datetime.timedelta(days=11))
    with pytest.raises(ValidationError) as error:
        services.idea_submit(author=citizen, idea=data(competition=competition))
    assert "ended on" in str(error.value) or "endete" in str(error.value)
    clock.shift(datetime.timedelta(days=-30))
    with pytest.raises(ValidationError):
        services.idea_submit(author=citizen, idea=data(competition=competition))


def test_competition_refuses_ideas_on_other_themes(clock, citizen):
    competition = _competition_at()
    competition.themes.set([theme("wirtschaft")])
    with pytest.raises(ValidationError):
        services.idea_submit(
            author=citizen, idea=data(competition=competition, theme=theme("energie-umwelt"))
        )
    assert services.idea_submit(author=citizen, idea=data(competition=competition, theme=theme("wirtschaft")))


def test_jury_scores_only_in_evaluation_and_ranking_uses_the_tie_rule(clock):
    competition = _competition_at()
    juror_a, juror_b = UserFactory(), UserFactory()
    competition.jury.set([juror_a, juror_b])
    early, late, low, unscored = (IdeaFactory(competition=competition) for _ in range(4))
    Idea.objects.filter(pk=early.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    Idea.objects.filter(pk=late.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    criteria = list(competition.criteria.all())

    def scores(value):
        return {c.pk: value for c in criteria}

    with pytest.raises(ValidationError):
        services.jury_score_save(competition=competition, idea=early, juror=juror_a, scores=scores(5))
    clock.shift(datetime.timedelta(days=12))
    for juror in (juror_a, juror_b):
        services.jury_score_save(competition=competition, idea=early, juror=juror, scores=scores(4))
        services.jury_score_save(competition=competition, idea=late, juror=juror, scores=scores(4))
        services.jury_score_save(competition=competition, idea=low, juror=juror, scores=scores(2))
    # Only the jury scores: the rule the jury view asks (the service checks only the data).
    assert juror_a.has_perm("ideas.score_competition", competition)
    assert not UserFactory().has_perm("ideas.score_competition", competition)
    with pytest.raises(ValidationError):
        services.jury_score_save(competition=competition, idea=low, juror=juror_a, scores=scores(6))
    assert JuryScore.objects.count() == 18

    ranking = services.competition_ranking(competition=competition)
    assert [r.idea.pk for r in ranking] == [early.pk, late.pk, low.pk, unscored.pk]
    assert ranking[0].score == 12.0 and ranking[3].score is None
    assert [r.is_winner for r in ranking] == [True, True, False, False]

    # More supports break the tie before the submission date does.
    services.idea_support(idea=late, user=UserFactory())
    ranking = services.competition_ranking(competition=competition)
    assert [r.idea.pk for r in ranking][:2] == [late.pk, early.pk]


def test_status_change_of_a_hidden_idea_is_told_to_its_author_only(
    idea, citizen, other_citizen, group_moderator
):
    services.idea_follow(idea=idea, user=other_citizen)
    services.idea_set_hidden(idea=idea, hidden=True, by=group_moderator, reason="Personenbezogene Daten")
    services.idea_set_in_review(idea=idea, by=group_moderator, reason="Wir prüfen das")
    services.idea_decline(idea=idea, by=group_moderator, reason="Nicht umsetzbar")
    fan_out_events()
    assert not Notification.objects.filter(recipient=other_citizen).exists()
    fan_out_events()
    statuses = Notification.objects.filter(recipient=citizen, template="ideas/notifications/status_changed")
    assert statuses.count() == 2


def test_merging_a_hidden_idea_does_not_tell_the_followers_its_title(citizen, other_citizen, team_member):
    hidden = IdeaFactory(author=citizen, title="Geheimer Titel")
    target = IdeaFactory(title="Das Original")
    services.idea_follow(idea=hidden, user=other_citizen)
    target_follower = UserFactory()
    services.idea_follow(idea=target, user=target_follower)
    services.idea_set_hidden(idea=hidden, hidden=True, by=team_member, reason="Doppelt und beleidigend")
    services.idea_merge(idea=hidden, into=target, by=team_member)
    fan_out_events()
    assert not Notification.objects.filter(recipient__in=[other_citizen, target_follower]).exists()
    fan_out_events()
    assert Notification.objects.filter(recipient=citizen, template="ideas/notifications/idea_merged").exists()
