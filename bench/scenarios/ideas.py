"""Ideas: list (default, filtered, page 200, search) and detail on many seeded ideas (issue 3).

Size: BENCH_IDEAS ideas (default 5,000) with five comments and ten supports per idea, i.e.
the full target of 50,000 ideas, 250,000 comments and 500,000 supports with
BENCH_IDEAS=50000 (use PostgreSQL: BENCH_DATABASE_URL=postgres://...). Seeding is done once
per database with bulk_create in batches; later runs reuse the rows.
"""

import os
import random
import time

BATCH = 5000
WORDS = [
    "Fahrradweg",
    "Solarbank",
    "Bibliothek",
    "Parkplatz",
    "Sensor",
    "Laterne",
    "Spielplatz",
    "Bushaltestelle",
    "Stadtgrün",
    "Elster",
    "Markt",
    "Sorge",
    "Lusan",
    "Bieblach",
    "Innenstadt",
    "Schule",
    "WLAN",
    "Trinkbrunnen",
    "Baum",
    "Müll",
    "App",
    "Daten",
    "Bürgeramt",
    "Lastenrad",
    "Coworking",
    "Museum",
    "Orangerie",
    "Theater",
    "Ladesäule",
    "Radständer",
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def seed(target: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from geraportal.accounts.models import User
    from geraportal.districts.models import District
    from ideas.models import Comment, Idea, Support
    from ideas.services import idea_refresh_search
    from workgroups.models import WorkingGroup

    have = Idea.objects.filter(title__startswith="Bench ").count()
    if have >= target:
        print(f"    {have} bench ideas present", flush=True)
        return
    rng = random.Random(3)
    people_needed = 200
    existing = User.objects.filter(email__startswith="bench-").count()
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(email=f"bench-{n}@example.org", display_name=f"Bench {n}", password=password)
            for n in range(existing, people_needed)
        ],
        batch_size=BATCH,
    )
    people = list(User.objects.filter(email__startswith="bench-").values_list("pk", flat=True))
    themes = list(WorkingGroup.objects.values_list("pk", flat=True))
    districts = list(District.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    for start in range(have, target, BATCH):
        size = min(BATCH, target - start)
        with transaction.atomic():
            ideas = Idea.objects.bulk_create(
                [
                    Idea(
                        title=f"Bench {start + n} {_text(rng, 4)}",
                        body=_text(rng, 60),
                        author_id=rng.choice(people),
                        theme_id=rng.choice(themes),
                        district_id=rng.choice(districts) if rng.random() < 0.7 else None,
                        latitude=round(50.83 + rng.random() * 0.1, 6) if rng.random() < 0.4 else None,
                        longitude=None,
                        support_count=10,
                        comment_count=5,
                    )
                    for n in range(size)
                ]
            )
            for idea in ideas:
                if idea.latitude is not None:
                    idea.longitude = round(12.03 + rng.random() * 0.1, 6)
            Idea.objects.bulk_update(
                [i for i in ideas if i.latitude is not None], ["longitude"], batch_size=BATCH
            )
            Comment.objects.bulk_create(
                [
                    Comment(idea=idea, author_id=rng.choice(people), body=_text(rng, 20))
                    for idea in ideas
                    for _ in range(5)
                ],
                batch_size=BATCH,
            )
            Support.objects.bulk_create(
                [Support(idea=idea, user_id=pk) for idea in ideas for pk in rng.sample(people, 10)],
                batch_size=BATCH,
            )
        done = start + size
        rate = (done - have) / max(time.perf_counter() - started, 0.001)
        print(f"    seeded {done:>6}/{target} ideas ({rate:,.0f} ideas/s)", flush=True)
    print("    computing search vectors ...", flush=True)
    idea_refresh_search()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE ideas_idea; ANALYZE ideas_comment; ANALYZE ideas_support")


def run(report) -> None:
    from django.test import Client

    from geraportal.accounts.models import User
    from ideas.models import Idea

    target = int(os.environ.get("BENCH_IDEAS", "5000"))
    print(f"    seeding up to {target} ideas (BENCH_IDEAS), 5 comments and 10 supports each", flush=True)
    seed(target)
    visitor = Client()
    citizen = Client()
    citizen.force_login(User.objects.get(email="buergerin@example.org"))
    pages = max(1, Idea.objects.count() // 20)
    report.get(visitor, "/ideas/", "visitor list")
    report.get(citizen, "/ideas/", "citizen list")
    report.get(visitor, "/ideas/?theme=energie-umwelt&sort=supported", "list filtered, most supported")
    report.get(visitor, "/ideas/?sort=discussed&status=published", "list most discussed")
    report.get(visitor, f"/ideas/?page={min(200, pages)}", "list page 200")
    report.get(visitor, "/ideas/?q=Fahrradweg+Elster", "list search")
    report.get(visitor, "/ideas/?q=Fahrr", "list search partial word")
    busy = Idea.objects.filter(title__startswith="Bench ").order_by("pk").first() or Idea.objects.first()
    report.get(visitor, busy.get_absolute_url(), "visitor detail")
    report.get(citizen, busy.get_absolute_url(), "citizen detail")
    report.get(visitor, "/ideas/map.geojson?bbox=12.0,50.8,12.2,50.95", "map GeoJSON (Gera)")
