"""The dashboard in the back-office, in the `staff` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("beteiligung/", views.staff_dashboard, name="dashboard"),
    path("beteiligung/<slug:key>.csv", views.staff_dashboard_csv, name="dashboard_csv"),
]
