"""A NUL byte in an admin query string is bad input (400), never a 500.

PostgreSQL refuses NUL in text, so before this a Django admin list filter with
`?status__exact=%00` answered 500.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.accounts.factories import UserFactory, give_mfa


def _changelists_with_filters():
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.list_filter:
            if isinstance(name, str):
                yield model._meta.app_label, model._meta.model_name, name


@pytest.fixture
def developer(db):
    user = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(user)
    return user


@pytest.mark.parametrize(("app", "model", "field"), list(_changelists_with_filters()))
def test_a_nul_byte_in_an_admin_list_filter_is_a_bad_request(client, developer, app, model, field):
    client.force_login(developer)
    url = reverse(f"admin:{app}_{model}_changelist")
    response = client.get(url, {f"{field}__exact": "\x00"})
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()
