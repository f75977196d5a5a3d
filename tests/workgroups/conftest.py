import pytest

from tests.accounts.factories import UserFactory
from tests.paths import TESTDATA  # noqa: E402

from .factories import MembershipFactory, group


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    """Uploaded documents land in a fresh private directory per test."""
    settings.WORKGROUPS_DOCUMENTS_ROOT = tmp_path / "private"
    return settings.WORKGROUPS_DOCUMENTS_ROOT


@pytest.fixture
def energy(db):
    return group("energie-umwelt")


@pytest.fixture
def business(db):
    return group("wirtschaft")


@pytest.fixture
def moderator(energy):
    return MembershipFactory(
        group=energy, role="moderator", user=UserFactory(display_name="Clara Moderation")
    ).user


@pytest.fixture
def member(energy):
    return MembershipFactory(group=energy, user=UserFactory(display_name="Bernd Mitglied")).user


@pytest.fixture
def other_member(business):
    """A member of another group (business), not of energy."""
    return MembershipFactory(group=business, user=UserFactory(display_name="Otto Anderswo")).user


@pytest.fixture
def testdata():
    return TESTDATA
