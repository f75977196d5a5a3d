"""Pilot projects: overview, pipeline board, and a pilot's page with 2,000 progress updates."""

from django.test import Client

MANY_UPDATES = 2000


def run(report) -> None:
    from geraportal.accounts.models import User
    from pilots.models import Pilot, PilotUpdate

    busy = Pilot.objects.public().order_by("pk").first()
    if busy is None:
        print("    no pilot projects in the demo data: skipped")
        return
    missing = MANY_UPDATES - PilotUpdate.objects.filter(pilot=busy).count()
    if missing > 0:
        PilotUpdate.objects.bulk_create(
            [
                PilotUpdate(
                    pilot=busy, title=f"Stand {n}", body="Es geht voran.", body_html="<p>Es geht voran.</p>"
                )
                for n in range(missing)
            ]
        )
    visitor = Client()
    report.get(visitor, "/pilots/", "visitor /pilots/")
    report.get(visitor, "/pilots/board/", "visitor /pilots/board/")
    report.get(visitor, "/pilots/?status=completed", "visitor /pilots/?status=completed")
    report.get(visitor, busy.get_absolute_url(), f"visitor pilot with {MANY_UPDATES} updates")
    report.get(visitor, "/pilots/feed/rss/", "visitor /pilots/feed/rss/")
    report.get(visitor, "/pilots/export.json", "visitor /pilots/export.json")
    team = Client()
    team.force_login(User.objects.get(email="team@example.org"))
    report.get(team, busy.get_absolute_url(), "team pilot with many updates")
    citizen = Client()
    citizen.force_login(User.objects.get(email="buergerin@example.org"))
    report.get(citizen, "/accounts/profile/", "citizen profile (pilots section)")
