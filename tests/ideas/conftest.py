import pytest

from tests.accounts.factories import UserFactory
from workgroups.models import Membership

from .factories import IdeaFactory, theme


@pytest.fixture
def idea(db, citizen):
    return IdeaFactory(author=citizen)


@pytest.fixture
def other_citizen(db):
    return UserFactory(display_name="Bernd Nachbar")


@pytest.fixture
def group_moderator(db):
    """Moderator of the working group "Energie und Umwelt" (the factories' default theme)."""
    user = UserFactory(display_name="Clara Moderation")
    Membership.objects.create(group=theme("energie-umwelt"), user=user, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def other_group_moderator(db):
    user = UserFactory()
    Membership.objects.create(group=theme("wirtschaft"), user=user, role=Membership.Role.MODERATOR)
    return user
