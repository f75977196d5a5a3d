"""The plenary's back-office pages, in the `staff` namespace (composed in the root URLconf)."""

from django.urls import path

from . import staff_views

urlpatterns = [
    path("plenum/", staff_views.meeting_list, name="plenary_list"),
    path("plenum/sitzungen/neu/", staff_views.meeting_edit, name="plenary_meeting_create"),
    path("plenum/sitzungen/<int:pk>/", staff_views.meeting_edit, name="plenary_meeting_edit"),
    path("plenum/abstimmungen/neu/", staff_views.poll_edit, name="plenary_poll_create"),
    path("plenum/abstimmungen/<int:pk>/", staff_views.poll_edit, name="plenary_poll_edit"),
]
