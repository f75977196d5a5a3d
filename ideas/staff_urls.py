"""The back-office pages of ideas, in the `staff` namespace (composed in the root URLconf)."""

from django.urls import path

from . import staff_views

urlpatterns = [
    path("wettbewerbe/", staff_views.competition_list, name="competition_list"),
    path("wettbewerbe/neu/", staff_views.competition_edit, name="competition_create"),
    path("wettbewerbe/<int:pk>/", staff_views.competition_edit, name="competition_edit"),
    path("wettbewerbe/<int:pk>/rangliste/", staff_views.competition_ranking, name="competition_ranking"),
    path("beitraege/neu/", staff_views.contribution_create, name="contribution_create"),
    path("beitraege/kommentar/<int:pk>/", staff_views.comment_on_behalf, name="comment_on_behalf"),
    path("beitraege/statistik/", staff_views.contribution_stats, name="contribution_stats"),
]
