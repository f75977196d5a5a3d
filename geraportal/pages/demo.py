"""Demo news posts and workshops for Gera."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.core import demo

from .models import Event, NewsPost

NEWS = [
    (
        "strategie-update-2026",
        "Strategie-Update 2026: Jetzt mitreden",
        "Die Smart-City-Strategie wird auch 2026 fortgeschrieben. Bringen Sie Ihre Ideen bis Ende Mai ein.",
        "Gera schreibt seine Smart-City-Strategie jedes Jahr fort – **2026 zum letzten Mal im Jahrestakt**, "
        "danach alle zwei Jahre.\n\n"
        "So können Sie mitmachen:\n\n"
        "- Ideen im Portal einreichen und unterstützen\n"
        "- in einer der fünf Arbeitsgruppen mitarbeiten\n"
        "- beim Plenum über die Prioritäten abstimmen\n\n"
        "Die Arbeitsgruppen beraten die Vorschläge im Juni; das Plenum tagt im Herbst.",
        -3,
    ),
    (
        "pilot-hofwiesenbad-abgeschlossen",
        "Pilotprojekt abgeschlossen: Daten digitalisieren am Beispiel Hofwiesenbad",
        "Besucherzahlen, Wassertemperatur und Auslastung des Hofwiesenbads sind jetzt offen einsehbar.",
        "Das Pilotprojekt *Daten digitalisieren am Beispiel Hofwiesenbad* ist abgeschlossen. Sensoren "
        "messen Auslastung und Temperaturen; die Daten fließen in das Smart City Cockpit.\n\n"
        "Wir danken allen, die die Idee im Ideenwettbewerb eingebracht und in der Arbeitsgruppe "
        "Bürgerbeteiligung und Verwaltung weiterentwickelt haben.",
        -20,
    ),
    (
        "einladung-plenum-herbst",
        "Einladung zum Plenum im Herbst",
        "Beim Plenum stellen die Arbeitsgruppen ihre Pilotvorschläge vor – und alle Berechtigten stimmen ab.",
        "Das nächste Plenum findet im Kultur- und Kongresszentrum Gera statt. Die Arbeitsgruppen stellen "
        "ihre Pilotprojektvorschläge vor, danach wird über die Prioritäten abgestimmt.\n\n"
        "Die Anmeldung öffnet im Portal vier Wochen vorher.",
        -1,
    ),
    (
        "workshops-smart-city-zum-anfassen",
        "Drei Workshops: Smart City zum Anfassen",
        "Sensoren bauen, Daten verstehen: Die Workshop-Reihe für alle Altersgruppen geht weiter.",
        "In drei Workshops bauen Sie einfache Umweltsensoren und sehen, wie ihre Messwerte im "
        "Open-Data-Portal erscheinen. Keine Vorkenntnisse nötig.\n\n"
        "Die Termine stehen im Terminkalender.",
        7,  # scheduled: appears in a week by itself
    ),
]

WORKSHOPS = [
    ("Smart City zum Anfassen: Sensoren bauen", 10, 17, "Volkshochschule Gera, Schülerstraße 1", ""),
    ("Smart City zum Anfassen: Daten verstehen", 24, 17, "Volkshochschule Gera, Schülerstraße 1", ""),
    ("Online-Workshop: Mobilitätsinsel Gera", 31, 18, "", "https://meet.gera.de/mobilitaetsinsel"),
    ("Werkstattgespräch Strategie-Update 2026", -14, 16, "Rathaus Gera, Kornmarkt 12", ""),
]


@demo.step(order=35)
def news_and_workshops(report) -> None:
    author = User.objects.filter(email="team@example.org").first()
    now = timezone.now()
    created = 0
    for slug, title, teaser, body, days in NEWS:
        _, new = NewsPost.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "teaser": teaser,
                "body": body,
                "published_at": now + timedelta(days=days),
                "author": author,
            },
        )
        created += new
    report(f"{created} news posts created ({len(NEWS)} in all, one scheduled for next week).")
    today = timezone.localdate()
    created = 0
    for title, days, hour, location, online_url in WORKSHOPS:
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, 0)))
        _, new = Event.objects.get_or_create(
            title=title,
            defaults={
                "starts_at": start,
                "ends_at": start + timedelta(hours=2),
                "location": location,
                "online_url": online_url,
                "description": "Eine Veranstaltung der SMARTCity Gera. Die Teilnahme ist kostenlos.",
                "created_by": author,
            },
        )
        created += new
    report(f"{created} workshops created in the events calendar.")
