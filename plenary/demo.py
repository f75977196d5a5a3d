"""The plenary of 20 November 2020 with its published result, the plenary of the current
strategy update (upcoming, with an online vote open to every verified citizen), and a
working-group poll still open.

The 2020 result is not random: the ballots are built so that each proposal receives the
approvals recorded on its pilot (`pilots.demo.plenary_votes(rank)`), so the published ranking
equals the pilots' recorded ranks. It was an open (not secret) online vote, as the plenary
met as a video conference that year.
"""

import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.core import demo
from pilots.demo import PLENARY_VOTERS, plenary_votes
from pilots.models import Pilot
from workgroups.models import Membership, WorkingGroup

from . import services
from .models import AgendaItem, Attendee, AuditEntry, Meeting, Poll, PollOption

PLENARY_SLUG = "plenum-2020-11-20"
CURRENT_SLUG = "plenum-strategie-update"
PLENARY_START = datetime(2020, 11, 20, 16, 0)
# The demo's secret polls are sealed to this passphrase (demo data only; a real poll's
# officers choose theirs on the poll's page).
DEMO_PASSPHRASE = "Demo-Plenum Gera, nicht für echte Abstimmungen"


@demo.step(order=60)
def plenary(report: demo.Reporter) -> None:
    team = User.objects.filter(email="team@example.org").first()
    # The proposals of 2020 are the pilots with a recorded plenary rank.
    proposals = list(Pilot.objects.filter(plenary_rank__isnull=False).order_by("plenary_rank"))
    if not proposals:
        report("no pilot proposals of 2020: skipped")
    elif Meeting.objects.filter(slug=PLENARY_SLUG).exists():
        report("exists  plenary of 20 November 2020")
    else:
        _plenary_2020(report, team, proposals)
    _current_plenary(report, team)
    _open_group_poll(report, team)


def _ballots(counts: list[int], voters: int, limit: int) -> list[set[int]]:
    """Tick sets for `voters` people, each ticking at most `limit`, so that option i gets
    exactly counts[i] ticks: every option's ticks go to the voters with the fewest so far."""
    ballots: list[set[int]] = [set() for _ in range(voters)]
    for option, count in enumerate(counts):
        for ballot in sorted(ballots, key=len)[:count]:
            ballot.add(option)
    if any(len(b) > limit for b in ballots):
        raise ValueError("more ticks than the poll allows")
    return ballots


def _plenary_2020(report, team, proposals) -> None:
    start = timezone.make_aware(PLENARY_START)
    meeting = Meeting.objects.create(
        slug=PLENARY_SLUG,
        title="Plenum SMARTCity Gera",
        starts_at=start,
        place="Online-Konferenz (pandemiebedingt)",
        description="Die fünf Arbeitsgruppen, das SMARTCity-Team und die Fachgruppe der kommunalen "
        "Unternehmen stellen ihre 22 Vorschläge für Pilotprojekte vor; das Plenum priorisiert sie "
        "für die Strategiegruppe.",
    )
    for position, pilot in enumerate(proposals, start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=pilot.title, pilot=pilot)
    voters = [
        User.objects.get_or_create(
            email=f"plenum{i:02d}@example.org", defaults={"display_name": f"Teilnehmer*in {i}"}
        )[0]
        for i in range(1, PLENARY_VOTERS + 1)
    ]
    Attendee.objects.bulk_create([Attendee(meeting=meeting, user=v) for v in voters], ignore_conflicts=True)
    poll = Poll.objects.create(
        meeting=meeting,
        title="Priorisierung der Pilotprojekt-Vorschläge",
        description="Kreuzen Sie die Vorschläge an, die umgesetzt werden sollen (höchstens 14). "
        "Die Strategiegruppe wählt aus der Rangfolge aus.",
        method=Poll.Method.APPROVAL,
        max_choices=14,
        eligibility=Poll.Eligibility.ATTENDEES,
        secret=False,
        selection_size=14,
    )
    options = [
        PollOption.objects.create(poll=poll, pilot=pilot, position=position)
        for position, pilot in enumerate(proposals)
    ]
    # Pilots recorded as past the plenary are not "proposed" any more, so opening and
    # publishing the poll records nothing new on them: the ranks stay as recorded.
    services.poll_open(poll=poll, by=team, now=start)
    counts = [plenary_votes(pilot.plenary_rank) for pilot in proposals]
    for number, (voter, ticks) in enumerate(zip(voters, _ballots(counts, len(voters), 14), strict=True)):
        services.ballot_cast(
            poll=poll,
            user=voter,
            choices={options[i].pk: 1 for i in ticks},
            submission_key=f"demo-{number}",
        )
        if (number + 1) % 12 == 0:
            report(f"ballots cast: {number + 1}/{len(voters)}")
    services.poll_close(poll=poll, by=team, now=start + timedelta(hours=3))
    services.poll_publish(poll=poll, by=team)
    published = start + timedelta(hours=3, minutes=30)
    Poll.objects.filter(pk=poll.pk).update(published_at=published)
    AuditEntry.objects.filter(poll=poll).update(created_at=published)
    report(f"created plenary of 20 November 2020: {len(proposals)} proposals, result published")


def _current_plenary(report, team) -> None:
    if Meeting.objects.filter(slug=CURRENT_SLUG).exists():
        report("exists  plenary of the strategy update")
        return
    proposals = list(Pilot.objects.filter(status=Pilot.Status.PROPOSED).order_by("title"))
    if len(proposals) < 2:
        report("fewer than two current proposals: skipped the upcoming plenary")
        return
    now = timezone.now()
    starts = timezone.localtime(now + timedelta(days=16)).replace(hour=17, minute=0, second=0, microsecond=0)
    meeting = Meeting.objects.create(
        slug=CURRENT_SLUG,
        title="Plenum zum Strategie-Update",
        starts_at=starts,
        place="Kultur- und Kongresszentrum Gera, Schloßstraße 1",
        description="Die Arbeitsgruppen stellen die neuen Pilotvorschläge vor. Wer nicht kommen kann, "
        "gibt seine Stimme vorab online ab.",
    )
    for position, pilot in enumerate(proposals, start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=pilot.title, pilot=pilot)
    poll = Poll.objects.create(
        meeting=meeting,
        title="Online-Vorabstimmung: Welche Vorschläge sollen Vorrang haben?",
        description="Kreuzen Sie bis zu zwei Vorschläge an. Das Ergebnis wird beim Plenum veröffentlicht.",
        method=Poll.Method.APPROVAL,
        max_choices=2,
        eligibility=Poll.Eligibility.CITIZENS,
        secret=False,
        selection_size=2,
        closes_at=starts,
    )
    for position, pilot in enumerate(proposals):
        PollOption.objects.create(poll=poll, pilot=pilot, position=position)
    poll = services.poll_open(poll=poll, by=team)
    # A few demo members have voted already; the demo citizen (buergerin@) has not.
    voters = list(User.objects.filter(email__startswith="gruppe", email__endswith="@example.org"))
    options = list(poll.options.values_list("pk", flat=True))
    for number, voter in enumerate(voters):
        if not poll.eligible_voters.filter(user=voter).exists():
            continue
        services.ballot_cast(
            poll=poll,
            user=voter,
            choices={options[number % len(options)]: 1},
            submission_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-{poll.pk}-{voter.pk}").hex,
        )
    report(
        f"created upcoming plenary on {starts:%Y-%m-%d} "
        f"with an open online vote ({poll.eligible_count} eligible)"
    )


def _open_group_poll(report: demo.Reporter, team) -> None:
    if Poll.objects.filter(meeting__isnull=True, status=Poll.Status.OPEN).exists():
        report("exists  open working-group poll")
        return
    group = WorkingGroup.objects.get(slug="energie-umwelt")
    candidates = list(Pilot.objects.public().filter(working_group=group, status=Pilot.Status.PROPOSED)[:5])
    candidates += list(
        Pilot.objects.public()
        .filter(status=Pilot.Status.PROPOSED)
        .exclude(working_group=group)[: 5 - len(candidates)]
    )
    if not Membership.objects.filter(group=group).exists() or len(candidates) < 2:
        report("no members or proposals for a working-group poll: skipped")
        return
    poll = Poll.objects.create(
        title=f"Interne Priorisierung: {group.name_de}",
        description="Verteilen Sie 10 Punkte auf die Vorschläge zum Strategie-Update.",
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
    poll = services.poll_open(poll=poll, by=team)
    report(
        f"created open working-group poll ({poll.eligible_count} eligible; "
        f"passphrase for counting: {DEMO_PASSPHRASE!r})"
    )
