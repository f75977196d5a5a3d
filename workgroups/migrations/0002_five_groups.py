from django.db import migrations

GROUPS = [
    (
        "wirtschaft",
        "Wirtschaft",
        "Business",
        "Digitale Angebote für Handel, Handwerk und Gewerbe in Gera: vom Online-Schaufenster bis zur "
        "Vernetzung von Unternehmen, Hochschulen und Stadt.",
        "Digital services for trade, crafts and business in Gera: from online shop windows to "
        "connecting companies, universities and the city.",
    ),
    (
        "bildung-kultur",
        "Bildung und Kultur",
        "Education and culture",
        "Lernen, Kultur und Freizeit digital unterstützen: Schulen, Bibliotheken, Museen, Theater "
        "und Angebote für alle Generationen.",
        "Supporting learning, culture and leisure digitally: schools, libraries, museums, theatre "
        "and offers for every generation.",
    ),
    (
        "energie-umwelt",
        "Energie und Umwelt",
        "Energy and environment",
        "Klimaschutz, Energieeffizienz und eine saubere Stadt: smarte Beleuchtung, Sensorik, "
        "Abfallwirtschaft und erneuerbare Energien.",
        "Climate protection, energy efficiency and a clean city: smart lighting, sensors, waste "
        "management and renewable energy.",
    ),
    (
        "stadtentwicklung-verkehr",
        "Städtebau, Stadtentwicklung und Verkehr",
        "Urban planning, urban development and transport",
        "Wie sich Gera bewegt und entwickelt: Mobilität, Verkehrslenkung, öffentliche Räume und "
        "lebendige Quartiere.",
        "How Gera moves and grows: mobility, traffic guidance, public spaces and lively neighbourhoods.",
    ),
    (
        "beteiligung-verwaltung",
        "Bürgerbeteiligung und Verwaltung",
        "Citizen participation and administration",
        "Eine offene, digitale Verwaltung: Bürgerdienste online, offene Daten und neue Wege, "
        "sich an Entscheidungen der Stadt zu beteiligen.",
        "An open, digital administration: citizen services online, open data and new ways to "
        "take part in the city's decisions.",
    ),
]


def seed(apps, schema_editor):
    WorkingGroup = apps.get_model("workgroups", "WorkingGroup")
    for position, (slug, name_de, name_en, description_de, description_en) in enumerate(GROUPS, start=1):
        WorkingGroup.objects.update_or_create(
            slug=slug,
            defaults={
                "name_de": name_de,
                "name_en": name_en,
                "description_de": description_de,
                "description_en": description_en,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("workgroups", "WorkingGroup").objects.filter(slug__in=[g[0] for g in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workgroups", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
