from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_calendar, name="list"),
    path("export.ics", views.event_calendar_export, name="export"),
    path("feed.ics", views.event_calendar_feed, name="feed"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop"),
    path("workshops/<int:pk>.ics", views.workshop_ical, name="workshop_ical"),
]
