"""A pilot event is told once, by pilots, to everyone who cares: never again by ideas."""

import pytest

from geraportal.notifications.models import Notification
from ideas.models import Follow, Support
from ideas.notifications import FOLLOWED, IDEA_STATUS
from pilots import services
from pilots.models import PilotFollow
from pilots.notifications import PILOT_UPDATE, pilot_audience
from tests.accounts.factories import UserFactory
from tests.ideas.factories import IdeaFactory
from tests.notifications.delivery import fan_out_events

from .factories import PilotFactory

pytestmark = pytest.mark.django_db


def test_proposing_tells_author_and_idea_followers_once_each_in_the_pilots_words(
    pilot, idea, idea_author, group_moderator
):
    follower, supporter = UserFactory(), UserFactory()
    Follow.objects.create(idea=idea, user=follower)
    Support.objects.create(idea=idea, user=supporter)
    services.pilot_propose(pilot=pilot, by=group_moderator)
    fan_out_events()
    kinds = dict(Notification.objects.values_list("recipient_id", "kind"))
    assert kinds == {idea_author.pk: PILOT_UPDATE, follower.pk: PILOT_UPDATE, supporter.pk: PILOT_UPDATE}
    assert not Notification.objects.filter(kind__in=[IDEA_STATUS, FOLLOWED]).exists()
    assert Notification.objects.get(recipient=idea_author).template.endswith("_author")


def test_the_audience_of_a_pilot_with_a_hidden_idea_is_that_ideas_author_only(idea_author):
    hidden = IdeaFactory(author=idea_author, hidden=True, hidden_reason="Werbung")
    Follow.objects.create(idea=hidden, user=UserFactory())
    Support.objects.create(idea=hidden, user=UserFactory())
    pilot_follower = UserFactory()
    pilot = PilotFactory(status="approved", ideas=[hidden])
    PilotFollow.objects.create(pilot=pilot, user=pilot_follower)
    assert pilot_audience(pilot_id=pilot.pk) == {idea_author.pk, pilot_follower.pk}
