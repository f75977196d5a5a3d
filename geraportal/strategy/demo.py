"""The strategy and its updates so far; the 2026 update is still to come."""

from datetime import datetime

from django.utils import timezone

from geraportal.core import demo

from .models import StrategyEdition

EDITIONS = [
    (
        2019,
        "Smart-City-Strategie Gera 2019–2022",
        "Die erste Strategie, entstanden aus Arbeitsgruppen, Workshops, einem Plenum "
        "und einem Ideenwettbewerb. "
        "Sie bündelt 14 Pilotprojekte, die der Stadtrat am 24. Februar 2021 beschlossen hat.",
        (2021, 2, 24),
    ),
    (
        2022,
        "Fortschreibung 2022",
        "Erste jährliche Fortschreibung: Stand der Pilotprojekte, neue Ideen aus der "
        "Bürgerschaft, Schwerpunkt Bürgerdienste.",
        (2022, 12, 14),
    ),
    (
        2023,
        "Fortschreibung 2023",
        "Ergebnisse der Umsetzung, Erfahrungen mit Sensorik und offenen Daten.",
        (2023, 12, 13),
    ),
    (
        2024,
        "Fortschreibung 2024",
        "Mobilität und Stadtleitsystem, Verstetigung abgeschlossener Piloten.",
        (2024, 12, 11),
    ),
    (
        2025,
        "Fortschreibung 2025",
        "Energie und Umwelt im Fokus, Beteiligung in allen Stadtteilen.",
        (2025, 12, 10),
    ),
]


@demo.step(order=15)
def editions(report: demo.Reporter) -> None:
    for year, title, summary, published in EDITIONS:
        _, created = StrategyEdition.objects.get_or_create(
            year=year,
            defaults={
                "title": title,
                "summary": summary,
                "published_at": timezone.make_aware(datetime(*published, 12, 0)),
            },
        )
        report(f"{'created' if created else 'exists '} strategy edition {year}")
