"""A group's list of threads comes from the fragment cache (issue 16); a change of anything it
shows appears on the next view of the group's page and of its discussions all the same."""

import datetime

import pytest
from django.urls import reverse

from workgroups.models import Thread, WorkingGroup

from .factories import PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def test_every_value_of_a_listed_thread_shows_its_change(client, energy, member, moderator):
    thread = ThreadFactory(group=energy, author=member, title="Solardächer", visibility="public")
    pages = [energy.get_absolute_url(), reverse("workgroups:thread_list", kwargs={"slug": energy.slug})]

    def shown(text: str) -> bool:
        return all(text in client.get(url).text for url in pages)

    client.force_login(moderator)
    assert shown("Solardächer")  # rendered and kept
    row = Thread.objects.filter(pk=thread.pk)
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
        (lambda: PostFactory(thread=thread, author=member), "1 Beitrag"),
        (
            lambda: PostFactory(thread=thread, author=member),
            "2 neue Beiträge seit",
        ),  # unread, for the moderator
        (lambda: WorkingGroup.objects.filter(pk=energy.pk).update(slug="energie"), "/workgroups/energie/"),
    ]
    for apply, expected in changes:
        apply()
        pages = [
            WorkingGroup.objects.get(pk=energy.pk).get_absolute_url(),
            reverse("workgroups:thread_list", kwargs={"slug": WorkingGroup.objects.get(pk=energy.pk).slug}),
        ]
        assert shown(expected), expected
