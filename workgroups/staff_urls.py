"""The working groups' back-office pages, in the `staff` namespace (composed in the root URLconf)."""

from django.urls import path

from . import staff_views

urlpatterns = [
    path("arbeitsgruppen/", staff_views.group_list, name="workgroup_list"),
    path("arbeitsgruppen/<slug:slug>/texte/", staff_views.group_texts, name="workgroup_texts"),
]
