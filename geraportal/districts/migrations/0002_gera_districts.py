from django.db import migrations
from django.utils.text import slugify

# Stadtteile of Gera, and Ortsteile (villages with an elected local council) as the city
# listed them when this table was seeded. The city edits the table from then on.
STADTTEILE = [
    "Bieblach",
    "Collis",
    "Debschwitz",
    "Gera-Nord",
    "Lusan",
    "Ostviertel",
    "Pforten",
    "Stadtmitte/Innenstadt",
    "Tinz",
    "Untermhaus",
    "Zwötzen",
    "Leumnitz",
    "Milbitz",
    "Scheubengrobsdorf",
]
ORTSTEILE = [
    "Aga",
    "Cretzschwitz",
    "Dorna",
    "Dürrenebersdorf",
    "Ernsee",
    "Falka",
    "Frankenthal",
    "Hain",
    "Kaimberg",
    "Laasen",
    "Langenberg",
    "Liebschwitz",
    "Naulitz",
    "Röppisch",
    "Roschütz",
    "Rubitz",
    "Söllmnitz",
    "Stublach",
    "Taubenpreskeln",
    "Thieschitz",
    "Trebnitz",
    "Weißig",
    "Windischenbernsdorf",
    "Zeulsdorf",
]
# (name, parent)
PARTS = [
    ("Bieblach-Ost", "Bieblach"),
    ("Lusan-Zentrum", "Lusan"),
    ("Lusan-Laune", "Lusan"),
    ("Lusan-Brüte", "Lusan"),
    ("Großaga", "Aga"),
    ("Kleinaga", "Aga"),
]


def _slug(name: str) -> str:
    return slugify(
        name.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("/", "-")
    )


def seed(apps, schema_editor):
    District = apps.get_model("districts", "District")
    by_name = {}
    for kind, names in (("stadtteil", STADTTEILE), ("ortsteil", ORTSTEILE)):
        for name in names:
            by_name[name], _ = District.objects.get_or_create(
                slug=_slug(name), defaults={"name": name, "kind": kind}
            )
    for name, parent in PARTS:
        District.objects.get_or_create(
            slug=_slug(name),
            defaults={"name": name, "kind": by_name[parent].kind, "parent": by_name[parent]},
        )


def unseed(apps, schema_editor):
    District = apps.get_model("districts", "District")
    District.objects.filter(parent__isnull=False).delete()
    District.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("districts", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
