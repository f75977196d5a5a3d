from django.contrib import admin
from django.urls import include, path

from api.webhooks import staff_urls as webhooks_staff_urls
from dashboard import staff_urls as dashboard_staff_urls
from geraportal.accounts.views import language_switch
from geraportal.backoffice import urls as backoffice_staff_urls
from geraportal.core.health import healthz, readyz
from geraportal.districts.views import district_geojson
from geraportal.newsletter import staff_urls as newsletter_staff_urls
from geraportal.pages import staff_urls as pages_staff_urls
from ideas import staff_urls as ideas_staff_urls
from pilots import staff_urls as pilots_staff_urls
from plenary import staff_urls as plenary_staff_urls
from workgroups import staff_urls as workgroups_staff_urls

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", include("geraportal.pages.urls")),
    path("accounts/", include("geraportal.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("language/", language_switch, name="language_switch"),
    path("districts.geojson", district_geojson, name="district_geojson"),
    path("notifications/", include("geraportal.notifications.urls")),
    path("staff/strategy/", include("geraportal.strategy.urls")),
    path("strategy/", include("geraportal.strategy.public_urls")),
    path("workgroups/", include("workgroups.urls")),
    path("ideas/", include("ideas.urls")),
    path("pilots/", include("pilots.urls")),
    path("plenary/", include("plenary.urls")),
    path("news/", include("geraportal.pages.news_urls")),
    path("events/", include("geraportal.pages.event_urls")),
    path("newsletter/", include("geraportal.newsletter.urls")),
    # One `staff` namespace, composed here so that the apps need not import each other (and
    # `geraportal` no domain app): each app brings its back-office pages.
    path(
        "staff/",
        include(
            (
                pages_staff_urls.urlpatterns
                + newsletter_staff_urls.urlpatterns
                + backoffice_staff_urls.urlpatterns
                + workgroups_staff_urls.urlpatterns
                + ideas_staff_urls.urlpatterns
                + pilots_staff_urls.urlpatterns
                + plenary_staff_urls.urlpatterns
                + dashboard_staff_urls.urlpatterns
                + webhooks_staff_urls.urlpatterns,
                "staff",
            )
        ),
    ),
    path("", include("api.urls")),  # /api/ and /open-data/
    path("", include("dashboard.urls")),  # /participation/
    path("admin/", admin.site.urls),
]

handler403 = "geraportal.core.access.permission_denied"
