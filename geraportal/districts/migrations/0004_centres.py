from decimal import Decimal

from django.db import migrations

# Approximate centres of Gera's districts (WGS84), where the maps write their names. The
# city corrects them in the back-office like any other district data; this migration only
# fills districts that have no centre yet.
CENTRES = {
    "Bieblach": ("50.899000", "12.090000"),
    "Bieblach-Ost": ("50.903500", "12.101000"),
    "Collis": ("50.858500", "12.073500"),
    "Debschwitz": ("50.865500", "12.087500"),
    "Gera-Nord": ("50.898500", "12.074500"),
    "Lusan": ("50.857500", "12.100500"),
    "Lusan-Zentrum": ("50.855500", "12.104500"),
    "Lusan-Laune": ("50.861500", "12.113000"),
    "Lusan-Brüte": ("50.851000", "12.094000"),
    "Ostviertel": ("50.879500", "12.099000"),
    "Pforten": ("50.889500", "12.096000"),
    "Stadtmitte/Innenstadt": ("50.878600", "12.081800"),
    "Tinz": ("50.893500", "12.107000"),
    "Untermhaus": ("50.889000", "12.064500"),
    "Zwötzen": ("50.843500", "12.087500"),
    "Leumnitz": ("50.884000", "12.127000"),
    "Milbitz": ("50.896000", "12.046000"),
    "Scheubengrobsdorf": ("50.869000", "12.055000"),
    "Aga": ("50.926000", "12.139000"),
    "Großaga": ("50.931000", "12.142500"),
    "Kleinaga": ("50.921500", "12.148000"),
    "Cretzschwitz": ("50.835500", "12.111000"),
    "Dorna": ("50.921000", "12.068000"),
    "Dürrenebersdorf": ("50.866000", "12.133000"),
    "Ernsee": ("50.871000", "12.030000"),
    "Falka": ("50.842000", "12.152000"),
    "Frankenthal": ("50.850000", "12.036000"),
    "Hain": ("50.917500", "12.104500"),
    "Kaimberg": ("50.906500", "12.136000"),
    "Laasen": ("50.915500", "12.048000"),
    "Langenberg": ("50.913500", "12.076500"),
    "Liebschwitz": ("50.820500", "12.090000"),
    "Naulitz": ("50.881000", "12.160000"),
    "Röppisch": ("50.834000", "12.032000"),
    "Roschütz": ("50.870000", "12.152000"),
    "Rubitz": ("50.904500", "12.156000"),
    "Söllmnitz": ("50.900500", "12.172000"),
    "Stublach": ("50.829000", "12.052000"),
    "Taubenpreskeln": ("50.818500", "12.065000"),
    "Thieschitz": ("50.900000", "12.122000"),
    "Trebnitz": ("50.906000", "12.035000"),
    "Weißig": ("50.938000", "12.062000"),
    "Windischenbernsdorf": ("50.855500", "12.124000"),
    "Zeulsdorf": ("50.894500", "12.150000"),
}


def fill(apps, schema_editor):
    District = apps.get_model("districts", "District")
    for district in District.objects.filter(name__in=CENTRES, latitude__isnull=True):
        lat, lng = CENTRES[district.name]
        district.latitude, district.longitude = Decimal(lat), Decimal(lng)
        district.save(update_fields=["latitude", "longitude"])


class Migration(migrations.Migration):
    dependencies = [("districts", "0003_location")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
