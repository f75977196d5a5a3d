"""The pilots' back-office pages, in the `staff` namespace (composed in the root URLconf)."""

from django.urls import path

from . import staff_views

urlpatterns = [
    path("organisationen/", staff_views.organisation_list, name="organisation_list"),
    path("organisationen/neu/", staff_views.organisation_edit, name="organisation_create"),
    path("organisationen/<int:pk>/", staff_views.organisation_edit, name="organisation_edit"),
]
