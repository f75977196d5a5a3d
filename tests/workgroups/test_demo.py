import pytest

from geraportal.accounts.demo import accounts
from workgroups.demo import working_groups
from workgroups.models import Document, Meeting, Membership, Post, Thread, WorkingGroup


@pytest.mark.django_db
def test_demo_gives_every_group_people_threads_a_document_and_meetings(settings, tmp_path):
    settings.WORKGROUPS_DOCUMENTS_ROOT = tmp_path
    # Only the steps this one builds on, not every app's demo content: keeps the test fast.
    accounts(lambda message: None)
    working_groups(lambda message: None)
    working_groups(lambda message: None)  # idempotent
    for group in WorkingGroup.objects.all():
        assert Membership.objects.filter(group=group, role="moderator").exists()
        assert Membership.objects.filter(group=group, role="member").exists()
        assert Thread.objects.filter(group=group, visibility="public").count() == 1
        assert Thread.objects.filter(group=group, visibility="members").count() == 1
        assert Post.objects.filter(thread__group=group).count() >= 4
        assert Document.objects.filter(group=group).count() == 1
        assert Meeting.objects.filter(group=group).count() == 3
    assert Membership.objects.filter(user__email="mitglied@example.org", role="member").count() >= 2
    assert Membership.objects.filter(user__email="moderation@example.org", role="moderator").count() >= 2
