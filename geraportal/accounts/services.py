"""Writes on accounts. Views, commands and tests call these; none receives a request."""

import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import timezone

from geraportal.districts.models import District

from . import personal_data
from .models import User


@dataclass(frozen=True)
class ProfileData:
    display_name: str
    district: District | None
    language: str


def profile_update(*, user: User, data: ProfileData) -> User:
    user.display_name = data.display_name
    user.district = data.district
    user.language = data.language
    user.save(update_fields=["display_name", "district", "language"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def account_delete(*, user: User, delete_contributions: bool = False) -> None:
    """Remove a person's personal data for good.

    The row stays as an anonymous tombstone so that contributions (kept unless
    `delete_contributions`) show as from "a deleted participant". Every app's registered
    eraser runs in the same transaction: all of it happens, or none of it.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        return
    personal_data.erase_for(user, delete_contributions=delete_contributions)

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    _delete_sessions_of(user)

    user.email = f"deleted-{uuid.uuid4().hex}@deleted.invalid"
    user.display_name = ""
    user.district = None
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.deleted_at = timezone.now()
    user.save()


def _delete_sessions_of(user: User) -> None:
    # allauth's usersessions keeps a row per login, so every device is logged out.
    for session in UserSession.objects.filter(user=user):
        session.end()
