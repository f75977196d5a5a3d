"""Demo content: members, moderators, discussions, documents and meetings for each group."""

import io
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.core import demo
from geraportal.core.markdown import render_markdown

from .filetypes import PDF
from .models import RSVP, Document, Meeting, Membership, Post, Thread, WorkingGroup
from .services import DocumentData, document_version_store

# Extra demo members of the working groups (e-mail, display name).
DEMO_MEMBERS = [
    ("gruppe1@example.org", "Frieda Sonnenschein"),
    ("gruppe2@example.org", "Gustav Radweg"),
    ("gruppe3@example.org", "Hanna Bibliothek"),
    ("gruppe4@example.org", "Ilias Handwerk"),
]

# slug: (moderators, members) by e-mail. mitglied@ is a member and moderation@ a moderator
# of some groups; the other demo citizens are spread so every group has a few people.
ROSTER = {
    "wirtschaft": (["moderation@example.org"], ["gruppe4@example.org", "gruppe1@example.org"]),
    "bildung-kultur": (["gruppe3@example.org"], ["mitglied@example.org", "gruppe2@example.org"]),
    "energie-umwelt": (
        ["moderation@example.org"],
        ["mitglied@example.org", "gruppe1@example.org", "gruppe2@example.org"],
    ),
    "stadtentwicklung-verkehr": (["gruppe2@example.org"], ["mitglied@example.org", "gruppe4@example.org"]),
    "beteiligung-verwaltung": (["moderation@example.org", "gruppe3@example.org"], ["gruppe1@example.org"]),
}

THREADS = {
    "wirtschaft": [
        (
            "Online-Schaufenster für den Einzelhandel",
            "public",
            [
                "Wie könnte ein gemeinsames Online-Schaufenster der Geraer Innenstadt aussehen?",
                "Die Händler am Markt wären dabei, wenn die Pflege wenig Aufwand macht.",
            ],
        ),
        (
            "Vorbereitung Gespräch IHK",
            "members",
            [
                "Bitte bis Freitag die Fragen an die IHK sammeln.",
                "Ich ergänze die Punkte zum Fachkräftemangel.",
            ],
        ),
    ],
    "bildung-kultur": [
        (
            "Digitale Angebote der Stadtbibliothek",
            "public",
            [
                "Welche Ideen gibt es für die Stadtbibliothek?",
                "E-Book-Ausleihe für Schulen wäre ein guter Anfang.",
            ],
        ),
        (
            "Interne Abstimmung Workshop-Reihe",
            "members",
            [
                "Drei Workshops „Smart City zum Anfassen“ – wer übernimmt welchen Termin?",
                "Ich nehme den Termin im März.",
            ],
        ),
    ],
    "energie-umwelt": [
        (
            "Smarte Müllentsorgung: Füllstandssensoren",
            "public",
            [
                "Sensoren melden, wann ein Container voll ist. Wer kennt Erfahrungen aus anderen Städten?",
                "In Jena läuft ein ähnliches Projekt seit zwei Jahren.",
                "Wir sollten die GUD (Geraer Umweltdienste) früh einbinden.",
            ],
        ),
        (
            "Autarke Solarleuchte – Standorte",
            "members",
            [
                "Welche Standorte schlagen wir für die Solarleuchten vor?",
                "Der Weg an der Weißen Elster ist nachts sehr dunkel.",
            ],
        ),
    ],
    "stadtentwicklung-verkehr": [
        (
            "Mobilitätsinsel am Hauptbahnhof",
            "public",
            [
                "Rad, Carsharing und ÖPNV an einem Ort – was braucht es dafür?",
                "Sichere Fahrradboxen wären mir am wichtigsten.",
            ],
        ),
        (
            "Entwurf Pilotvorschlag Stadtleitsystem",
            "members",
            [
                "Der Entwurf für das digitale Stadtleitsystem liegt bei den Dokumenten.",
                "Danke, ich lese es bis Montag.",
            ],
        ),
    ],
    "beteiligung-verwaltung": [
        (
            "Bürger-Serviceportal: was zuerst?",
            "public",
            [
                "Welche Verwaltungsleistungen sollen zuerst online gehen?",
                "Wohnsitz ummelden und Termine im Bürgerbüro.",
            ],
        ),
        (
            "Rückmeldungen aus der Verwaltung",
            "members",
            ["Das Hauptamt hat erste Rückmeldungen geschickt.", "Wir besprechen sie beim nächsten Treffen."],
        ),
    ],
}

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class _Upload(io.BytesIO):
    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name
        self.size = len(content)


def _demo_user(email: str, name: str) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        user.set_password(demo.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


@demo.step(order=20)
def working_groups(report: demo.Reporter) -> None:
    for email, name in DEMO_MEMBERS:
        _user, created = _demo_user(email, name)
        report(
            f"{'created' if created else 'exists '} {'working-group member':<32} {email:<26} "
            f"password {demo.DEMO_PASSWORD}"
        )
    users = {
        u.email: u for u in User.objects.filter(email__in={e for m, n in ROSTER.values() for e in m + n})
    }
    now = timezone.now()
    for group in WorkingGroup.objects.all():
        moderators, members = ROSTER.get(group.slug, ([], []))
        for email in moderators + members:
            if email not in users:
                continue
            role = Membership.Role.MODERATOR if email in moderators else Membership.Role.MEMBER
            Membership.objects.get_or_create(group=group, user=users[email], defaults={"role": role})
        people = [users[e] for e in moderators + members if e in users]
        if not people:
            continue
        moderator = people[0]
        for title, visibility, texts in THREADS.get(group.slug, []):
            if Thread.objects.filter(group=group, title=title).exists():
                continue
            thread = Thread.objects.create(
                group=group,
                title=title,
                visibility=visibility,
                author=moderator,
                created_at=now - timedelta(days=10),
                last_post_at=now - timedelta(days=len(texts)),
            )
            for index, text in enumerate(texts):
                Post.objects.create(
                    thread=thread,
                    author=people[index % len(people)],
                    body=text,
                    body_html=render_markdown(text),
                    created_at=now - timedelta(days=10 - index),
                )
        title = f"Arbeitsstand {group.name_de}"
        if not Document.objects.filter(group=group, title=title).exists():
            data = DocumentData(
                title=title, description="Zusammenfassung des letzten Treffens.", visibility="members"
            )
            document = Document.objects.create(
                group=group,
                title=data.title,
                description=data.description,
                visibility=data.visibility,
                created_by=moderator,
            )
            document_version_store(
                document, _Upload(DEMO_PDF, f"arbeitsstand-{group.slug}.pdf"), PDF, number=1, by=moderator
            )
        for days, visibility, title, minutes in [
            (-14, "members", "Arbeitstreffen", "Die Gruppe hat die Ideen des Monats gesichtet."),
            (10, "public", "Offenes Treffen für alle Interessierten", ""),
            (24, "members", "Arbeitstreffen", ""),
        ]:
            day = timezone.localtime(now).replace(hour=18, minute=0, second=0, microsecond=0) + timedelta(
                days=days
            )
            meeting, created = Meeting.objects.get_or_create(
                group=group,
                title=title,
                visibility=visibility,
                starts_at__date=day.date(),
                defaults={
                    "starts_at": day,
                    "ends_at": day + timedelta(hours=2),
                    "location": "Rathaus Gera, Kornmarkt 12",
                    "agenda": "1. Begrüßung\n2. Neue Ideen\n3. Pilotvorschläge",
                    "minutes": minutes,
                    "visibility": visibility,
                    "created_by": moderator,
                },
            )
            if created and days < 0:
                for person in people:
                    RSVP.objects.get_or_create(meeting=meeting, user=person, defaults={"answer": "yes"})
        report(f"working group {group.slug:<26} {len(people)} people, threads, a document, meetings")
