from django.urls import path

from . import views

app_name = "plenary"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("abstimmungen/<int:pk>/", views.poll_detail, name="poll"),
    path("abstimmungen/<int:pk>/pruefen/", views.poll_confirm, name="poll_confirm"),
    path("abstimmungen/<int:pk>/abgeben/", views.poll_cast, name="poll_cast"),
    path("abstimmungen/<int:pk>/ergebnis.csv", views.poll_results_csv, name="poll_results_csv"),
    path("abstimmungen/<int:pk>/stimmzettel.json", views.poll_ballots_json, name="poll_ballots_json"),
    path("abstimmungen/<int:pk>/oeffnen/", views.poll_open_secret, name="poll_open_secret"),
    path("abstimmungen/<int:pk>/auszaehlen/", views.poll_count, name="poll_count"),
    path("abstimmungen/<int:pk>/stimmzettel-hashes/", views.poll_ballot_hashes, name="poll_ballot_hashes"),
    path("abstimmungen/<int:pk>/<str:action>/", views.poll_action, name="poll_action"),
    path("<slug:slug>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/anmelden/", views.meeting_register, name="meeting_register"),
    path("<slug:slug>/teilnehmende/", views.attendee_add, name="attendee_add"),
    path("<slug:slug>/teilnehmende/<int:pk>/einchecken/", views.attendee_check_in, name="attendee_check_in"),
]
