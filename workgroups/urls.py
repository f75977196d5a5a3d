from django.urls import path

from . import views

app_name = "workgroups"

urlpatterns = [
    path("", views.WorkingGroupListView.as_view(), name="list"),
    path("<slug:slug>/", views.WorkingGroupDetailView.as_view(), name="detail"),
]
