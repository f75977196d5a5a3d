"""The strategy: the strategy page (current edition as text) and the diff of the two largest editions.

Self-contained: it needs only the demo data and `report.get(client, url, label)`. The demo's
editions are short, so the scenario adds two city-scale editions (years 2098 and 2100, clearly
not real; BENCH_STRATEGY_SECTIONS sections of about 2,500 characters each, default 60, with a
third of them edited between the two) once per bench database. They are published, so the
strategy page shows the larger one, and the diff of the two largest editions is theirs.
Target (issue 15): p95 < 100 ms for both pages.
"""

import os

from django.test import Client

YEARS = (2098, 2100)
SENTENCE = (
    "Die Stadt Gera entwickelt ihre digitalen Angebote gemeinsam mit den Menschen in allen Stadtteilen "
    "weiter und misst den Erfolg an offenen Daten. "
)


def _seed(sections: int) -> None:
    from django.utils import timezone

    from geraportal.core.markdown import render_markdown
    from geraportal.strategy.models import Section, StrategyEdition

    for year in YEARS:
        if StrategyEdition.objects.filter(year=year).exists():
            continue
        now = timezone.now()
        edition = StrategyEdition.objects.create(
            year=year,
            title=f"Bench-Ausgabe {year}",
            summary="Große Ausgabe nur für die Messung (make bench).",
            approved_at=now,
            published_at=now,
        )
        rows = []
        for n in range(sections):
            body = "\n\n".join(f"Absatz {p + 1} von Abschnitt {n + 1}. " + SENTENCE * 4 for p in range(4))
            if year == YEARS[1] and n % 3 == 0:  # a third of the sections changed in the newer edition
                body = body.replace("offenen Daten", "offenen und geprüften Daten", 3)
                body += "\n\nNeu: ein Absatz."
            rows.append(
                Section(
                    edition=edition,
                    key=f"abschnitt-{n + 1}",
                    kind="measure" if n % 4 else "field",
                    position=n * 10,
                    title_de=f"Abschnitt {n + 1}",
                    body_de=body,
                    body_html_de=render_markdown(body),
                )
            )
        Section.objects.bulk_create(rows)
        print(f"    seeded bench edition {year} with {sections} sections", flush=True)


def _two_largest() -> tuple[int, int]:
    from django.db.models import Sum
    from django.db.models.functions import Length

    from geraportal.strategy.models import StrategyEdition

    sizes = (
        StrategyEdition.objects.published()
        .annotate(size=Sum(Length("sections__body_de")))
        .filter(size__isnull=False)
        .order_by("-size")
        .values_list("year", flat=True)[:2]
    )
    old, new = sorted(sizes)
    return old, new


def run(report) -> None:
    _seed(int(os.environ.get("BENCH_STRATEGY_SECTIONS", "60")))
    old, new = _two_largest()
    visitor = Client()
    report.get(visitor, "/strategy/", "visitor /strategy/ (current edition)")
    report.get(visitor, f"/strategy/{new}/", f"visitor /strategy/{new}/")
    report.get(visitor, f"/strategy/vergleich/?old={old}&new={new}", f"visitor diff {old}↔{new} (largest)")
    report.get(visitor, "/strategy/2026/", "visitor /strategy/2026/ (consultation)")
