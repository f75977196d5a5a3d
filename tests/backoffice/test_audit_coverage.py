"""Every staff action writes one audit row (who, what, on which object, the changed fields)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from geraportal.core.models import StaffAction
from geraportal.newsletter import services as newsletter
from geraportal.pages import services as pages
from geraportal.pages.models import Event, NewsPost
from ideas import services as ideas
from ideas.models import Idea, Report
from pilots import services as pilots
from pilots.models import Pilot
from tests.accounts.factories import UserFactory, give_mfa
from tests.ideas.factories import CommentFactory, IdeaFactory
from tests.newsletter.factories import SubscriberFactory
from tests.pilots.factories import PilotFactory
from tests.workgroups.factories import MembershipFactory, PostFactory, ThreadFactory
from workgroups import services as workgroups
from workgroups.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _only_row(action: str, target, *, by) -> StaffAction:
    """The one audit row of `action` on `target`, by `by`."""
    rows = list(StaffAction.objects.filter(action=action))
    assert len(rows) == 1, [r.action for r in StaffAction.objects.all()]
    row = rows[0]
    assert row.actor == by and row.actor_name
    assert row.object_type == target._meta.label_lower and row.object_id == str(target.pk)
    return row


def _count() -> int:
    return StaffAction.objects.count()


# --- News posts and workshops ------------------------------------------------------------


def test_news_post_actions_are_audited(team_member):
    post = pages.news_post_create(author=team_member, data={"title": "Neu", "teaser": "T", "body": "B"})
    row = _only_row("news_post_created", post, by=team_member)
    assert row.after["title"] == "Neu" and row.summary == "Neu"

    pages.news_post_update(
        post=post, by=team_member, data={"title": "Neuer Titel", "teaser": "T", "body": "B"}
    )
    row = _only_row("news_post_changed", post, by=team_member)
    assert row.before == {"title": "Neu"} and row.after == {"title": "Neuer Titel"}

    pages.news_post_publish(post=post, by=team_member)
    row = _only_row("news_post_published", post, by=team_member)
    assert row.before == {"published_at": None} and row.after["published_at"]

    pages.news_post_unpublish(post=post, by=team_member)
    row = _only_row("news_post_unpublished", post, by=team_member)
    assert row.before["published_at"] and row.after == {"published_at": None}
    assert _count() == 4


def test_workshop_actions_are_audited(team_member):
    now = timezone.now()
    data = {
        "title": "Werkstatt",
        "starts_at": now,
        "ends_at": now + datetime.timedelta(hours=2),
        "location": "Rathaus",
    }
    event = pages.event_create(created_by=team_member, data=data)
    row = _only_row("event_created", event, by=team_member)
    assert row.after["location"] == "Rathaus"

    pages.event_update(event=event, by=team_member, data={**data, "location": "Bibliothek"})
    row = _only_row("event_changed", event, by=team_member)
    assert row.before == {"location": "Rathaus"} and row.after == {"location": "Bibliothek"}

    pk = event.pk
    pages.event_delete(event=event, by=team_member)
    row = StaffAction.objects.get(action="event_deleted")
    assert row.actor == team_member and row.object_id == str(pk) and row.before["title"] == "Werkstatt"
    assert not Event.objects.exists()


def test_news_post_pages_write_the_row_with_the_person(client, team_member):
    post = NewsPost.objects.create(title="Entwurf", slug="entwurf", teaser="T", body="B", author=team_member)
    client.force_login(team_member)
    client.post(reverse("staff:news_publish", kwargs={"pk": post.pk}))
    _only_row("news_post_published", post, by=team_member)


# --- Newsletter --------------------------------------------------------------------------


def test_newsletter_actions_are_audited(team_member, django_capture_on_commit_callbacks):
    post = pages.news_post_create(author=team_member, data={"title": "Neu", "teaser": "T", "body": "B"})
    pages.news_post_publish(post=post, by=team_member)
    issue = newsletter.issue_create(author=team_member, subject="Juni", intro="Hallo", news_posts=[])
    row = _only_row("newsletter_issue_created", issue, by=team_member)
    assert row.after == {"subject": "Juni", "intro": "Hallo", "news_posts": []}

    newsletter.issue_update(
        issue=issue, by=team_member, subject="Juni 2026", intro="Hallo", news_posts=[post]
    )
    row = _only_row("newsletter_issue_changed", issue, by=team_member)
    assert row.before == {"subject": "Juni", "news_posts": []}
    assert row.after == {"subject": "Juni 2026", "news_posts": ["Neu"]}

    newsletter.issue_send_test(issue=issue, to_user=team_member)
    row = _only_row("newsletter_issue_test_sent", issue, by=team_member)
    assert row.after == {"to": team_member.email.lower()}

    SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=False):
        newsletter.issue_send(issue=issue, by=team_member)
    row = _only_row("newsletter_issue_sent", issue, by=team_member)
    assert row.before == {"status": "draft"} and row.after == {"status": "sending", "recipients_total": 1}


def test_a_bounce_entered_by_staff_is_audited_one_from_the_mailbox_is_not(team_member):
    staff_entered, from_mailbox = SubscriberFactory(), SubscriberFactory()
    newsletter.newsletter_bounce_record(email=staff_entered.email, reason="550 unknown", by=team_member)
    row = _only_row("newsletter_bounce_recorded", staff_entered, by=team_member)
    assert row.before["status"] == "confirmed" and row.after["status"] == "bounced"
    assert row.after["bounce_reason"] == "550 unknown"
    newsletter.newsletter_bounce_record(email=from_mailbox.email, reason="550")
    assert _count() == 1


def test_an_issue_created_through_its_page_is_audited(client, team_member):
    client.force_login(team_member)
    client.post(reverse("staff:newsletter_create"), {"subject": "Juli", "intro": "Hallo"})
    assert StaffAction.objects.filter(action="newsletter_issue_created", actor=team_member).count() == 1


# --- Ideas: moderation -------------------------------------------------------------------


def test_idea_moderation_is_audited(team_member):
    idea = IdeaFactory()
    ideas.idea_set_hidden(idea=idea, by=team_member, hidden=True, reason="Beleidigend")
    row = _only_row("idea_hidden", idea, by=team_member)
    assert row.before == {"hidden": False, "hidden_reason": ""}
    assert row.after == {"hidden": True, "hidden_reason": "Beleidigend"}
    ideas.idea_set_hidden(idea=idea, by=team_member, hidden=False)
    assert _only_row("idea_unhidden", idea, by=team_member).after == {"hidden": False, "hidden_reason": ""}

    ideas.idea_set_in_review(idea=idea, by=team_member, reason="Wir prüfen.")
    row = _only_row("idea_in_review", idea, by=team_member)
    assert row.before["status"] == "published" and row.after["status"] == "in_review"
    ideas.idea_decline(idea=idea, by=team_member, reason="Nicht machbar.")
    row = _only_row("idea_declined", idea, by=team_member)
    assert row.after == {"status": "declined", "reason": "Nicht machbar."}

    duplicate, target = IdeaFactory(), IdeaFactory()
    ideas.idea_merge(idea=duplicate, into=target, by=team_member, reason="Doppelt")
    row = _only_row("idea_merged", duplicate, by=team_member)
    assert row.after["status"] == "merged" and row.after["merged_into"] == f"{target.pk}: {target.title}"

    adopted = IdeaFactory()
    ideas.idea_adopt(idea=adopted, by=team_member, pilot_title="Licht", notify=False)
    row = _only_row("idea_adopted", adopted, by=team_member)
    assert row.after["status"] == "adopted" and row.after["pilot_title"] == "Licht"
    assert _count() == 6


def test_comment_moderation_and_report_dismissal_are_audited(team_member, citizen):
    comment = CommentFactory()
    ideas.comment_set_hidden(comment=comment, by=team_member, hidden=True, reason="Spam")
    row = _only_row("comment_hidden", comment, by=team_member)
    assert row.after == {"hidden": True, "hidden_reason": "Spam"} and row.summary == comment.idea.title
    ideas.comment_set_hidden(comment=comment, by=team_member, hidden=False)
    assert _only_row("comment_unhidden", comment, by=team_member).after["hidden"] is False

    report = Report.objects.create(idea=comment.idea, reporter=citizen, reason=Report.Reason.choices[0][0])
    ideas.report_dismiss(report=report, by=team_member, resolution="Kein Verstoß")
    row = _only_row("report_dismissed", report, by=team_member)
    assert row.before == {"resolved_at": None, "resolution": ""} and row.after["resolution"] == "Kein Verstoß"


# --- Working groups: moderators ----------------------------------------------------------


def test_working_group_moderation_is_audited(db):
    moderator = MembershipFactory(role=Membership.Role.MODERATOR).user
    post = PostFactory(thread=ThreadFactory())
    thread = post.thread

    workgroups.post_hide(post=post, by=moderator, reason="Off-topic")
    row = _only_row("workgroup_post_hidden", post, by=moderator)
    assert row.after["hidden_reason"] == "Off-topic" and row.before == {
        "hidden_at": None,
        "hidden_reason": "",
    }
    workgroups.post_unhide(post=post, by=moderator)
    assert _only_row("workgroup_post_unhidden", post, by=moderator).after == {
        "hidden_at": None,
        "hidden_reason": "",
    }
    workgroups.thread_hide(thread=thread, by=moderator, reason="Doppelt")
    assert _only_row("workgroup_thread_hidden", thread, by=moderator).summary == thread.title
    workgroups.thread_unhide(thread=thread, by=moderator)
    _only_row("workgroup_thread_unhidden", thread, by=moderator)
    workgroups.thread_set_pinned(thread=thread, pinned=True, by=moderator)
    assert _only_row("workgroup_thread_pinned", thread, by=moderator).after["pinned_at"]
    workgroups.thread_set_locked(thread=thread, locked=True, by=moderator)
    assert _only_row("workgroup_thread_locked", thread, by=moderator).after["locked_at"]


def test_membership_changes_and_invitations_by_moderators_are_audited(db):
    moderator = MembershipFactory(role=Membership.Role.MODERATOR).user
    member = MembershipFactory()
    group = member.group

    workgroups.membership_set_role(membership=member, role=Membership.Role.MODERATOR, by=moderator)
    row = _only_row("workgroup_role_changed", member, by=moderator)
    assert row.before == {"role": "member"} and row.after == {"role": "moderator"}
    assert row.summary == f"{member.user.email} – {group.slug}"

    workgroups.membership_remove(membership=member, by=moderator)
    row = StaffAction.objects.get(action="workgroup_member_removed")
    assert row.actor == moderator and row.object_id == str(member.pk)
    assert row.before == {"role": "moderator"} and row.after == {"role": None}

    invitation = workgroups.invitation_create(group=group, email="neu@example.org", by=moderator)
    row = _only_row("workgroup_invitation_created", invitation, by=moderator)
    assert row.after["email"] == "neu@example.org"

    asker = UserFactory()
    request = workgroups.join_request_create(group=group, user=asker, motivation="Ich helfe gern.")
    membership = workgroups.join_request_accept(join_request=request, by=moderator)
    row = _only_row("workgroup_join_accepted", membership, by=moderator)
    assert row.before == {"status": "pending", "role": None}
    assert row.after == {"status": "accepted", "role": "member"}

    other = workgroups.join_request_create(group=group, user=UserFactory(), motivation="Auch ich.")
    workgroups.join_request_decline(join_request=other, by=moderator, reason="Voll")
    row = _only_row("workgroup_join_declined", other, by=moderator)
    assert row.after == {"status": "declined", "reason": "Voll"}


# --- Pilots ------------------------------------------------------------------------------


def test_pilot_lifecycle_and_edits_are_audited_for_people_only(team_member):
    pilot = PilotFactory(status=Pilot.Status.APPROVED)
    pilots.pilot_start_tendering(pilot=pilot, by=team_member, note="Los geht's")
    row = _only_row("pilot_tendering", pilot, by=team_member)
    assert row.before == {"status": "approved", "note": None} and row.after == {
        "status": "tendering",
        "note": "Los geht's",
    }

    pilots.pilot_start_implementation(pilot=pilot, by=None)  # the portal itself: no row
    assert not StaffAction.objects.filter(action="pilot_implementation").exists()

    pilot.refresh_from_db()
    pilot.summary = "Neue Zusammenfassung."
    pilots.pilot_edit(pilot=pilot, by=team_member, source_ideas=[], districts=[])
    row = _only_row("pilot_changed", pilot, by=team_member)
    assert row.after == {"summary": "Neue Zusammenfassung."}
    assert row.before == {"summary": "Sensoren messen die Luftqualität in der Innenstadt."}

    milestone = pilots.milestone_save(pilot=pilot, by=team_member, title="Sensoren bestellt")
    row = _only_row("pilot_milestone_created", milestone, by=team_member)
    assert row.after["title"] == "Sensoren bestellt"
    today = timezone.localdate()
    pilots.milestone_save(
        pilot=pilot, by=team_member, title="Sensoren bestellt", done_date=today, milestone=milestone
    )
    row = _only_row("pilot_milestone_changed", milestone, by=team_member)
    assert row.before == {"done_date": None} and row.after == {"done_date": today.isoformat()}
    pilots.milestone_delete(milestone=milestone, by=team_member)
    assert StaffAction.objects.get(action="pilot_milestone_deleted").before["title"] == "Sensoren bestellt"

    update = pilots.progress_update_create(
        pilot=pilot, by=team_member, title="Montiert", body="Alles hängt.", notify_people=False
    )
    row = _only_row("pilot_update_posted", update, by=team_member)
    assert row.after["title"] == "Montiert"
    pilots.progress_update_delete(update=update, by=team_member)
    assert StaffAction.objects.get(action="pilot_update_deleted").before["title"] == "Montiert"


def test_a_pilot_proposed_from_an_idea_writes_one_row(team_member):
    idea = IdeaFactory()
    pilot = pilots.pilot_create_from_idea(idea=idea, by=team_member)
    row = _only_row("pilot_created_from_idea", pilot, by=team_member)
    assert row.after["source_ideas"] == [idea.pk] and row.after["title"] == idea.title
    assert _count() == 1
    assert Idea.objects.get(pk=idea.pk).status == "published"


# --- The audit log page ------------------------------------------------------------------


def test_the_audit_log_page_shows_a_staff_action(client, team_member):
    admin = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(admin)
    idea = IdeaFactory(title="Laternen im Park")
    ideas.idea_set_hidden(idea=idea, by=team_member, hidden=True, reason="Doppelt eingereicht")
    client.force_login(admin)
    response = client.get(reverse("staff:audit_log"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "idea_hidden" in page and "Laternen im Park" in page and team_member.public_name in page
