"""Participation dashboard: the public summary, the staff page and the aggregates alone."""

from django.test import Client


def run(report) -> None:
    from bench.dashboard import time_aggregates
    from geraportal.accounts.models import User

    visitor = Client()
    report.get(visitor, "/participation/", "visitor /participation/")
    team = Client()
    team.force_login(User.objects.get(email="team@example.org"))
    report.get(team, "/staff/beteiligung/", "team /staff/beteiligung/")
    time_aggregates()
