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
        "Die Smart-City-Strategie wird auch 2026 fortgeschrieben. Unterstützen Sie Ideen und stimmen Sie "
        "vorab über die neuen Pilotvorschläge ab.",
        "Gera schreibt seine Smart-City-Strategie jedes Jahr fort – **2026 zum letzten Mal im Jahrestakt**, "
        "danach alle zwei Jahre.\n\n"
        "So können Sie mitmachen:\n\n"
        "- Ideen im Portal einreichen und unterstützen\n"
        "- in einer der fünf Arbeitsgruppen mitarbeiten\n"
        "- beim Plenum über die Prioritäten abstimmen\n\n"
        "Die Arbeitsgruppen haben drei neue Pilotvorschläge eingereicht; darunter eine Radverkehrszählung, "
        "die zeigt, wo Radwege fehlen. Das Plenum tagt in gut zwei Wochen, die Online-Vorabstimmung läuft.",
        -3,
    ),
    (
        "pilot-hofwiesenbad-abgeschlossen",
        "Pilotprojekt abgeschlossen: Daten digitalisieren am Beispiel Hofwiesenbad",
        "Besucherzahlen, Wassertemperatur und Auslastung des Hofwiesenbads sind jetzt offen einsehbar.",
        "Das Pilotprojekt *Daten digitalisieren am Beispiel Hofwiesenbad* ist abgeschlossen. Sensoren "
        "messen Auslastung und Temperaturen; die Daten fließen in das Smart City Cockpit.\n\n"
        "Wir danken allen, die die Idee im Ideenwettbewerb eingebracht und in der Arbeitsgruppe "
        "Energie und Umwelt weiterentwickelt haben.",
        datetime(2022, 6, 2, 10, 0),  # history keeps its own date
    ),
    (
        "einladung-plenum-herbst",
        "Einladung zum Plenum im Herbst",
        "Beim Plenum stellen die Arbeitsgruppen ihre Pilotvorschläge vor – und alle Berechtigten stimmen ab.",
        "Das nächste Plenum findet im Kultur- und Kongresszentrum Gera statt. Die Arbeitsgruppen stellen "
        "ihre Pilotprojektvorschläge vor, danach wird über die Prioritäten abgestimmt.\n\n"
        "Wer nicht kommen kann, stimmt vorab online ab.",
        -1,
    ),
    (
        "radwege-zaehlstellen",
        "Radwege: Wo in Gera Rad gefahren wird",
        "Die Arbeitsgruppe Stadtentwicklung und Verkehr schlägt Zählstellen für den Radverkehr vor.",
        "Viele Ideen im Portal wünschen sichere **Radwege** – von Bieblach-Ost bis Lusan. Damit die Stadt "
        "die Lücken im Radweg-Netz gezielt schließen kann, schlägt die Arbeitsgruppe automatische "
        "Zählstellen vor. Der Vorschlag steht beim nächsten Plenum zur Abstimmung.",
        -10,
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

# The workshops of the strategy phase, on their real dates (year, month, day, hour).
WORKSHOPS_2020 = [
    ("Bürgerworkshop „Innenstadt digital“", (2020, 9, 9, 17), "Rathaus Gera, Kornmarkt 12"),
    ("Workshop der Ortsteilräte", (2020, 9, 16, 18), "Langenberg, Gemeindesaal"),
    ("Jugendworkshop „Gera 2030“", (2020, 9, 23, 15), "Jugendzentrum Comma, Clara-Zetkin-Straße"),
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
                "published_at": timezone.make_aware(days)
                if isinstance(days, datetime)
                else now + timedelta(days=days),
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
    for title, (year, month, day, hour), location in WORKSHOPS_2020:
        start = timezone.make_aware(datetime(year, month, day, hour))
        _, new = Event.objects.get_or_create(
            title=title,
            defaults={
                "starts_at": start,
                "ends_at": start + timedelta(hours=3),
                "location": location,
                "description": "Ein Workshop der Strategiephase 2020. Die Ideen daraus stehen im Portal.",
                "created_by": author,
            },
        )
        created += new
    report(f"{created} workshops created in the events calendar.")
