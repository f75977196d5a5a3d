"""Public pages and a citizen's profile on the demo data (issue 2, foundation)."""

from django.test import Client

PUBLIC = ["/", "/strategie/", "/impressum/", "/barrierefreiheit/", "/workgroups/", "/accounts/signup/"]


def run(report) -> None:
    from geraportal.accounts.models import User

    visitor = Client()
    for url in PUBLIC:
        report.get(visitor, url, f"visitor {url}")
    citizen = Client()
    citizen.force_login(User.objects.get(email="buergerin@example.org"))
    report.get(citizen, "/", "citizen /")
    report.get(citizen, "/accounts/profile/", "citizen /accounts/profile/")
