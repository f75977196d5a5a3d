import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_sign_up_links_the_terms_of_use(client):
    assert f'href="{reverse("pages:terms")}"' in client.get(reverse("account_signup")).text
