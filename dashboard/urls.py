from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("participation/", views.summary, name="summary"),
    path("participation/<slug:key>.csv", views.summary_csv, name="summary_csv"),
]
