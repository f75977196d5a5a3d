"""The SMARTCity team's workspace, under /staff/strategy/."""

from django.urls import path

from . import views

app_name = "strategy"

urlpatterns = [
    path("", views.staff, name="staff"),
    path("<int:year>/", views.staff_edition, name="edition"),
    path("<int:year>/angaben/", views.details, name="details"),
    path("<int:year>/termine/", views.dates, name="dates"),
    path("<int:year>/naechste-phase/", views.advance, name="advance"),
    path("<int:year>/abschnitte/neu/", views.section_form, name="section_add"),
    path("<int:year>/abschnitte/<slug:key>/", views.section_form, name="section_edit"),
    path("<int:year>/vorschlaege/<int:pk>/entscheiden/", views.decide, name="decide"),
    path("<int:year>/freigabe/", views.approve, name="approve"),
    path("<int:year>/veroeffentlichen/", views.publish, name="publish"),
    path("<int:year>/stadtratsbeschluss/", views.council, name="council"),
    path("<int:year>/pdf/", views.pdf, name="pdf"),
    path("<int:year>/pdf/status/", views.pdf_status, name="pdf_status"),
]
