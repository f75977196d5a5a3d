# ruff: noqa: E501 -- the tables of demo content read best one record to a few lines
"""Demo ideas for Gera, as one history: the ideas competition and the workshops of 2020 that
fed the first strategy, ideas brought in online during the yearly updates since 2022, and the
ideas of the current update and of the open competition, which are still collecting supports.

Historical ideas carry their real-world dates (2020–2025); only what is open today is dated
relative to today. Every district gets at least one idea, every theme many. Locations are
placed near the district's centre (the districts table holds the coordinates).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.core import demo
from geraportal.districts.models import District
from workgroups.models import WorkingGroup

from . import services
from .models import Comment, Competition, Criterion, Idea, JuryScore, Support

D = datetime.date

PAST_COMPETITION = "ideenwettbewerb-2020"
OPEN_COMPETITION = "ideenwettbewerb-klima"
COMPETITION_2020 = (D(2020, 8, 1), D(2020, 9, 30), D(2020, 10, 23))

WORKSHOPS = {
    "innenstadt": "Eingebracht im Bürgerworkshop „Innenstadt digital“ am 9. September 2020 im Rathaus.",
    "ortsteile": "Eingebracht im Workshop der Ortsteilräte am 16. September 2020 in Langenberg.",
    "jugend": "Eingebracht im Jugendworkshop „Gera 2030“ am 23. September 2020 im Comma.",
}

W, B, E, S, V = (
    "wirtschaft",
    "bildung-kultur",
    "energie-umwelt",
    "stadtentwicklung-verkehr",
    "beteiligung-verwaltung",
)

# (theme, district, title, body, source, submitted on (date) or days ago (int), outcome)
# source: "wettbewerb" (competition 2020), a WORKSHOPS key, "online", or "klima" (open competition).
# outcome: "" (pilots/demo.py adopts some), "open", "review", "declined:<reason>", "merged:<title>".
IDEAS = [
    # --- Ideas competition 2020 (August–September 2020) --------------------------------
    (V, "Ostviertel", "Termine im Bürgeramt online buchen",
     "Wartemarken und Termine per Internet, mit Erinnerung per SMS oder E-Mail.", "wettbewerb", D(2020, 8, 4), ""),
    (S, "Debschwitz", "Mobilitätsstation am Bahnhof Gera-Süd",
     "Leihräder, Lastenrad, Carsharing und Bus an einem Ort – mit einer App buchbar.", "wettbewerb", D(2020, 8, 6), ""),
    (S, "Stadtmitte/Innenstadt", "Digitale Anzeige freier Parkplätze in der Innenstadt",
     "Ein Parkleitsystem zeigt an den Einfallstraßen, wo noch Plätze frei sind. Das spart Suchverkehr rund um den Markt.",
     "wettbewerb", D(2020, 8, 10), ""),
    (V, "Pforten", "Offene Daten der Stadt Gera",
     "Haushalt, Verkehrszählungen und Umweltdaten als offene Daten zum Herunterladen.", "wettbewerb", D(2020, 8, 12), ""),
    (V, "Aga", "Mängelmelder für Schlaglöcher und defekte Laternen",
     "Foto machen, Ort markieren, abschicken – und sehen, wann es repariert ist.", "wettbewerb", D(2020, 8, 14), ""),
    (E, "Untermhaus", "Solarbänke im Hofwiesenpark",
     "Sitzbänke mit kleinen **Solarmodulen**, an denen man Handy und E-Bike laden kann.\n\n"
     "- Strom aus der Sonne\n- Treffpunkt für Jung und Alt\n- Anzeige der erzeugten Energie", "wettbewerb", D(2020, 8, 17), ""),
    (E, "Lusan", "Müllcontainer melden, wenn sie voll sind",
     "Sensoren in den Wertstoffcontainern von Lusan und Bieblach: geleert wird, wenn es nötig ist, nicht nach Plan.",
     "wettbewerb", D(2020, 8, 19), ""),
    (E, "Untermhaus", "Licht im Park der Jugend nur bei Bedarf",
     "Leuchten, die heller werden, wenn jemand kommt – sicherer und sparsamer.", "wettbewerb", D(2020, 8, 21), ""),
    (V, "Bieblach", "Sozial-Card auf dem Handy",
     "Die Geraer Sozial-Card als digitaler Nachweis, damit man sie nicht an jeder Kasse vorzeigen muss.",
     "wettbewerb", D(2020, 8, 25), ""),
    (E, "Untermhaus", "Energieverbrauch des Hofwiesenbads sichtbar machen",
     "Wasser, Wärme und Strom des Bades messen und zeigen, wo gespart werden kann.", "wettbewerb", D(2020, 8, 27), ""),
    (W, "Stadtmitte/Innenstadt", "Rückkehrer-Portal für Gera",
     "Wer aus Gera weggezogen ist, soll leicht erfahren, welche Jobs, Wohnungen und Kitaplätze es gibt.",
     "wettbewerb", D(2020, 9, 1), ""),
    (S, "Bieblach", "Sichere Radwege nach Bieblach-Ost",
     "Der Radweg von Bieblach in die Innenstadt ist für Kinder gefährlich. Eine durchgehende, beleuchtete "
     "Radroute wäre ein großer Gewinn.", "wettbewerb", D(2020, 9, 3), "review"),
    (B, "Zwötzen", "Digitale Schnitzeljagd durch die Geschichte Geras",
     "Mit dem Handy Stationen von Otto Dix bis zur Orangerie entdecken, mit Rätseln für Schulklassen.",
     "wettbewerb", D(2020, 9, 7), ""),
    (W, "Stadtmitte/Innenstadt", "Lieferdienst für Geschäfte der Innenstadt",
     "Eine gemeinsame Plattform, über die lokale Händler am selben Tag per Lastenrad liefern.", "wettbewerb",
     D(2020, 9, 9), ""),
    (W, "Langenberg", "Coworking-Space im Ortsteil",
     "Arbeitsplätze mit schnellem Internet, damit Pendler öfter vor Ort arbeiten können.", "wettbewerb",
     D(2020, 9, 14), "declined:Die Stadt betreibt keine Büroflächen; wir haben die Idee an die "
     "Wirtschaftsförderung weitergegeben."),
    (S, "Gera-Nord", "Busse in Echtzeit an jeder Haltestelle",
     "Anzeigen, wann der nächste Bus wirklich kommt – auch an kleinen Haltestellen.", "wettbewerb", D(2020, 9, 16),
     "merged:Digitale Anzeige freier Parkplätze in der Innenstadt"),
    (E, "Lusan", "Sensoren für Bodenfeuchte an Stadtbäumen",
     "Funk-Sensoren zeigen, welche Straßenbäume im Sommer dringend Wasser brauchen. Die Daten könnten im "
     "Smart City Cockpit für alle sichtbar sein.", "wettbewerb", D(2020, 9, 21), ""),
    (W, "Tinz", "Digitaler Marktplatz für Handwerksbetriebe",
     "Handwerksbetriebe aus Gera zeigen freie Termine und nehmen Anfragen online an.", "wettbewerb", D(2020, 9, 24),
     "declined:Ein solcher Marktplatz besteht bereits bei der Handwerkskammer; die Stadt verlinkt ihn."),
    # --- Workshops of September 2020 ----------------------------------------------------
    (B, "Stadtmitte/Innenstadt", "Makerspace in der Stadtbibliothek",
     "3D-Drucker, Lötstationen und Kurse für alle Generationen – ein Ort zum Ausprobieren.", "jugend", D(2020, 9, 23), ""),
    (E, "Stadtmitte/Innenstadt", "Intelligente Straßenlaternen in der Sorge",
     "Laternen in Sorge und Bachgasse mit Sensoren für Luft, Lärm und Passantenzahlen.", "innenstadt", D(2020, 9, 9), ""),
    (E, "Lusan", "Solarleuchten für Wege ohne Stromanschluss",
     "Am Weg zwischen Lusan und Zwötzen gibt es kein Kabel – Leuchten mit eigenem Solarmodul würden helfen.",
     "ortsteile", D(2020, 9, 16), ""),
    (W, "Stadtmitte/Innenstadt", "Treffpunkt für Gründer und Hochschulen",
     "Ein Verein, der Unternehmen, die Duale Hochschule und die Stadt bei digitalen Projekten zusammenbringt.",
     "innenstadt", D(2020, 9, 9), ""),
    (S, "Stadtmitte/Innenstadt", "Wegweiser-Stelen mit Veranstaltungen",
     "Digitale Stelen am Markt, am Hauptbahnhof und an der Sorge zeigen Wege und aktuelle Veranstaltungen.",
     "innenstadt", D(2020, 9, 9), "merged:Digitale Anzeige freier Parkplätze in der Innenstadt"),
    (V, "Falka", "Ortsteilrat online erreichen",
     "Sitzungstermine, Protokolle und Anfragen an den Ortsteilrat auf einer Seite.", "ortsteile", D(2020, 9, 16),
     "declined:Die Ortsteilräte sind seit 2021 im Ratsinformationssystem der Stadt zu finden."),
    (V, "Hain", "WLAN im Dorfgemeinschaftshaus",
     "Freies WLAN im Gemeinschaftshaus, damit Vereine und Ältere digitale Angebote nutzen können.", "ortsteile",
     D(2020, 9, 16), "declined:Das Gemeinschaftshaus gehört einem Verein; die Stadt hat ihn auf das Förderprogramm "
     "„WiFi4EU“ hingewiesen."),
    (B, "Lusan", "Programmierkurse für Kinder im Stadtteilzentrum",
     "Einmal pro Woche Roboter bauen und programmieren lernen – kostenlos und in der Nähe.", "jugend",
     D(2020, 9, 23), "merged:Makerspace in der Stadtbibliothek"),
    (B, "Bieblach", "Sensor-Workshops an Schulen",
     "Schülerinnen und Schüler bauen Messgeräte für Feinstaub und Temperatur und stellen die Daten online.",
     "jugend", D(2020, 9, 23), ""),
    # --- Online during the yearly updates 2021–2025 --------------------------------------
    (S, "Leumnitz", "Radweg zwischen Leumnitz und der Innenstadt beleuchten",
     "Der Radweg entlang der Straße ist im Winter ab 16 Uhr stockdunkel.", "online", D(2021, 11, 8),
     "merged:Sichere Radwege nach Bieblach-Ost"),
    (E, "Collis", "Regenwasser für Kleingärten speichern",
     "Zisternen an Kleingartenanlagen, deren Füllstand online zu sehen ist.", "online", D(2022, 4, 12),
     "declined:Die Kleingartenvereine entscheiden selbst; der Stadtverband wurde informiert."),
    (V, "Milbitz", "Bürgerservice im Bus",
     "Ein Bürgerbüro auf Rädern kommt einmal im Monat in die Ortsteile.", "online", D(2022, 5, 3),
     "declined:Seit 2023 gibt es das Bürger-Serviceportal; ein mobiles Bürgerbüro ist nicht finanzierbar."),
    (B, "Untermhaus", "Otto-Dix-Haus in 3D erleben",
     "Ein virtueller Rundgang durch das Geburtshaus von Otto Dix für alle, die nicht hinkommen.", "online",
     D(2022, 6, 20), "declined:Die Kunstsammlung Gera plant einen eigenen digitalen Rundgang."),
    (W, "Scheubengrobsdorf", "Gewerbeflächen-Karte online",
     "Freie Gewerbeflächen mit Größe, Anschluss und Preis auf einer Karte.", "online", D(2022, 9, 1),
     "declined:Die Flächen sind im Gewerbeflächenportal des Landes Thüringen verzeichnet."),
    (E, "Ernsee", "Ladesäulen für E-Autos in den Ortsteilen",
     "Nicht nur in der Innenstadt: auch in Ernsee und Frankenthal fehlen Ladesäulen.", "online", D(2023, 2, 14),
     "declined:Ladesäulen baut die Energieversorgung Gera; die Idee ist in deren Ausbauplanung eingegangen."),
    (S, "Dorna", "Rufbus für Dorna und Laasen",
     "Ein Bus, den man per App oder Telefon bestellt, wenn die Linie nur selten fährt.", "online", D(2023, 3, 7),
     "declined:Der Rufbus wird im Nahverkehrsplan des Landkreises geprüft."),
    (B, "Pforten", "Digitale Ausleihe von Werkzeug",
     "Eine Leihbox, aus der man Bohrmaschine und Leiter per App ausleiht.", "online", D(2023, 5, 22),
     "declined:Der Verein „Leihladen Gera“ bietet das seit 2024 an; die Stadt verlinkt ihn."),
    (E, "Zwötzen", "Hochwasser-Pegel der Weißen Elster live",
     "Messwerte des Pegels in Zwötzen auf dem Handy, mit Warnung bei steigendem Wasser.", "online", D(2023, 8, 30),
     "declined:Die Messwerte stehen beim Thüringer Landesamt für Umwelt bereit und sind im Cockpit verlinkt."),
    (V, "Röppisch", "Formulare in Leichter Sprache",
     "Die wichtigsten Anträge der Stadt auch in Leichter Sprache.", "online", D(2024, 1, 15),
     "declined:Die Stadt übersetzt seit 2024 alle Online-Anträge schrittweise; die Idee ist umgesetzt."),
    (S, "Roschütz", "Schulweg-Ampeln mit Taster-App",
     "Ampeln an Schulwegen, die Kinder mit einer App früher auf Grün schalten können.", "online", D(2024, 3, 19),
     "declined:Ampeln mit App-Anforderung sind im Straßenverkehr nicht zugelassen."),
    (W, "Kaimberg", "Hofläden auf einer Karte",
     "Hofläden und Direktvermarkter der Ortsteile mit Öffnungszeiten auf einer Karte.", "online", D(2024, 6, 4),
     "declined:Die Karte führt die Agrargenossenschaft; die Stadt hat sie in ihr Portal eingebunden."),
    (B, "Liebschwitz", "Vereinsportal für Gera",
     "Alle Vereine mit Angeboten und Ansprechpersonen auf einer Seite.", "online", D(2024, 9, 10),
     "declined:Das Vereinsregister der Stadt wird 2025 um diese Angaben ergänzt."),
    (E, "Naulitz", "Blühwiesen statt Rasen an Straßenrändern",
     "Straßenbegleitgrün als Blühwiese, mit einem Sensor für Insekten.", "online", D(2025, 3, 3),
     "declined:Blühflächen legt der Umweltdienst seit 2025 an; Sensoren sind dafür nicht nötig."),
    (V, "Söllmnitz", "Sprechstunde des Ortsteilbürgermeisters per Video",
     "Einmal im Monat eine Video-Sprechstunde für alle, die nicht zum Termin kommen können.", "online",
     D(2025, 5, 12), "declined:Die Ortsteilbürgermeister bieten das seit 2025 selbst an."),
    (S, "Thieschitz", "Mitfahrbank mit Anzeige",
     "Eine Bank am Ortsausgang: wer dort sitzt, möchte mitgenommen werden – eine Leuchte zeigt die Richtung.",
     "online", D(2025, 6, 2), "declined:Mitfahrbänke stellt der Ortsteilrat selbst auf; die Stadt unterstützt ihn."),
    # --- Strategy update 2026 (still collecting supports) ---------------------------------
    (S, "Lusan", "Radweg-Lücken in Lusan schließen",
     "Zwischen Lusan-Zentrum und der Innenstadt endet der Radweg dreimal im Nichts. Eine Karte der Lücken und "
     "ein Plan, sie zu schließen.", "online", 120, "review"),
    (S, "Langenberg", "Fahrradboxen an Bahnhöfen und Haltestellen",
     "Abschließbare Boxen für Fahrräder am Bahnhof Langenberg und an der Endhaltestelle, per App zu buchen.",
     "online", 95, "open"),
    (E, "Bieblach-Ost", "Mieterstrom auf Plattenbaudächern",
     "Die Dächer in Bieblach-Ost tragen Solaranlagen, deren Strom die Mieterinnen und Mieter günstig nutzen.",
     "online", 80, "open"),
    (V, "Stadtmitte/Innenstadt", "Ratssitzungen im Livestream",
     "Die Sitzungen des Stadtrats live und danach zum Nachschauen, mit Untertiteln.", "online", 70, "open"),
    (B, "Lusan-Zentrum", "Digitale Lernwerkstatt für Seniorinnen und Senioren",
     "Ehrenamtliche helfen einmal pro Woche beim Umgang mit Handy, Tablet und Online-Diensten.", "online", 60, "open"),
    (W, "Gera-Nord", "Leerstandsmelder für Ladenflächen",
     "Leere Läden mit Größe und Miete auf einer Karte, damit Gründerinnen und Gründer sie finden.", "online", 50,
     "open"),
    (V, "Weißig", "Notfall-Infopunkte in den Ortsteilen",
     "Bei Stromausfall oder Hochwasser: feste Orte mit Funk, Strom und Informationen.", "online", 40, "open"),
    (S, "Debschwitz", "Tempo-Anzeigen mit Datenauswertung",
     "Geschwindigkeitsanzeigen vor Schulen, deren anonyme Daten zeigen, wo Kontrollen nötig sind.", "online", 30,
     "open"),
    # --- The open ideas competition "Klima und Stadtgrün" (dated from today) -------------
    (E, "Lusan-Laune", "Bewässerungs-Patenschaften per App",
     "Anwohnende übernehmen Patenschaften für Bäume; eine App zeigt, welcher Baum heute Wasser braucht.", "klima", 18,
     "open"),
    (E, "Stadtmitte/Innenstadt", "Hitzekarte der Innenstadt",
     "Temperatursensoren an Laternen zeigen die heißesten Orte; dort entstehen Schattenplätze und Trinkbrunnen.",
     "klima", 15, "open"),
    (S, "Tinz", "Radweg-Schnellverbindung Tinz–Hauptbahnhof",
     "Eine breite, gut beleuchtete Radroute, damit mehr Menschen mit dem Rad statt dem Auto pendeln.", "klima", 12,
     "open"),
    (E, "Cretzschwitz", "Regenwasser-Zisternen für Schulgärten",
     "Zisternen mit Füllstandssensor versorgen Schulgärten im Sommer.", "klima", 9, "open"),
    (E, "Frankenthal", "Streuobstwiesen digital kartieren",
     "Alte Obstbäume erfassen, Pflege planen und Ernte mit allen teilen.", "klima", 6, "open"),
    # --- More from the 2020 workshops, for the districts not yet named ------------------
    (S, "Großaga", "Dorfplatz mit Ladestation und WLAN",
     "Ein Treffpunkt im Ortsteil, an dem E-Bikes laden und alle ins Internet können.", "ortsteile", D(2020, 9, 16),
     "merged:Solarbänke im Hofwiesenpark"),
    (B, "Kleinaga", "Dorfchronik online",
     "Fotos und Geschichten des Ortsteils sammeln und für alle zugänglich machen.", "ortsteile", D(2020, 9, 16),
     "declined:Der Heimatverein betreibt die Chronik; die Stadt hat ihm Speicherplatz angeboten."),
    (V, "Dürrenebersdorf", "Online-Sprechstunde des Ortsteilrats",
     "Fragen an den Ortsteilrat auch online stellen.", "ortsteile", D(2020, 9, 16),
     "declined:Die Ortsteilräte sind seit 2021 im Ratsinformationssystem der Stadt zu finden."),
    (E, "Laasen", "Nachtabschaltung der Straßenbeleuchtung",
     "In ruhigen Ortsteilen die Straßenbeleuchtung nachts dimmen, wenn niemand unterwegs ist.", "ortsteile",
     D(2020, 9, 16), "merged:Licht im Park der Jugend nur bei Bedarf"),
    (S, "Rubitz", "Glasfaser für die Ortsteile",
     "Schnelles Internet auch in den Dörfern am Stadtrand.", "ortsteile", D(2020, 9, 16),
     "declined:Den Glasfaserausbau fördern Bund und Land; die Stadt koordiniert ihn außerhalb der Smart-City-Strategie."),
    (W, "Stublach", "Direktvermarktung per Online-Bestellung",
     "Bauernhöfe nehmen Bestellungen online an und liefern an Abholstationen.", "ortsteile", D(2020, 9, 16),
     "merged:Lieferdienst für Geschäfte der Innenstadt"),
    (B, "Taubenpreskeln", "Lernplattform für die Grundschule",
     "Eine gemeinsame Lernplattform für Schule, Hort und Eltern.", "ortsteile", D(2020, 9, 16),
     "declined:Schulen nutzen die Thüringer Schulcloud des Landes."),
    (S, "Trebnitz", "Sichere Querung an der Bundesstraße",
     "Eine Bedarfsampel mit Anzeige, wie lange man warten muss.", "ortsteile", D(2020, 9, 16),
     "declined:Die Bundesstraße liegt in der Zuständigkeit des Landes; die Stadt hat die Idee weitergegeben."),
    (E, "Windischenbernsdorf", "Dorfteich-Sensor für Wasserqualität",
     "Ein Sensor misst Temperatur und Sauerstoff, damit Fische im Sommer nicht sterben.", "ortsteile", D(2020, 9, 16),
     "merged:Sensoren für Bodenfeuchte an Stadtbäumen"),
    (V, "Zeulsdorf", "Amtsblatt als Newsletter",
     "Das Amtsblatt der Stadt per E-Mail, statt nur auf Papier.", "ortsteile", D(2020, 9, 16),
     "declined:Das Amtsblatt erscheint seit 2021 auch online; der Newsletter des Portals weist darauf hin."),
    (S, "Lusan-Brüte", "Barrierefreie Haltestellen anzeigen",
     "Welche Haltestellen haben einen ebenen Einstieg? Eine Karte für Menschen mit Rollstuhl oder Kinderwagen.",
     "online", D(2021, 10, 5), "declined:Die GVB zeigt das seit 2022 in ihrer Fahrplanauskunft."),
]  # fmt: skip

COMMENTS = [
    "Sehr gute Idee, das würde ich sofort nutzen!",
    "Wer soll das bezahlen? Vielleicht gibt es Fördermittel.",
    "In Jena gibt es so etwas schon, das funktioniert gut.",
    "Bitte auch an ältere Menschen ohne Smartphone denken.",
    "Unterstützt! Im Winter ist das besonders wichtig.",
    "Könnte man das mit dem Smart City Cockpit verbinden?",
]


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _submitted(when, now) -> datetime.datetime:
    if isinstance(when, int):
        return now - datetime.timedelta(days=when, hours=3)
    return _moment(when, 10)


def _near(district: District | None, number: int) -> tuple[Decimal | None, Decimal | None]:
    """A point a few hundred metres from the district's centre, different for every idea."""
    if district is None or district.latitude is None:
        return None, None
    dlat = Decimal((number * 37) % 13 - 6) / Decimal(2000)
    dlng = Decimal((number * 53) % 11 - 5) / Decimal(1300)
    return (district.latitude + dlat).quantize(Decimal("0.000001")), (district.longitude + dlng).quantize(
        Decimal("0.000001")
    )


@demo.step(order=30)
def ideas(report: demo.Reporter) -> None:
    people = list(
        User.objects.filter(email__endswith="@example.org", deleted_at__isnull=True)
        .exclude(email__startswith="plenum")
        .order_by("pk")
    )
    if not people:
        report("no demo accounts: skipped ideas")
        return
    team = next((p for p in people if p.email == "team@example.org"), people[0])
    citizens = [p for p in people if not p.is_staff] or people
    themes = {g.slug: g for g in WorkingGroup.objects.all()}
    districts = {d.name: d for d in District.objects.all()}
    now = timezone.now()
    past, open_ = _competitions(now, themes, people)
    created = 0
    for number, (slug, district_name, title, body, source, when, _outcome) in enumerate(IDEAS):
        if Idea.objects.filter(title=title).exists():
            continue
        submitted = _submitted(when, now)
        author = citizens[number % len(citizens)]
        district = districts.get(district_name)
        latitude, longitude = _near(district, number) if number % 5 != 4 else (None, None)
        if source in WORKSHOPS:
            body = f"{body}\n\n*{WORKSHOPS[source]}*"
        new = Idea(
            title=title,
            body=body,
            theme=themes[slug],
            district=district,
            latitude=latitude,
            longitude=longitude,
            location_text=district_name if latitude is not None else "",
            competition=open_ if source == "klima" else None,
        )
        idea = services.idea_submit(author=author, idea=new, now=submitted)
        if source == "wettbewerb":
            Idea.objects.filter(pk=idea.pk).update(competition=past)
        supporters = [p for k, p in enumerate(people) if p.pk != author.pk and (number + k) % 3 != 0]
        for supporter in supporters:
            services.idea_support(idea=idea, user=supporter)
        Support.objects.filter(idea=idea).update(created_at=submitted + datetime.timedelta(days=2))
        for offset in range(number % 3 + (1 if source != "klima" else 0)):
            commenter = people[(number + offset + 1) % len(people)]
            comment = services.comment_create(
                idea=idea, author=commenter, body=COMMENTS[(number + offset) % len(COMMENTS)]
            )
            Comment.objects.filter(pk=comment.pk).update(
                created_at=submitted + datetime.timedelta(days=offset + 1, hours=offset)
            )
        created += 1
        if created % 10 == 0:
            report(f"ideas: {created}/{len(IDEAS)}")
    _outcomes(team, now)
    _jury_scores(past)
    open_count = Idea.objects.filter(status__in=[Idea.Status.PUBLISHED, Idea.Status.IN_REVIEW]).count()
    report(
        f"{created} ideas created, {Idea.objects.count()} in all ({open_count} open for support); "
        f"competitions: {past.title}, {open_.title}"
    )


def _competitions(now, themes, people):
    team = next((p for p in people if p.email == "team@example.org"), people[0])
    start, end, results = COMPETITION_2020
    past, made = Competition.objects.get_or_create(
        slug=PAST_COMPETITION,
        defaults={
            "title": "Ideenwettbewerb Smart City Gera 2020",
            "description": "Ihre Ideen für ein digitales, nachhaltiges Gera. Die Jury hat die besten Ideen "
            "ausgezeichnet; viele davon sind in die Pilotprojekte eingeflossen, die der Stadtrat am "
            "24. Februar 2021 beschlossen hat.",
            "submission_start": _moment(start, 0),
            "submission_end": _moment(end, 23),
            "results_at": _moment(results, 12),
            "winners_count": 3,
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
            "Reichen Sie Ihre Idee bis zum Ende der Frist ein; die Jury wählt drei Ideen für das "
            "Strategie-Update aus.",
            "submission_start": now - datetime.timedelta(days=21),
            "submission_end": now + datetime.timedelta(days=45),
            "results_at": now + datetime.timedelta(days=75),
            "winners_count": 3,
        },
    )
    if made:
        open_.themes.set([themes["energie-umwelt"], themes["stadtentwicklung-verkehr"]])
        open_.jury.set([team])
        for position, name in enumerate(["Nutzen für das Stadtklima", "Umsetzbarkeit", "Innovation"]):
            Criterion.objects.create(competition=open_, name=name, position=position)
    return past, open_


def _outcomes(team, now) -> None:
    """Review, decline and merge as the working groups did (adoption is the pilots' part)."""
    by_title = {idea.title: idea for idea in Idea.objects.filter(title__in=[row[2] for row in IDEAS])}
    for _slug, _district, title, _body, _source, when, outcome in IDEAS:
        idea = by_title.get(title)
        if idea is None or idea.status != Idea.Status.PUBLISHED or outcome in ("", "open"):
            continue
        submitted = _submitted(when, now)
        reviewed = submitted + datetime.timedelta(days=21)
        if isinstance(when, datetime.date) and when.year == 2020:
            reviewed = _moment(D(2020, 10, 14))  # the groups sifted the ideas before the plenary
        if outcome == "review":
            services.idea_set_in_review(
                idea=idea,
                by=team,
                reason="Die Arbeitsgruppe prüft die Idee für das Strategie-Update.",
                now=reviewed,
            )
            continue
        kind, _sep, detail = outcome.partition(":")
        services.idea_set_in_review(idea=idea, by=team, now=reviewed)
        if kind == "declined":
            services.idea_decline(
                idea=idea, by=team, reason=detail, now=reviewed + datetime.timedelta(days=30)
            )
        elif kind == "merged" and detail in by_title:
            services.idea_merge(
                idea=idea,
                into=by_title[detail],
                by=team,
                reason="Die Arbeitsgruppe führt beide Ideen gemeinsam weiter.",
                now=reviewed + datetime.timedelta(days=7),
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
