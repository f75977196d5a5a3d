"""A published result is on the visitors' cached poll page at once (issue 16)."""

import pytest
from django.urls import reverse

from plenary import services

from .conftest import close_and_count


@pytest.mark.django_db
def test_a_published_result_is_visible_at_once(
    client, settings, team_member, make_poll, voters, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    poll = services.poll_open(poll=make_poll(voters=voters, method="yes_no"))
    options = list(poll.options.values_list("pk", flat=True))
    for person in voters[:3]:
        services.ballot_cast(poll=poll, user=person, choices=dict.fromkeys(options, 1), submission_key="k")
    poll = close_and_count(poll, by=team_member)
    url = reverse("plenary:poll", kwargs={"pk": poll.pk})
    before = client.get(url)
    assert "Ergebnis je Vorschlag" not in before.text
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.poll_publish(poll=poll, by=team_member)
    assert "Ergebnis je Vorschlag" in client.get(url).text
