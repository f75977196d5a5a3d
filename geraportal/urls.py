from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from geraportal.accounts.views import language_switch
from geraportal.core.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", include("geraportal.pages.urls")),
    path("accounts/", include("geraportal.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("language/", language_switch, name="language_switch"),
    path("notifications/", include("geraportal.notifications.urls")),
    path("staff/strategy/", include("geraportal.strategy.urls")),
    path("workgroups/", include("workgroups.urls")),
    path("ideas/", include("ideas.urls")),
    path("pilots/", include("pilots.urls")),
    path("plenary/", include("plenary.urls")),
    path("news/", include("geraportal.pages.news_urls")),
    path("events/", include("geraportal.pages.event_urls")),
    path("newsletter/", include("geraportal.notifications.newsletter_urls")),
    path("staff/", include("geraportal.pages.staff_urls")),
    path("", include("api.urls")),  # /api/ and /open-data/
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
