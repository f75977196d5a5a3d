# ruff: noqa: E501 -- the tables of demo content read best one record to a few lines
"""Demo content: the pilot proposals of the plenary of 20 November 2020 — the 14 that the
strategy group selected in December 2020 and the city council approved on 24 February 2021,
and the 8 that were ranked but not selected — and the proposals of the current strategy
update, which go to the next plenary.

Budgets, organisations, resolution numbers, places and milestone dates are illustrative; the
titles, the ranking of 14 out of 22 and the dates of the strategy phase are real. History rows
are written as recorded facts with their own dates, not replayed through the services. The
plenary's demo poll (plenary/demo.py) is built from the ranks recorded here, so the published
result and the pilots agree. Idempotent: a pilot whose title exists is left alone.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.core import demo
from geraportal.core.markdown import render_markdown
from geraportal.districts.models import District
from geraportal.strategy.models import StrategyMeasure
from ideas.selectors import public_ideas
from ideas.services import idea_adopt, idea_set_in_review
from workgroups.models import WorkingGroup

from .models import Milestone, Organisation, Pilot, PilotStatusChange, PilotUpdate
from .services import unique_slug

D = datetime.date
PROPOSED = D(2020, 10, 30)
PLENARY = D(2020, 11, 20)
SELECTION = D(2020, 12, 15)
COUNCIL = D(2021, 2, 24)
TENDERING = D(2021, 3, 15)
PROPOSALS_2020 = 22
PLENARY_VOTERS = 48


def plenary_votes(rank: int) -> int:
    """The approvals each 2020 proposal received: strictly falling with the rank, no ties."""
    return PLENARY_VOTERS - 1 - 2 * rank


ORGANISATIONS = [
    ("Stadtverwaltung Gera – Amt für zentrale Steuerung", "city_office"),
    ("Stadtverwaltung Gera – Fachdienst Verkehrsplanung", "city_office"),
    ("Stadtverwaltung Gera – Fachdienst Soziales", "city_office"),
    ("Stadtwerke Gera AG", "municipal_company"),
    ("Energieversorgung Gera GmbH", "municipal_company"),
    ("GVB Verkehrs- und Betriebsgesellschaft Gera mbH", "municipal_company"),
]

# title, group, districts, organisation (index), budget (EUR), plenary rank, status, started on,
# completed on, place, (lat, lng), source idea titles (ideas/demo.py), summary
SELECTED = [
    ("Bürger-Serviceportal und digitale Bürgerdienste", "beteiligung-verwaltung", ["Stadtmitte/Innenstadt"], 0,
     78000, 1, "completed", D(2021, 6, 1), D(2022, 9, 30), "Rathaus Gera, Kornmarkt 12", ("50.877900", "12.081000"),
     ["Termine im Bürgeramt online buchen"],
     "Anträge, Termine und Auskünfte der Stadtverwaltung online – rund um die Uhr und ohne Wartemarke."),
    ("Mobilitätsinsel", "stadtentwicklung-verkehr", ["Debschwitz"], 5, 64000, 2, "completed", D(2021, 7, 1),
     D(2022, 6, 15), "Bahnhof Gera-Süd", ("50.866800", "12.087000"), ["Mobilitätsstation am Bahnhof Gera-Süd"],
     "Ein Ort, an dem Bus, Straßenbahn, Leihräder und Carsharing zusammenkommen."),
    ("Digitales Stadtleitsystem", "stadtentwicklung-verkehr", ["Stadtmitte/Innenstadt"], 1, 52000, 3, "completed",
     D(2021, 8, 2), D(2022, 11, 30), "Heinrichstraße und Einfallstraßen", ("50.880200", "12.084600"),
     ["Digitale Anzeige freier Parkplätze in der Innenstadt"],
     "Digitale Anzeigen führen zu freien Parkplätzen und zu den Zielen der Innenstadt."),
    ("Smart City Cockpit (Open-Data-Portal)", "beteiligung-verwaltung", ["Stadtmitte/Innenstadt"], 0, 48000, 4,
     "implementation", D(2021, 9, 1), None, "Rathaus Gera, Kornmarkt 12", ("50.878200", "12.081500"),
     ["Offene Daten der Stadt Gera"],
     "Ein Cockpit mit offenen Daten der Stadt: Verkehr, Umwelt, Energie – für alle abrufbar."),
    ("Meldemanagement Gera", "beteiligung-verwaltung", ["Aga"], 0, 36000, 5, "completed", D(2021, 6, 14),
     D(2022, 4, 29), "stadtweit, erprobt in Aga", ("50.926500", "12.139500"),
     ["Mängelmelder für Schlaglöcher und defekte Laternen"],
     "Schäden im Stadtbild online melden und verfolgen, was daraus wird."),
    ("Drei Workshops „Smart City zum Anfassen“ mit Sensoren", "bildung-kultur", ["Stadtmitte/Innenstadt"], 0,
     12000, 6, "completed", D(2021, 5, 3), D(2021, 11, 20), "Volkshochschule Gera, Schülerstraße",
     ("50.879600", "12.077200"), ["Makerspace in der Stadtbibliothek", "Sensor-Workshops an Schulen"],
     "Schülerinnen, Schüler und Interessierte bauen eigene Umweltsensoren und lernen, was Daten erzählen."),
    ("Digital Lighting & IoT-Sensorik Bachgasse/Elster Forum/Sorge", "energie-umwelt", ["Stadtmitte/Innenstadt"],
     4, 58000, 7, "completed", D(2021, 8, 16), D(2022, 8, 31), "Bachgasse, Elster Forum und Sorge",
     ("50.880600", "12.083400"), ["Intelligente Straßenlaternen in der Sorge"],
     "Intelligente Straßenbeleuchtung mit Sensoren für Verkehr, Luft und Lärm in der Innenstadt."),
    ("Thüringen@Home", "wirtschaft", ["Gera-Nord"], 0, 24000, 8, "completed", D(2021, 5, 17), D(2022, 3, 31),
     "Hauptbahnhof Gera (Willkommenspunkt)", ("50.883600", "12.077000"), ["Rückkehrer-Portal für Gera"],
     "Digitale Angebote, die Rückkehrerinnen, Rückkehrer und Zuziehende nach Gera einladen."),
    ("Digital Lighting & IoT-Sensorik Park der Jugend", "energie-umwelt", ["Untermhaus"], 4, 42000, 9,
     "completed", D(2021, 9, 6), D(2022, 10, 14), "Park der Jugend", ("50.886000", "12.071800"),
     ["Licht im Park der Jugend nur bei Bedarf"], "Sichere, sparsame Beleuchtung und Sensorik im Park der Jugend."),
    ("Autarke Solarleuchte", "energie-umwelt", ["Lusan"], 4, 18000, 10, "completed", D(2021, 6, 21),
     D(2021, 12, 10), "Radweg zwischen Lusan und Zwötzen", ("50.852600", "12.092200"),
     ["Solarleuchten für Wege ohne Stromanschluss", "Solarbänke im Hofwiesenpark"],
     "Eine Leuchte, die ihren Strom selbst erzeugt – für Wege ohne Stromanschluss."),
    ("Smarte Müllentsorgung", "energie-umwelt", ["Bieblach", "Lusan"], 3, 30000, 11, "implementation",
     D(2021, 10, 4), None, "Wertstoffplätze in Bieblach und Lusan", ("50.899400", "12.091200"),
     ["Müllcontainer melden, wenn sie voll sind"],
     "Füllstandssensoren in Wertstoffcontainern: abgeholt wird, wenn es nötig ist."),
    ("Digitalisierung der Geraer Sozial-Card", "beteiligung-verwaltung", ["Stadtmitte/Innenstadt"], 2, 22000, 12,
     "completed", D(2021, 10, 18), D(2022, 12, 15), "Fachdienst Soziales, Amthordurchgang",
     ("50.877000", "12.083600"), ["Sozial-Card auf dem Handy"],
     "Die Sozial-Card als digitaler Nachweis – einfacher beantragt, diskret genutzt."),
    ("Institut für Anwendungsentwicklung e.V.", "wirtschaft", ["Ostviertel"], 0, 20000, 13, "implementation",
     D(2021, 11, 1), None, "Ostviertel, Gewerbehof", ("50.880400", "12.097000"),
     ["Treffpunkt für Gründer und Hochschulen"],
     "Ein Verein, der Unternehmen, Hochschulen und Stadt bei digitalen Anwendungen zusammenbringt."),
    ("Daten digitalisieren am Beispiel Hofwiesenbad", "energie-umwelt", ["Untermhaus"], 3, 12000, 14,
     "completed", D(2021, 7, 12), D(2022, 5, 31), "Hofwiesenbad", ("50.884300", "12.071500"),
     ["Energieverbrauch des Hofwiesenbads sichtbar machen"],
     "Verbrauchs- und Besucherdaten des Hofwiesenbads digital erfassen und sparsamer betreiben."),
]  # fmt: skip

# The other proposals of 2020: ranked by the plenary, not selected by the strategy group.
NOT_SELECTED = [
    ("Lastenrad-Verleih für die Innenstadt", "stadtentwicklung-verkehr",
     "Lastenräder an drei Stationen der Innenstadt, per App auszuleihen."),
    ("Energiemonitoring städtischer Schulen", "energie-umwelt",
     "Zähler für Strom und Wärme in allen städtischen Schulen, mit Auswertung für die Hausmeister."),
    ("Bürger-App Gera", "beteiligung-verwaltung",
     "Eine App für Nachrichten, Termine und Dienste der Stadt."),
    ("Virtuelles Stadtmuseum", "bildung-kultur",
     "Die Sammlung des Stadtmuseums online, mit 3D-Modellen ausgewählter Stücke."),
    ("Intelligente Ampelschaltung am Ring", "stadtentwicklung-verkehr",
     "Ampeln am Innenstadtring schalten nach dem tatsächlichen Verkehr."),
    ("Digitale Gewerbeflächenbörse", "wirtschaft",
     "Freie Gewerbeflächen der Stadt und der Wirtschaftsförderung auf einer Karte."),
    ("Digitales Schwarzes Brett für Vereine", "bildung-kultur",
     "Vereine kündigen Angebote und Termine an einem gemeinsamen Ort an."),
    ("Telemedizin-Sprechstunde in den Ortsteilen", "beteiligung-verwaltung",
     "Videosprechstunden in den Gemeinschaftshäusern der Ortsteile, mit Unterstützung vor Ort."),
]  # fmt: skip

# Proposals of the current strategy update (days before today they were proposed; None: draft).
CURRENT = [
    ("Bodenfeuchtesensoren für Stadtbäume", "energie-umwelt", ["Lusan"], 45,
     ["Sensoren für Bodenfeuchte an Stadtbäumen"],
     "Sensoren zeigen, welche Stadtbäume Wasser brauchen – gegossen wird gezielt."),
    ("Radverkehrszählung mit Sensoren", "stadtentwicklung-verkehr", ["Bieblach"], 40,
     ["Sichere Radwege nach Bieblach-Ost"],
     "Automatische Zählstellen zeigen, wo in Gera Rad gefahren wird und wo Radwege fehlen."),
    ("Digitaler Stadtrundgang", "bildung-kultur", ["Zwötzen", "Stadtmitte/Innenstadt"], 35,
     ["Digitale Schnitzeljagd durch die Geschichte Geras"],
     "Eine App führt zu Orten der Stadtgeschichte, mit Rätseln für Familien und Schulklassen."),
    ("Gemeinsame Lieferplattform Innenstadt", "wirtschaft", ["Stadtmitte/Innenstadt"], None, [],
     "Geschäfte der Innenstadt liefern gemeinsam aus, am selben Tag und mit dem Lastenrad."),
]  # fmt: skip


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _people() -> dict[str, User | None]:
    emails = {
        "team": "team@example.org",
        "strategy": "strategie@example.org",
        "moderator": "moderation@example.org",
    }
    found = {u.email: u for u in User.objects.filter(email__in=emails.values())}
    return {role: found.get(email) for role, email in emails.items()}


def _adopt(pilot: Pilot, idea_titles: list[str], by, on: datetime.date) -> None:
    """Link the ideas the pilot grew from; a public pilot marks them adopted (on its date)."""
    for idea in public_ideas().filter(title__in=idea_titles):
        pilot.source_ideas.add(idea)
        if not pilot.is_public or idea.status not in (idea.Status.PUBLISHED, idea.Status.IN_REVIEW):
            continue
        if idea.status == idea.Status.PUBLISHED:
            idea = idea_set_in_review(idea=idea, by=by, now=_moment(on - datetime.timedelta(days=14)))
        idea_adopt(
            idea=idea,
            by=by,
            pilot_url=pilot.get_absolute_url(),
            pilot_title=pilot.title,
            now=_moment(on),
            notify=False,
        )


def _history(pilot: Pilot, steps: list[tuple[str, datetime.date, object, dict]]) -> None:
    previous = ""
    for status, day, actor, extra in steps:
        PilotStatusChange.objects.create(
            pilot=pilot, from_status=previous, to_status=status, actor=actor, created_at=_moment(day), **extra
        )
        previous = status


def _plenary_note(rank: int) -> str:
    return (
        f"{plenary_votes(rank)} von {PLENARY_VOTERS} Teilnehmenden stimmten zu "
        f"(Plenum am 20. November 2020, {PROPOSALS_2020} Vorschläge)."
    )


@demo.step(order=40)
def pilots(report: demo.Reporter) -> None:
    groups = {g.slug: g for g in WorkingGroup.objects.all()}
    if not groups:
        report("no working groups: skipped pilot projects")
        return
    people = _people()
    districts = {d.name: d for d in District.objects.all()}
    organisations = [
        Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in ORGANISATIONS
    ]
    created = 0
    for number, row in enumerate(SELECTED, start=1):
        if not Pilot.objects.filter(title=row[0]).exists():
            with transaction.atomic():
                _selected_pilot(number, row, groups, districts, organisations, people)
            created += 1
    for offset, (title, group, summary) in enumerate(NOT_SELECTED):
        if not Pilot.objects.filter(title=title).exists():
            with transaction.atomic():
                _not_selected_pilot(len(SELECTED) + 1 + offset, title, group, summary, groups, people)
            created += 1
    today = timezone.localdate()
    for row in CURRENT:
        if not Pilot.objects.filter(title=row[0]).exists():
            with transaction.atomic():
                _current_pilot(row, groups, districts, people, today)
            created += 1
    report(f"{created} pilot projects created, {Pilot.objects.count()} in all")


def _proposal_steps(rank, moderator, team) -> list:
    return [
        ("draft", D(2020, 9, 15), moderator, {}),
        ("proposed", PROPOSED, moderator, {"note": "Von der Arbeitsgruppe für das Plenum eingereicht."}),
        ("prioritised", PLENARY, team, {"note": f"Rang {rank} von {PROPOSALS_2020} Vorschlägen im Plenum"}),
    ]


def _selected_pilot(number, row, groups, districts, organisations, people) -> Pilot:
    (title, group, district_names, org, budget, rank, status, start, completed_on, place, (lat, lng),
     idea_titles, summary) = row  # fmt: skip
    team, strategy, moderator = people["team"], people["strategy"], people["moderator"]
    # The summary is shown above the description, so the description does not repeat it.
    description = (
        "**Warum?** Die Arbeitsgruppe hat das Projekt aus Ideen der Bürgerinnen und Bürger und aus "
        "den Workshops 2020 entwickelt. Das Plenum hat es am 20. November 2020 priorisiert, die "
        "Strategiegruppe im Dezember 2020 ausgewählt, der Stadtrat am 24. Februar 2021 beschlossen.\n\n"
        "**Was passiert?**\n\n- Ausschreibung und Vergabe\n- Umsetzung vor Ort\n- Auswertung und Bericht"
    )
    pilot = Pilot.objects.create(
        title=title,
        slug=unique_slug(title),
        summary=summary,
        description=description,
        description_html=render_markdown(description),
        working_group=groups[group],
        organisation=organisations[org],
        location_text=place,
        latitude=Decimal(lat),
        longitude=Decimal(lng),
        budget_planned=Decimal(budget),
        funding_share=Decimal("65"),
        planned_start=D(2021, 4, 1),
        planned_end=D(2022, 12, 31),
        actual_start=start,
        actual_end=completed_on,
        contact_name="SMARTCity-Team der Stadt Gera",
        contact_email="smartcity@gera.de",
        contact_phone="0365 838-1200",
        links=[{"title": "Smart-City-Strategie der Stadt Gera", "url": "https://www.gera.de/smartcity"}],
        status=status,
        plenary_rank=rank,
        plenary_note=_plenary_note(rank),
        selection_rationale="Hoher Nutzen für die Stadtgesellschaft, in der Förderperiode umsetzbar.",
        council_date=COUNCIL,
        council_resolution=f"DS 2021/{100 + number:03d}",
        created_by=moderator,
        created_at=_moment(D(2020, 9, 15)),
        updated_at=_moment(completed_on or start),
    )
    pilot.districts.set([districts[n] for n in district_names if n in districts])
    steps = _proposal_steps(rank, moderator, team) + [
        ("selected", SELECTION, strategy, {"note": "Hoher Nutzen für die Stadtgesellschaft."}),
        (
            "approved",
            COUNCIL,
            team,
            {"council_date": COUNCIL, "council_resolution": pilot.council_resolution},
        ),
        ("tendering", TENDERING, team, {}),
        ("implementation", start, team, {}),
    ]
    if status == "completed":
        steps.append(("completed", completed_on, team, {"note": "Das Pilotprojekt ist abgeschlossen."}))
    _history(pilot, steps)
    # Milestones between the tender and the end: all done for a completed pilot, the first
    # three for one still in implementation (its last two lie ahead).
    end = completed_on or D(2027, 6, 30)
    span = (end - start).days
    plan = [
        ("Ausschreibung veröffentlicht", TENDERING + datetime.timedelta(days=7)),
        ("Auftrag vergeben", start - datetime.timedelta(days=10)),
        ("Umsetzung vor Ort begonnen", start + datetime.timedelta(days=span // 4)),
        ("Inbetriebnahme", start + datetime.timedelta(days=span * 3 // 4)),
        ("Abschlussbericht", end),
    ]
    for position, (name, due) in enumerate(plan):
        done = due if status == "completed" or position < 3 else None
        Milestone.objects.create(
            pilot=pilot, title=name, due_date=due, done_date=done, created_at=_moment(COUNCIL)
        )
    updates = [
        (start, "Auftrag vergeben", "Die Ausschreibung ist abgeschlossen, der Auftrag ist vergeben."),
        (start + datetime.timedelta(days=60), "Umsetzung läuft", "Die Arbeiten vor Ort haben begonnen."),
    ]
    if status == "completed":
        updates.append(
            (completed_on, "Abgeschlossen", "Das Projekt ist fertig. Danke an alle, die mitgemacht haben!")
        )
    else:
        updates.append(
            (
                plan[2][1] + datetime.timedelta(days=30),
                "Zwischenstand",
                "Der erste Abschnitt läuft; der Betrieb wird schrittweise erweitert.",
            )
        )
    for day, update_title, body in updates:
        PilotUpdate.objects.create(
            pilot=pilot,
            title=update_title,
            body=body,
            body_html=render_markdown(body),
            author=team,
            published_at=_moment(day, 14),
        )
    _adopt(pilot, idea_titles, team, COUNCIL)
    return pilot


def _not_selected_pilot(rank, title, group, summary, groups, people) -> Pilot:
    pilot = Pilot.objects.create(
        title=title,
        slug=unique_slug(title),
        summary=summary,
        description="Die Strategiegruppe hat diesen Vorschlag im Dezember 2020 nicht ausgewählt; die "
        "Arbeitsgruppe kann ihn bei einer Fortschreibung der Strategie erneut einbringen.",
        description_html=render_markdown(
            "Die Strategiegruppe hat diesen Vorschlag im Dezember 2020 nicht ausgewählt; die "
            "Arbeitsgruppe kann ihn bei einer Fortschreibung der Strategie erneut einbringen."
        ),
        working_group=groups[group],
        status="prioritised",
        plenary_rank=rank,
        plenary_note=_plenary_note(rank),
        created_by=people["moderator"],
        created_at=_moment(D(2020, 9, 15)),
        updated_at=_moment(PLENARY),
    )
    _history(pilot, _proposal_steps(rank, people["moderator"], people["team"]))
    return pilot


def _current_pilot(row, groups, districts, people, today) -> Pilot:
    title, group, district_names, proposed_days_ago, idea_titles, summary = row
    moderator = people["moderator"]
    status = "draft" if proposed_days_ago is None else "proposed"
    started = today - datetime.timedelta(days=(proposed_days_ago or 20) + 30)
    description = (
        "Die Arbeitsgruppe hat den Vorschlag aus Ideen der Bürgerschaft entwickelt. Das Plenum zum "
        "Strategie-Update entscheidet über seine Priorität."
        if status == "proposed"
        else "Ein Entwurf der Arbeitsgruppe; sie bespricht ihn in ihren nächsten Treffen."
    )
    pilot = Pilot.objects.create(
        title=title,
        slug=unique_slug(title),
        summary=summary,
        description=description,
        description_html=render_markdown(description),
        working_group=groups[group],
        status=status,
        created_by=moderator,
        created_at=_moment(started),
        updated_at=_moment(started),
    )
    pilot.districts.set([districts[n] for n in district_names if n in districts])
    steps = [("draft", started, moderator, {})]
    if status == "proposed":
        proposed_on = today - datetime.timedelta(days=proposed_days_ago)
        steps.append(
            ("proposed", proposed_on, moderator, {"note": "Für das Plenum zum Strategie-Update eingereicht."})
        )
    _history(pilot, steps)
    if status == "proposed":
        _adopt(pilot, idea_titles, moderator, proposed_on)
    return pilot


# Which of the strategy's measures (geraportal/strategy/demo.py) the demo pilots implement.
STRATEGY_MEASURES = {
    "Bürger-Serviceportal und digitale Bürgerdienste": ["m-serviceportal"],
    "Mobilitätsinsel": ["m-mobilitaetsinsel"],
    "Smart City Cockpit (Open-Data-Portal)": ["m-cockpit"],
    "Drei Workshops „Smart City zum Anfassen“ mit Sensoren": ["m-workshops"],
    "Digital Lighting & IoT-Sensorik Bachgasse/Elster Forum/Sorge": ["m-beleuchtung"],
    "Digital Lighting & IoT-Sensorik Park der Jugend": ["m-beleuchtung"],
    "Smarte Müllentsorgung": ["m-muell"],
}


@demo.step(order=45)
def strategy_measures(report: demo.Reporter) -> None:
    measures = {m.key: m for m in StrategyMeasure.objects.all()}
    for title, keys in STRATEGY_MEASURES.items():
        pilot = Pilot.objects.filter(title=title).first()
        if pilot is not None:
            pilot.strategy_measures.add(*[measures[k] for k in keys if k in measures])
    report("linked demo pilots to the strategy's measures")
