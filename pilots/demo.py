"""Demo content: the 14 pilot projects SMARTCity Gera selected in December 2020, with their
history (plenary 20 Nov 2020, strategy group December 2020, city council 24 Feb 2021), and a few
proposals of the current strategy update that are still in earlier stages.

Budgets, organisations, resolution numbers and milestone dates are illustrative. History rows
are written as recorded facts (with their real dates), not replayed through the services, so
seeding notifies nobody. Idempotent: a pilot whose slug exists is left alone.
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
from ideas.selectors import idea_is_adoptable, public_ideas
from ideas.services import idea_adopt
from workgroups.models import WorkingGroup

from .models import Milestone, Organisation, Pilot, PilotStatusChange, PilotUpdate
from .services import unique_slug

D = datetime.date
PLENARY = D(2020, 11, 20)
SELECTION = D(2020, 12, 15)
COUNCIL = D(2021, 2, 24)

ORGANISATIONS = [
    ("Stadtverwaltung Gera – Amt für zentrale Steuerung", "city_office"),
    ("Stadtverwaltung Gera – Fachdienst Verkehrsplanung", "city_office"),
    ("Stadtverwaltung Gera – Fachdienst Soziales", "city_office"),
    ("Stadtwerke Gera AG", "municipal_company"),
    ("Energieversorgung Gera GmbH", "municipal_company"),
    ("GVB Verkehrs- und Betriebsgesellschaft Gera mbH", "municipal_company"),
]

# title, group, districts, organisation (index), budget (EUR), plenary rank, status, completed on,
# source idea title (from ideas/demo.py) or "", summary
SELECTED = [
    ("Bürger-Serviceportal und digitale Bürgerdienste", "beteiligung-verwaltung", [], 0, 78000, 1,
     "completed", D(2022, 9, 30), "Termine im Bürgeramt online buchen",
     "Anträge, Termine und Auskünfte der Stadtverwaltung online – rund um die Uhr und ohne Wartemarke."),
    ("Mobilitätsinsel", "stadtentwicklung-verkehr", ["Debschwitz"], 5, 64000, 2,
     "completed", D(2022, 6, 15), "Mobilitätsstation am Bahnhof Gera-Süd",
     "Ein Ort, an dem Bus, Straßenbahn, Leihräder und Carsharing zusammenkommen."),
    ("Digitales Stadtleitsystem", "stadtentwicklung-verkehr", ["Stadtmitte/Innenstadt"], 1, 52000, 3,
     "completed", D(2022, 11, 30), "Digitale Anzeige freier Parkplätze in der Innenstadt",
     "Digitale Anzeigen führen zu freien Parkplätzen und zu den Zielen der Innenstadt."),
    ("Smart City Cockpit (Open-Data-Portal)", "beteiligung-verwaltung", [], 0, 48000, 4,
     "implementation", None, "Offene Daten der Stadt Gera",
     "Ein Cockpit mit offenen Daten der Stadt: Verkehr, Umwelt, Energie – für alle abrufbar."),
    ("Meldemanagement Gera", "beteiligung-verwaltung", [], 0, 36000, 5,
     "completed", D(2022, 4, 29), "Mängelmelder für Schlaglöcher und defekte Laternen",
     "Schäden im Stadtbild online melden und verfolgen, was daraus wird."),
    ("Drei Workshops „Smart City zum Anfassen“ mit Sensoren", "bildung-kultur", ["Stadtmitte/Innenstadt"], 0,
     12000, 6, "completed", D(2021, 11, 20), "Makerspace in der Stadtbibliothek",
     "Schülerinnen, Schüler und Interessierte bauen eigene Umweltsensoren und lernen, was Daten erzählen."),
    ("Digital Lighting & IoT-Sensorik Bachgasse/Elster Forum/Sorge", "energie-umwelt",
     ["Stadtmitte/Innenstadt"], 4, 58000, 7, "completed", D(2022, 8, 31), "",
     "Intelligente Straßenbeleuchtung mit Sensoren für Verkehr, Luft und Lärm in der Innenstadt."),
    ("Thüringen@Home", "wirtschaft", [], 0, 24000, 8, "completed", D(2022, 3, 31), "",
     "Digitale Angebote, die Rückkehrerinnen, Rückkehrer und Zuziehende nach Gera einladen."),
    ("Digital Lighting & IoT-Sensorik Park der Jugend", "energie-umwelt", ["Untermhaus"], 4, 42000, 9,
     "completed", D(2022, 10, 14), "",
     "Sichere, sparsame Beleuchtung und Sensorik im Park der Jugend."),
    ("Autarke Solarleuchte", "energie-umwelt", ["Lusan"], 4, 18000, 10,
     "completed", D(2021, 12, 10), "Solarbänke im Hofwiesenpark",
     "Eine Leuchte, die ihren Strom selbst erzeugt – für Wege ohne Stromanschluss."),
    ("Smarte Müllentsorgung", "energie-umwelt", ["Bieblach", "Lusan"], 3, 30000, 11,
     "implementation", None, "",
     "Füllstandssensoren in Wertstoffcontainern: abgeholt wird, wenn es nötig ist."),
    ("Digitalisierung der Geraer Sozial-Card", "beteiligung-verwaltung", [], 2, 22000, 12,
     "completed", D(2022, 12, 15), "",
     "Die Sozial-Card als digitaler Nachweis – einfacher beantragt, diskret genutzt."),
    ("Institut für Anwendungsentwicklung e.V.", "wirtschaft", [], 0, 20000, 13,
     "implementation", None, "",
     "Ein Verein, der Unternehmen, Hochschulen und Stadt bei digitalen Anwendungen zusammenbringt."),
    ("Daten digitalisieren am Beispiel Hofwiesenbad", "energie-umwelt", ["Untermhaus"], 3, 12000, 14,
     "completed", D(2022, 5, 31), "",
     "Verbrauchs- und Besucherdaten des Hofwiesenbads digital erfassen und sparsamer betreiben."),
]  # fmt: skip

# Proposals of the current strategy update, still early in the pipeline.
EARLY = [
    ("Bodenfeuchtesensoren für Stadtbäume", "energie-umwelt", ["Lusan"], "prioritised", 2,
     "Sensoren für Bodenfeuchte an Stadtbäumen",
     "Sensoren zeigen, welche Stadtbäume Wasser brauchen – gegossen wird gezielt."),
    ("Radverkehrszählung mit Sensoren", "stadtentwicklung-verkehr", ["Bieblach"], "prioritised", 1,
     "Sichere Radwege nach Bieblach-Ost",
     "Automatische Zählstellen zeigen, wo in Gera Rad gefahren wird und wo Radwege fehlen."),
    ("Digitaler Stadtrundgang", "bildung-kultur", ["Zwötzen", "Stadtmitte/Innenstadt"], "proposed", None,
     "Digitale Schnitzeljagd durch die Geschichte Geras",
     "Eine App führt zu Orten der Stadtgeschichte, mit Rätseln für Familien und Schulklassen."),
    ("Gemeinsame Lieferplattform Innenstadt", "wirtschaft", ["Stadtmitte/Innenstadt"], "draft", None,
     "Lieferdienst für Geschäfte der Innenstadt",
     "Geschäfte der Innenstadt liefern gemeinsam aus – ein Entwurf der Arbeitsgruppe Wirtschaft."),
]  # fmt: skip

MILESTONES = [
    ("Ausschreibung veröffentlicht", 30),
    ("Auftrag vergeben", 90),
    ("Umsetzung vor Ort", 210),
    ("Inbetriebnahme", 330),
    ("Abschlussbericht", 420),
]


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


def _adopt(pilot: Pilot, idea_title: str, by) -> None:
    idea = public_ideas().filter(title=idea_title).first() if idea_title else None
    if idea is None:
        return
    pilot.source_ideas.add(idea)
    if pilot.is_public and idea_is_adoptable(idea=idea):
        already = idea.status_changes.filter(to_status="adopted", pilot_url=pilot.get_absolute_url()).exists()
        if not already:
            idea_adopt(idea=idea, by=by, pilot_url=pilot.get_absolute_url(), pilot_title=pilot.title)


def _history(pilot: Pilot, steps: list[tuple[str, datetime.date, object, dict]]) -> None:
    previous = ""
    for status, day, actor, extra in steps:
        PilotStatusChange.objects.create(
            pilot=pilot, from_status=previous, to_status=status, actor=actor, created_at=_moment(day), **extra
        )
        previous = status


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
    today = timezone.localdate()
    for number, row in enumerate(SELECTED, start=1):
        title, group, district_names, org, budget, rank, status, completed_on, idea_title, summary = row
        if Pilot.objects.filter(title=title).exists():
            continue
        with transaction.atomic():
            _selected_pilot(number, row, groups, districts, organisations, people, today)
        created += 1
    for row in EARLY:
        if Pilot.objects.filter(title=row[0]).exists():
            continue
        with transaction.atomic():
            _early_pilot(row, groups, districts, people, today)
        created += 1
    report(f"{created} pilot projects created, {Pilot.objects.count()} in all")


def _selected_pilot(number, row, groups, districts, organisations, people, today) -> Pilot:
    title, group, district_names, org, budget, rank, status, completed_on, idea_title, summary = row
    team, strategy, moderator = people["team"], people["strategy"], people["moderator"]
    start = D(2021, 6, 1) + datetime.timedelta(days=7 * (number % 8))
    description = (
        f"{summary}\n\n"
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
        budget_planned=Decimal(budget),
        funding_share=Decimal("65"),
        planned_start=D(2021, 4, 1),
        planned_end=D(2022, 12, 31),
        actual_start=start if status in ("implementation", "completed") else None,
        actual_end=completed_on,
        contact_name="SMARTCity-Team der Stadt Gera",
        contact_email="smartcity@gera.de",
        contact_phone="0365 838-1200",
        links=[{"title": "Smart-City-Strategie der Stadt Gera", "url": "https://www.gera.de/smartcity"}],
        status=status,
        plenary_rank=rank,
        plenary_note=f"Rang {rank} von 22 Vorschlägen im Plenum",
        selection_rationale="Hoher Nutzen für die Stadtgesellschaft, in der Förderperiode umsetzbar.",
        council_date=COUNCIL,
        council_resolution=f"DS 2021/{100 + number:03d}",
        created_by=moderator,
        created_at=_moment(D(2020, 9, 15)),
        updated_at=_moment(completed_on or today),
    )
    pilot.districts.set([districts[n] for n in district_names if n in districts])
    steps = [
        ("draft", D(2020, 9, 15), moderator, {}),
        (
            "proposed",
            D(2020, 10, 30),
            moderator,
            {"note": "Von der Arbeitsgruppe für das Plenum eingereicht."},
        ),
        ("prioritised", PLENARY, team, {"note": f"Rang {rank} von 22 Vorschlägen im Plenum"}),
        ("selected", SELECTION, strategy, {"note": "Hoher Nutzen für die Stadtgesellschaft."}),
        (
            "approved",
            COUNCIL,
            team,
            {"council_date": COUNCIL, "council_resolution": pilot.council_resolution},
        ),
        ("tendering", D(2021, 3, 15), team, {}),
        ("implementation", start, team, {}),
    ]
    if status == "completed":
        steps.append(("completed", completed_on, team, {"note": "Das Pilotprojekt ist abgeschlossen."}))
    _history(pilot, steps)
    for position, (name, offset) in enumerate(MILESTONES):
        due = D(2021, 3, 1) + datetime.timedelta(days=offset + 7 * (number % 5))
        done = None
        if status == "completed":
            done = min(due, completed_on)
        elif position < 3:
            done = due
        Milestone.objects.create(
            pilot=pilot,
            title=name,
            due_date=due
            if status == "completed" or position < 3
            else today + datetime.timedelta(days=60 * (position - 2)),
            done_date=done,
            created_at=_moment(COUNCIL),
        )
    updates = [
        (D(2021, 6, 1), "Auftrag vergeben", "Die Ausschreibung ist abgeschlossen, der Auftrag ist vergeben."),
        (start + datetime.timedelta(days=60), "Umsetzung läuft", "Die Arbeiten vor Ort haben begonnen."),
    ]
    if status == "completed":
        updates.append(
            (completed_on, "Abgeschlossen", "Das Projekt ist fertig. Danke an alle, die mitgemacht haben!")
        )
    else:
        updates.append(
            (
                today - datetime.timedelta(days=20),
                "Zwischenstand",
                "Der Betrieb wird erweitert; der Abschluss ist in Sicht.",
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
    _adopt(pilot, idea_title, team)
    return pilot


def _early_pilot(row, groups, districts, people, today) -> Pilot:
    title, group, district_names, status, rank, idea_title, summary = row
    team, moderator = people["team"], people["moderator"]
    proposed_on = today - datetime.timedelta(days=60)
    pilot = Pilot.objects.create(
        title=title,
        slug=unique_slug(title),
        summary=summary,
        description=summary,
        description_html=render_markdown(summary),
        working_group=groups[group],
        status=status,
        plenary_rank=rank,
        plenary_note=f"Rang {rank} im Plenum zur Strategie-Fortschreibung" if rank else "",
        created_by=moderator,
        created_at=_moment(today - datetime.timedelta(days=90)),
        updated_at=_moment(today - datetime.timedelta(days=10)),
    )
    pilot.districts.set([districts[n] for n in district_names if n in districts])
    steps = [("draft", today - datetime.timedelta(days=90), moderator, {})]
    if status != "draft":
        steps.append(("proposed", proposed_on, moderator, {"note": "Für das Plenum eingereicht."}))
    if status == "prioritised":
        steps.append(("prioritised", today - datetime.timedelta(days=10), team, {"note": pilot.plenary_note}))
    _history(pilot, steps)
    _adopt(pilot, idea_title, moderator)
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
