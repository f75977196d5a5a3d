import datetime

import pytest

from tests.accounts.factories import UserFactory
from tests.ideas.factories import IdeaFactory
from workgroups.models import Membership

from .factories import PilotFactory, group


@pytest.fixture
def group_member(db):
    user = UserFactory(display_name="Mia Mitglied")
    Membership.objects.create(group=group("energie-umwelt"), user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def group_moderator(db):
    """Moderator of "Energie und Umwelt", the factories' default group."""
    user = UserFactory(display_name="Clara Moderation")
    Membership.objects.create(group=group("energie-umwelt"), user=user, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def other_group_moderator(db):
    user = UserFactory(display_name="Otto Anderswo")
    Membership.objects.create(group=group("wirtschaft"), user=user, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def idea_author(db):
    return UserFactory(display_name="Ida Ideengeberin")


@pytest.fixture
def idea(idea_author):
    return IdeaFactory(author=idea_author, title="Luftsensoren am Markt")


@pytest.fixture
def pilot(idea):
    return PilotFactory(status="draft", title="Luftgüte messen", slug="luftguete-messen", ideas=[idea])


@pytest.fixture
def clock_in_march_2021(clock):
    """The suite's clock at 1 March 2021, 12:00 in Gera: a week after the council's decision."""
    clock.move_to(datetime.datetime(2021, 3, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))))
    return clock
