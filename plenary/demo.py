"""The plenary of 20 November 2020 with its published poll, and a working-group poll still open."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.core import demo
from pilots.models import Pilot
from workgroups.models import Membership, WorkingGroup

from . import services
from .models import AgendaItem, Attendee, Meeting, Poll, PollOption

PLENARY_SLUG = "plenum-2020-11-20"
VOTERS = 48
# The demo's secret polls are sealed to this passphrase (demo data only; a real poll's
# officers choose theirs on the poll's page).
DEMO_PASSPHRASE = "Demo-Plenum Gera, nicht für echte Abstimmungen"


@demo.step(order=60)
def plenary(report: demo.Reporter) -> None:
    pilots = list(Pilot.objects.public().order_by("pk")[:22])
    if not pilots:
        report("no public pilot proposals yet: skipped")
        return
    team = User.objects.filter(email="team@example.org").first()
    meeting, created = Meeting.objects.get_or_create(
        slug=PLENARY_SLUG,
        defaults={
            "title": "Plenum SMARTCity Gera",
            "starts_at": timezone.make_aware(datetime(2020, 11, 20, 16, 0)),
            "place": "Online-Konferenz (pandemiebedingt)",
            "description": "Die Arbeitsgruppen stellen ihre Vorschläge für Pilotprojekte vor; "
            "das Plenum priorisiert sie für die Strategiegruppe.",
        },
    )
    if not created:
        report("exists  plenary of 20 November 2020")
    else:
        for position, pilot in enumerate(pilots, start=1):
            AgendaItem.objects.create(meeting=meeting, position=position, title=pilot.title, pilot=pilot)
        voters = [
            User.objects.get_or_create(
                email=f"plenum{i:02d}@example.org", defaults={"display_name": f"Teilnehmer*in {i}"}
            )[0]
            for i in range(1, VOTERS + 1)
        ]
        Attendee.objects.bulk_create(
            [Attendee(meeting=meeting, user=v) for v in voters], ignore_conflicts=True
        )
        poll = Poll.objects.create(
            meeting=meeting,
            title="Priorisierung der Pilotprojekt-Vorschläge",
            description="Welche Vorschläge sollen umgesetzt werden? "
            "Die Strategiegruppe wählt aus der Rangfolge aus.",
            method=Poll.Method.APPROVAL,
            max_choices=min(14, len(pilots)),
            eligibility=Poll.Eligibility.ATTENDEES,
            secret=True,
            selection_size=min(14, len(pilots)),
        )
        for position, pilot in enumerate(pilots):
            PollOption.objects.create(poll=poll, pilot=pilot, position=position)
        services.poll_set_key(poll=poll, passphrase=DEMO_PASSPHRASE, by=team)
        services.poll_open(poll=poll, by=team, now=meeting.starts_at)
        options = list(poll.options.values_list("pk", flat=True))
        rng = random.Random(20201120)  # the same demo result every time
        weights = [len(options) - i for i in range(len(options))]
        for number, voter in enumerate(voters):
            ticks = set(rng.choices(options, weights=weights, k=rng.randint(6, 14)))
            services.ballot_cast(
                poll=poll, user=voter, choices=dict.fromkeys(ticks, 1), submission_key=f"demo-{number}"
            )
            if (number + 1) % 12 == 0:
                report(f"ballots cast: {number + 1}/{len(voters)}")
        services.poll_close(poll=poll, by=team, now=meeting.starts_at + timedelta(hours=3))
        services.poll_count(poll=poll, passphrase=DEMO_PASSPHRASE, by=team)
        services.poll_publish(poll=poll, by=team)
        report("created plenary of 20 November 2020 with its published poll")
    _open_group_poll(report, team)


def _open_group_poll(report: demo.Reporter, team) -> None:
    if Poll.objects.filter(meeting__isnull=True, status=Poll.Status.OPEN).exists():
        report("exists  open working-group poll")
        return
    group = WorkingGroup.objects.get(slug="energie-umwelt")
    candidates = list(Pilot.objects.public().filter(working_group=group)[:5]) or list(
        Pilot.objects.public()[:5]
    )
    if not Membership.objects.filter(group=group).exists() or len(candidates) < 2:
        report("no members or proposals for a working-group poll: skipped")
        return
    poll = Poll.objects.create(
        title=f"Interne Priorisierung: {group.name_de}",
        description="Verteilen Sie 10 Punkte auf die Vorschläge der Arbeitsgruppe.",
        method=Poll.Method.POINTS,
        points_budget=10,
        points_cap=5,
        eligibility=Poll.Eligibility.WORKGROUPS,
        secret=True,
        selection_size=2,
        closes_at=timezone.now() + timedelta(days=14),
    )
    poll.eligible_groups.add(group)
    for position, pilot in enumerate(candidates):
        PollOption.objects.create(poll=poll, pilot=pilot, position=position)
    services.poll_set_key(poll=poll, passphrase=DEMO_PASSPHRASE, by=team)
    services.poll_open(poll=poll, by=team)
    report(
        f"created open working-group poll ({poll.eligible_count} eligible; "
        f"passphrase for counting: {DEMO_PASSPHRASE!r})"
    )
