"""Demo ideas for Gera: all five themes, many districts, some on the map, with supports,
comments and two ideas competitions (one closed with results, one open)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.core import demo
from geraportal.districts.models import District
from workgroups.models import WorkingGroup

from . import services
from .models import Competition, Criterion, Idea, JuryScore

# (theme slug, district, title, body, (lat, lng) or None, place)
IDEAS = [
    (
        "energie-umwelt",
        "Untermhaus",
        "Solarbänke im Hofwiesenpark",
        "Sitzbänke mit kleinen **Solarmodulen**, an denen man Handy und E-Bike laden kann.\n\n"
        "- Strom aus der Sonne\n- Treffpunkt für Jung und Alt\n- Anzeige der erzeugten Energie",
        (Decimal("50.884310"), Decimal("12.071520")),
        "Hofwiesenpark, Nähe Hofwiesenbad",
    ),
    (
        "energie-umwelt",
        "Lusan",
        "Sensoren für Bodenfeuchte an Stadtbäumen",
        "Funk-Sensoren zeigen, welche Straßenbäume im Sommer dringend Wasser brauchen. "
        "Die Daten könnten im Smart City Cockpit für alle sichtbar sein.",
        (Decimal("50.856200"), Decimal("12.093400")),
        "Lusan, Platanenallee",
    ),
    (
        "stadtentwicklung-verkehr",
        "Stadtmitte/Innenstadt",
        "Digitale Anzeige freier Parkplätze in der Innenstadt",
        "Ein Parkleitsystem zeigt an den Einfallstraßen, wo noch Plätze frei sind. "
        "Das spart Suchverkehr rund um den Markt.",
        (Decimal("50.878900"), Decimal("12.082600")),
        "Markt und Sorge",
    ),
    (
        "stadtentwicklung-verkehr",
        "Debschwitz",
        "Mobilitätsstation am Bahnhof Gera-Süd",
        "Leihräder, Lastenrad, Carsharing und Bus an einem Ort – mit einer App buchbar.",
        (Decimal("50.866800"), Decimal("12.087000")),
        "Bahnhof Gera-Süd",
    ),
    (
        "stadtentwicklung-verkehr",
        "Bieblach",
        "Sichere Radwege nach Bieblach-Ost",
        "Der Weg von Bieblach in die Innenstadt ist für Kinder mit dem Rad gefährlich. "
        "Eine durchgehende, beleuchtete Radroute wäre ein großer Gewinn.",
        None,
        "Straße des Bergmanns bis Heinrichstraße",
    ),
    (
        "bildung-kultur",
        "Stadtmitte/Innenstadt",
        "Makerspace in der Stadtbibliothek",
        "3D-Drucker, Lötstationen und Kurse für alle Generationen – ein Ort zum Ausprobieren.",
        (Decimal("50.880300"), Decimal("12.079800")),
        "Stadt- und Regionalbibliothek",
    ),
    (
        "bildung-kultur",
        "Zwötzen",
        "Digitale Schnitzeljagd durch die Geschichte Geras",
        "Mit dem Handy Stationen von Otto Dix bis zur Orangerie entdecken, mit Rätseln für Schulklassen.",
        None,
        "",
    ),
    (
        "wirtschaft",
        "Stadtmitte/Innenstadt",
        "Lieferdienst für Geschäfte der Innenstadt",
        "Eine gemeinsame Plattform, über die lokale Händler am selben Tag per Lastenrad liefern.",
        None,
        "",
    ),
    (
        "wirtschaft",
        "Langenberg",
        "Coworking-Space im Ortsteil",
        "Arbeitsplätze mit schnellem Internet, damit Pendler öfter vor Ort arbeiten können.",
        (Decimal("50.913500"), Decimal("12.076500")),
        "Langenberg, ehemaliges Gemeindeamt",
    ),
    (
        "beteiligung-verwaltung",
        "Ostviertel",
        "Termine im Bürgeramt online buchen",
        "Wartemarken und Termine per Internet, mit Erinnerung per SMS oder E-Mail.",
        None,
        "",
    ),
    (
        "beteiligung-verwaltung",
        "Aga",
        "Mängelmelder für Schlaglöcher und defekte Laternen",
        "Foto machen, Ort markieren, abschicken – und sehen, wann es repariert ist.",
        (Decimal("50.926000"), Decimal("12.139000")),
        "Aga, Dorfstraße",
    ),
    (
        "beteiligung-verwaltung",
        "Pforten",
        "Offene Daten der Stadt Gera",
        "Haushalt, Verkehrszählungen und Umweltdaten als offene Daten zum Herunterladen.",
        None,
        "",
    ),
]

COMMENTS = [
    "Sehr gute Idee, das würde ich sofort nutzen!",
    "Wer soll das bezahlen? Vielleicht gibt es Fördermittel.",
    "In Jena gibt es so etwas schon, das funktioniert gut.",
    "Bitte auch an ältere Menschen ohne Smartphone denken.",
]

PAST_COMPETITION = "ideenwettbewerb-2020"
OPEN_COMPETITION = "ideenwettbewerb-klima"


@demo.step(order=30)
def ideas(report: demo.Reporter) -> None:
    people = list(User.objects.filter(email__endswith="@example.org", deleted_at__isnull=True).order_by("pk"))
    if not people:
        report("no demo accounts: skipped ideas")
        return
    themes = {g.slug: g for g in WorkingGroup.objects.all()}
    districts = {d.name: d for d in District.objects.all()}
    now = timezone.now()
    past, open_ = _competitions(now, themes, people)
    created = 0
    for number, (slug, district, title, body, location, place) in enumerate(IDEAS):
        if Idea.objects.filter(title=title).exists():
            continue
        author = people[number % len(people)]
        competition = past if number in (0, 1, 5) else (open_ if number == 2 else None)
        new = Idea(
            title=title,
            body=body,
            theme=themes[slug],
            district=districts.get(district),
            latitude=location[0] if location else None,
            longitude=location[1] if location else None,
            location_text=place,
        )
        idea = services.idea_submit(author=author, idea=new)
        Idea.objects.filter(pk=idea.pk).update(
            created_at=now - datetime.timedelta(days=400 - number * 30), competition=competition
        )
        for offset, supporter in enumerate(people):
            if (number + offset) % 3 != 0:
                services.idea_support(idea=idea, user=supporter)
        for offset in range(number % 4 + 1):
            commenter = people[(number + offset + 1) % len(people)]
            services.comment_create(
                idea=idea, author=commenter, body=COMMENTS[(number + offset) % len(COMMENTS)]
            )
        created += 1
    _statuses(people)
    _jury_scores(past)
    report(
        f"{created} ideas created, {Idea.objects.count()} in all; competitions: {past.title}, {open_.title}"
    )


def _competitions(now, themes, people):
    team = next((p for p in people if p.email == "team@example.org"), people[0])
    past, made = Competition.objects.get_or_create(
        slug=PAST_COMPETITION,
        defaults={
            "title": "Ideenwettbewerb Smart City Gera 2020",
            "description": "Ihre Ideen für ein digitales, nachhaltiges Gera. Die Jury hat die besten Ideen "
            "ausgezeichnet; viele davon sind in die Pilotprojekte eingeflossen.",
            "submission_start": now - datetime.timedelta(days=420),
            "submission_end": now - datetime.timedelta(days=300),
            "results_at": now - datetime.timedelta(days=250),
            "winners_count": 2,
        },
    )
    if made:
        past.themes.set(themes.values())
        past.jury.set([team, next((p for p in people if p.email == "strategie@example.org"), team)])
        for position, (name, text) in enumerate(
            [
                ("Nutzen für Gera", "Wie sehr hilft die Idee den Menschen in Gera?"),
                ("Umsetzbarkeit", "Lässt sich die Idee mit vertretbarem Aufwand umsetzen?"),
                ("Innovation", "Wie neu und mutig ist die Idee?"),
            ]
        ):
            Criterion.objects.create(competition=past, name=name, description=text, position=position)
    open_, made = Competition.objects.get_or_create(
        slug=OPEN_COMPETITION,
        defaults={
            "title": "Ideenwettbewerb Klima und Stadtgrün",
            "description": "Wie kann Gera mit digitalen Mitteln kühler, grüner und sparsamer werden? "
            "Reichen Sie Ihre Idee bis zum Ende der Frist ein.",
            "submission_start": now - datetime.timedelta(days=7),
            "submission_end": now + datetime.timedelta(days=60),
            "results_at": now + datetime.timedelta(days=90),
            "winners_count": 3,
        },
    )
    if made:
        open_.themes.set([themes["energie-umwelt"], themes["stadtentwicklung-verkehr"]])
        open_.jury.set([team])
        for position, name in enumerate(["Nutzen für das Stadtklima", "Umsetzbarkeit", "Innovation"]):
            Criterion.objects.create(competition=open_, name=name, position=position)
    return past, open_


def _statuses(people) -> None:
    team = next((p for p in people if p.email == "team@example.org"), people[0])
    review = Idea.objects.filter(
        title="Mobilitätsstation am Bahnhof Gera-Süd", status=Idea.Status.PUBLISHED
    ).first()
    if review:
        services.idea_set_in_review(idea=review, by=team, reason="Die Arbeitsgruppe prüft einen Standort.")
        services.idea_adopt(
            idea=review,
            by=team,
            pilot_title="Mobilitätsinsel",
            reason="Die Idee ist in das Pilotprojekt Mobilitätsinsel eingeflossen.",
        )
    declined = Idea.objects.filter(title="Coworking-Space im Ortsteil", status=Idea.Status.PUBLISHED).first()
    if declined:
        services.idea_decline(
            idea=declined,
            by=team,
            reason="Die Stadt betreibt keine Büroflächen; "
            "wir haben die Idee an die Wirtschaftsförderung weitergegeben.",
        )


def _jury_scores(competition: Competition) -> None:
    """Scores recorded as if during the evaluation phase of the closed competition."""
    if JuryScore.objects.filter(criterion__competition=competition).exists():
        return
    during = competition.submission_end + datetime.timedelta(days=1)
    for idea in Idea.objects.filter(competition=competition):
        for juror in competition.jury.all():
            for criterion in competition.criteria.all():
                score = 2 + (idea.pk + juror.pk + criterion.pk) % 4
                JuryScore.objects.create(
                    criterion=criterion, idea=idea, juror=juror, score=score, updated_at=during
                )
