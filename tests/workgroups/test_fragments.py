"""A group's list of threads comes from the fragment cache (issue 16); a change of anything it
shows appears on the next view of the group's page and of its discussions all the same."""

import datetime

import pytest
from django.urls import reverse

from workgroups.models import Post, Thread, ThreadRead, WorkingGroup

from .factories import PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def test_every_value_of_a_listed_thread_shows_its_change(client, energy, member, moderator):
    thread = ThreadFactory(group=energy, author=member, title="Solardächer", visibility="public")

    def pages() -> list[str]:
        slug = WorkingGroup.objects.get(pk=energy.pk).slug
        urls = [
            reverse("workgroups:detail", kwargs={"slug": slug}),
            reverse("workgroups:thread_list", kwargs={"slug": slug}),
        ]
        return [client.get(url).text for url in urls]

    def shown(text: str) -> bool:
        return all(text in page for page in pages())

    client.force_login(moderator)
    assert shown("Solardächer")  # rendered and kept
    row = Thread.objects.filter(pk=thread.pk)

    def read_all() -> None:
        last = Post.objects.filter(thread=thread).order_by("-pk").first()
        ThreadRead.objects.update_or_create(
            thread=thread, user=moderator, defaults={"last_read_post_id": last.pk}
        )

    changes = [
        (lambda: row.update(title="Solardächer am Markt"), "Solardächer am Markt"),
        (lambda: row.update(pinned_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)), "Angeheftet"),
        (lambda: row.update(visibility="members"), "Nur für Mitglieder"),
        (lambda: row.update(locked_at=datetime.datetime(2026, 5, 2, tzinfo=datetime.UTC)), "Geschlossen"),
        (
            lambda: row.update(
                hidden_at=datetime.datetime(2026, 5, 3, tzinfo=datetime.UTC), hidden_reason="Doppelt"
            ),
            "Ausgeblendet",
        ),
        (
            lambda: row.update(last_post_at=datetime.datetime(2026, 5, 4, 9, 30, tzinfo=datetime.UTC)),
            "04.05.2026",
        ),
        # Unread for the moderator: a member's post, then theirs (only the count), then read.
        (lambda: PostFactory(thread=thread, author=member), "1 neuer Beitrag seit"),
        (lambda: PostFactory(thread=thread, author=moderator), "2 Beiträge"),
        (read_all, "2 Beiträge"),
        (
            lambda: WorkingGroup.objects.filter(pk=energy.pk).update(slug="energie"),
            f"/workgroups/energie/diskussionen/{thread.pk}/",
        ),
    ]
    for apply, expected in changes:
        apply()
        assert shown(expected), expected
        if apply is read_all:
            assert not any("neuer Beitrag seit" in page for page in pages())
