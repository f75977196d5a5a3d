from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import opendata_views, views

app_name = "api"


class PortalSwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar, served by us; its set-up script is a separate
    file (`?script`), since our Content-Security-Policy allows no inline script or style."""

    template_name = "api/swagger_ui.html"


router = DefaultRouter()
router.register("districts", views.DistrictViewSet, basename="district")
router.register("workgroups", views.WorkingGroupViewSet, basename="workgroup")
router.register("ideas", views.IdeaViewSet, basename="idea")
router.register("competitions", views.CompetitionViewSet, basename="competition")
router.register("pilots", views.PilotViewSet, basename="pilot")
router.register("plenary/meetings", views.PlenaryMeetingViewSet, basename="plenary-meeting")
router.register("plenary/polls", views.PollViewSet, basename="poll")
router.register("news", views.NewsViewSet, basename="news")
router.register("events", views.EventViewSet, basename="event")
router.register("strategy/editions", views.StrategyEditionViewSet, basename="strategy-edition")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", PortalSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("open-data/", opendata_views.opendata_page, name="opendata"),
    path(
        "open-data/<slug:name>.<str:fmt>",
        opendata_views.opendata_download,
        name="opendata_download",
    ),
]
