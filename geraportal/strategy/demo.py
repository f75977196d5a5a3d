# ruff: noqa: E501 - demo text, kept one entry per line
"""Demo content: the strategy and its updates as text, and the 2026 update in consultation.

All of this text is written for the demo. It is short and plausible, not the city's real
strategy: every edition's summary says so. The original strategy (2019–2022) has one field
of action per working group with a goal and measures; each update 2022–2025 changes a few
passages, some after citizens' suggestions (accepted, with a public reason, so the diff
links to them); the 2026 update is in its public consultation with suggestions in several
states: open, on a passage that has changed since ("passage changed"), and comments.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.core import demo
from geraportal.core.markdown import render_markdown

from .models import Section, SectionVersion, StrategyEdition, StrategyMeasure, Suggestion

DEMO_NOTE = "(Demo-Inhalt: kurzer, erfundener Text für die Vorführung des Portals.)"


@dataclass(frozen=True)
class S:
    key: str
    kind: str
    theme: str
    title_de: str
    title_en: str
    body_de: str
    body_en: str = ""


ORIGINAL = [
    S(
        "wirtschaft",
        "field",
        "wirtschaft",
        "Wirtschaft",
        "Business",
        "Gera stärkt den Mittelstand und das Handwerk durch digitale Angebote. Unternehmen finden "
        "Ansprechpartner, Daten und Förderung an einer Stelle.",
        "Gera strengthens small businesses and crafts through digital services. Companies find "
        "contacts, data and funding in one place.",
    ),
    S(
        "wirtschaft-ziel",
        "goal",
        "wirtschaft",
        "Ziel: Digitale Wirtschaftsförderung",
        "Goal: digital business support",
        "Bis 2022 sind die wichtigsten Dienste der Wirtschaftsförderung online verfügbar.",
    ),
    S(
        "m-serviceportal",
        "measure",
        "beteiligung-verwaltung",
        "Maßnahme: Bürger-Serviceportal und digitale Bürgerdienste",
        "Measure: citizen service portal",
        "Die Stadt baut ein Serviceportal auf, über das Bürgerinnen, Bürger und Unternehmen Anträge "
        "online stellen. Die ersten zehn Dienste gehen 2021 an den Start.",
        "The city builds a service portal for applications online. The first ten services start in 2021.",
    ),
    S(
        "bildung-kultur",
        "field",
        "bildung-kultur",
        "Bildung und Kultur",
        "Education and culture",
        "Schulen, Bibliotheken und Kultureinrichtungen nutzen digitale Werkzeuge, um mehr Menschen zu "
        "erreichen. Niemand soll beim digitalen Wandel zurückbleiben.",
    ),
    S(
        "m-workshops",
        "measure",
        "bildung-kultur",
        "Maßnahme: Workshops „Smart City zum Anfassen“",
        "Measure: hands-on smart city workshops",
        "In drei Workshops bauen Jugendliche und Erwachsene eigene Sensoren und lernen, was mit offenen "
        "Daten möglich ist.",
    ),
    S(
        "energie-umwelt",
        "field",
        "energie-umwelt",
        "Energie und Umwelt",
        "Energy and environment",
        "Gera spart Energie und schützt das Klima mit smarter Beleuchtung, Sensorik und "
        "vernetzter Entsorgung. Messdaten werden offen bereitgestellt.",
    ),
    S(
        "m-beleuchtung",
        "measure",
        "energie-umwelt",
        "Maßnahme: Digital Lighting und IoT-Sensorik",
        "Measure: digital lighting and IoT sensors",
        "In der Bachgasse, am Elster Forum und im Park der Jugend erprobt die Stadt Leuchten, die sich "
        "nach Bedarf dimmen und Umweltdaten messen.",
    ),
    S(
        "m-muell",
        "measure",
        "energie-umwelt",
        "Maßnahme: Smarte Müllentsorgung",
        "Measure: smart waste collection",
        "Füllstandssensoren in öffentlichen Abfallbehältern helfen, Touren besser zu planen.",
    ),
    S(
        "stadtentwicklung-verkehr",
        "field",
        "stadtentwicklung-verkehr",
        "Städtebau, Stadtentwicklung und Verkehr",
        "Urban development and transport",
        "Gera macht Wege einfacher: mit Informationen zu Parkplätzen, Bus und Bahn und mit Angeboten, "
        "die verschiedene Verkehrsmittel verbinden.",
    ),
    S(
        "m-mobilitaetsinsel",
        "measure",
        "stadtentwicklung-verkehr",
        "Maßnahme: Mobilitätsinsel",
        "Measure: mobility hub",
        "An einer Mobilitätsinsel stehen Leihräder, Ladepunkte und Informationen zum Nahverkehr beieinander.",
    ),
    S(
        "beteiligung-verwaltung",
        "field",
        "beteiligung-verwaltung",
        "Bürgerbeteiligung und Verwaltung",
        "Citizen participation and administration",
        "Die Strategie ist aus Beteiligung entstanden und wird mit Beteiligung fortgeschrieben. Die "
        "Verwaltung arbeitet offen und nachvollziehbar.",
    ),
    S(
        "m-cockpit",
        "measure",
        "beteiligung-verwaltung",
        "Maßnahme: Smart City Cockpit (Open-Data-Portal)",
        "Measure: smart city cockpit (open data portal)",
        "Ein Open-Data-Portal stellt Daten der Stadt frei zur Verfügung, zum Beispiel Messwerte der "
        "Sensoren und Haushaltsdaten.",
    ),
]

# Per update: (key, old passage, new passage, suggestion or None). A suggestion is
# (author e-mail, reason, status, decision reason) and is shown as taken up in that edition.
UPDATES = {
    2022: [
        (
            "m-serviceportal",
            "Die ersten zehn Dienste gehen 2021 an den Start.",
            "Seit 2021 sind zwölf Dienste online; bis 2023 kommen zwanzig weitere hinzu.",
            None,
        ),
        (
            "bildung-kultur",
            "Niemand soll beim digitalen Wandel zurückbleiben.",
            "Niemand soll beim digitalen Wandel zurückbleiben: Die Stadtbibliothek bietet dafür "
            "Sprechstunden für Seniorinnen und Senioren an.",
            (
                "buergerin@example.org",
                "Viele Ältere brauchen persönliche Hilfe, nicht nur Angebote im Netz.",
                "accepted",
                "Ein guter Hinweis; die Stadtbibliothek hat zugesagt.",
            ),
        ),
    ],
    2023: [
        (
            "energie-umwelt",
            "Messdaten werden offen bereitgestellt.",
            "Messdaten werden offen und maschinenlesbar im Open-Data-Portal bereitgestellt.",
            None,
        ),
        (
            "m-muell",
            "helfen, Touren besser zu planen.",
            "helfen, Touren besser zu planen. Nach dem Test in der Innenstadt folgen Lusan und Bieblach.",
            (
                "mitglied@example.org",
                "In den großen Wohngebieten quellen die Behälter am Wochenende über.",
                "accepted_changed",
                "Angenommen, aber zunächst für zwei Stadtteile; weitere folgen nach Auswertung.",
            ),
        ),
    ],
    2024: [
        (
            "stadtentwicklung-verkehr",
            "mit Informationen zu Parkplätzen, Bus und Bahn",
            "mit einem digitalen Stadtleitsystem, Informationen zu Parkplätzen, Bus und Bahn",
            None,
        ),
        (
            "m-mobilitaetsinsel",
            "An einer Mobilitätsinsel stehen",
            "An zwei Mobilitätsinseln (Hauptbahnhof und Heinrichstraße) stehen",
            (
                "buergerin@example.org",
                "Eine einzige Insel reicht für eine Stadt dieser Größe nicht.",
                "accepted",
                "Die zweite Insel ist finanziert und wird 2025 gebaut.",
            ),
        ),
    ],
    2025: [
        (
            "energie-umwelt",
            "Gera spart Energie und schützt das Klima",
            "Gera spart Energie, passt sich an Hitze und Starkregen an und schützt das Klima",
            None,
        ),
        (
            "beteiligung-verwaltung",
            "Die Verwaltung arbeitet offen und nachvollziehbar.",
            "Die Verwaltung arbeitet offen und nachvollziehbar; Beteiligung findet in allen Stadtteilen "
            "statt, auch mit Terminen vor Ort.",
            (
                "gruppe3@example.org",
                "Online-Beteiligung erreicht nicht alle; wir brauchen Termine in den Ortsteilen.",
                "accepted",
                "Angenommen: ab 2026 gibt es jährlich Termine in jedem Ortsteilrat.",
            ),
        ),
    ],
}

TITLES = {
    2019: ("Smart-City-Strategie Gera 2019–2022", (2021, 2, 24), "DS 2021/021"),
    2022: ("Fortschreibung 2022", (2022, 12, 14), "DS 2022/318"),
    2023: ("Fortschreibung 2023", (2023, 12, 13), "DS 2023/297"),
    2024: ("Fortschreibung 2024", (2024, 12, 11), "DS 2024/305"),
    2025: ("Fortschreibung 2025", (2025, 12, 10), "DS 2025/311"),
}
SUMMARIES = {
    2019: "Die erste Strategie, entstanden aus Arbeitsgruppen, Workshops, einem Plenum und einem "
    "Ideenwettbewerb. Sie bündelt 14 Pilotprojekte, die der Stadtrat am 24. Februar 2021 beschlossen hat.",
    2022: "Erste jährliche Fortschreibung: Stand der Pilotprojekte, neue Ideen aus der Bürgerschaft, "
    "Schwerpunkt Bürgerdienste.",
    2023: "Ergebnisse der Umsetzung, Erfahrungen mit Sensorik und offenen Daten.",
    2024: "Mobilität und Stadtleitsystem, Verstetigung abgeschlossener Piloten.",
    2025: "Energie und Umwelt im Fokus, Beteiligung in allen Stadtteilen.",
}

# The 2026 update in consultation: suggestions in several states.
CONSULTATION_2026 = [
    (
        "m-serviceportal",
        "change",
        "buergerin@example.org",
        "bis 2023 kommen zwanzig weitere hinzu.",
        "bis 2027 sind alle Anträge der Bürgerämter online möglich.",
        "Das Ziel von 2023 ist erreicht; es braucht ein neues.",
    ),
    (
        "m-beleuchtung",
        "change",
        "mitglied@example.org",
        "die sich nach Bedarf dimmen",
        "die sich nach Bedarf dimmen und nachts Insekten schonen",
        "Warmweißes Licht schützt Insekten im Park.",
    ),
    (
        "bildung-kultur",
        "comment",
        "gruppe2@example.org",
        "",
        "",
        "Bitte auch die Volkshochschule einbeziehen, sie hat viel Erfahrung mit Kursen für Ältere.",
    ),
    # This passage is changed by the team below: the suggestion is flagged "passage changed".
    (
        "m-cockpit",
        "change",
        "gruppe1@example.org",
        "zum Beispiel Messwerte der Sensoren und Haushaltsdaten",
        "zum Beispiel Messwerte der Sensoren, Haushaltsdaten und Fahrgastzahlen",
        "Fahrgastzahlen helfen bei der Planung.",
    ),
    (
        "wirtschaft",
        "change",
        "gruppe4@example.org",
        "an einer Stelle",
        "an einer Stelle – auch mobil und in einfacher Sprache",
        "Viele Handwerksbetriebe arbeiten vom Telefon aus.",
    ),
]


def _aware(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12, 0))


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _write_sections(edition: StrategyEdition, texts: dict[str, S]) -> dict[str, Section]:
    sections = {}
    for position, spec in enumerate(texts.values(), start=1):
        measure = None
        if spec.kind == "measure":
            measure, _ = StrategyMeasure.objects.get_or_create(
                key=spec.key, defaults={"title_de": spec.title_de, "title_en": spec.title_en}
            )
        section = Section.objects.create(
            edition=edition,
            key=spec.key,
            kind=spec.kind,
            theme=spec.theme,
            measure=measure,
            position=position * 10,
            title_de=spec.title_de,
            title_en=spec.title_en,
            body_de=spec.body_de,
            body_en=spec.body_en,
            body_html_de=render_markdown(spec.body_de),
            body_html_en=render_markdown(spec.body_en) if spec.body_en else "",
        )
        SectionVersion.objects.create(
            section=section, number=1, title_de=spec.title_de, body_de=spec.body_de, body_en=spec.body_en
        )
        sections[spec.key] = section
    return sections


def _replace(spec: S, old: str, new: str) -> S:
    assert old in spec.body_de, (spec.key, old)
    # The English text of a changed passage is not kept up to date in the demo: it is dropped,
    # so the page shows the German text with its note.
    return S(spec.key, spec.kind, spec.theme, spec.title_de, spec.title_en, spec.body_de.replace(old, new, 1))


@demo.step(order=15)
def editions(report: demo.Reporter) -> None:
    team = _user("team@example.org")
    texts = {spec.key: spec for spec in ORIGINAL}
    previous = None
    for year in (2019, 2022, 2023, 2024, 2025):
        title, (y, m, d), resolution = TITLES[year]
        changes = UPDATES.get(year, [])
        accepted = []
        for key, old, new, suggestion in changes:
            if suggestion:
                accepted.append((key, texts[key].body_de, old, new, suggestion))
            texts[key] = _replace(texts[key], old, new)
        with transaction.atomic():
            edition, created = StrategyEdition.objects.get_or_create(
                year=year,
                defaults={
                    "title": title,
                    "summary": f"{SUMMARIES[year]} {DEMO_NOTE}",
                    "previous": previous,
                    "approved_at": _aware(y, m, d) - timedelta(days=14),
                    "published_at": _aware(y, m, d),
                    "council_date": datetime(y, m, d).date(),
                    "council_resolution": resolution,
                },
            )
            if not edition.sections.exists():
                sections = _write_sections(edition, texts)
                for key, before, old, new, (email, reason, status, decision) in accepted:
                    author = _user(email)
                    if author is None:
                        continue
                    section = sections[key]
                    suggestion = Suggestion.objects.create(
                        edition=edition,
                        section=section,
                        author=author,
                        kind="change",
                        quote=old,
                        position=before.index(old),
                        replacement=new,
                        text=reason,
                        status=status,
                        decision_reason=decision,
                        final_text=new,
                        decided_by=team,
                        decided_at=_aware(y, m, d) - timedelta(days=30),
                        created_at=_aware(y, m, d) - timedelta(days=120),
                    )
                    SectionVersion.objects.filter(section=section).update(
                        suggestion=suggestion, note=decision
                    )
        report(f"{'created' if created else 'exists '} strategy edition {year}")
        previous = edition
    _update_2026(report, texts, previous, team)


def _update_2026(report: demo.Reporter, texts: dict[str, S], previous: StrategyEdition, team) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        edition, created = StrategyEdition.objects.get_or_create(
            year=2026,
            defaults={
                "title": "Fortschreibung 2026",
                "summary": "Entwurf der letzten jährlichen Fortschreibung: Bürgerdienste, Klimaanpassung "
                f"und offene Daten. Die öffentliche Beteiligung läuft. {DEMO_NOTE}",
                "previous": previous,
                "consultation_starts": today - timedelta(days=10),
                "consultation_ends": today + timedelta(days=31),
                "review_ends": today + timedelta(days=59),
                "decision_ends": today + timedelta(days=87),
                "consultation_announced_at": timezone.now(),
            },
        )
        if edition.sections.exists():
            report("exists  strategy update 2026 in consultation")
            return
        sections = _write_sections(edition, texts)
        for key, kind, email, quote, replacement, text in CONSULTATION_2026:
            author = _user(email)
            if author is None:
                continue
            body = sections[key].body_de
            Suggestion.objects.create(
                edition=edition,
                section=sections[key],
                author=author,
                kind=kind,
                quote=quote,
                prefix=body[: body.index(quote)][-32:] if quote else "",
                suffix=body[body.index(quote) + len(quote) :][:32] if quote else "",
                position=body.index(quote) if quote else None,
                replacement=replacement,
                text=text,
            )
        # The team has since reworded the open-data measure: that suggestion's passage is gone.
        cockpit = sections["m-cockpit"]
        cockpit.body_de = cockpit.body_de.replace(
            "zum Beispiel Messwerte der Sensoren und Haushaltsdaten",
            "etwa Messwerte der Sensoren, den Haushalt und Daten zum Nahverkehr",
        )
        cockpit.body_html_de = render_markdown(cockpit.body_de)
        cockpit.version = 2
        cockpit.save()
        SectionVersion.objects.create(
            section=cockpit, number=2, title_de=cockpit.title_de, body_de=cockpit.body_de,
            note="Formulierung des Teams nach Rücksprache mit dem Verkehrsbetrieb.", created_by=team,
        )  # fmt: skip
        Suggestion.objects.filter(section=cockpit).update(anchor=Suggestion.Anchor.LOST)
    report("created strategy update 2026 in consultation")
