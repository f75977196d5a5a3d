"""Webhooks in the back-office under /staff/webhooks/, in the `staff` namespace (see the root URLconf)."""

from django.urls import path

from . import views

urlpatterns = [
    path("webhooks/", views.endpoint_list, name="webhook_list"),
    path("webhooks/neu/", views.endpoint_create, name="webhook_create"),
    path("webhooks/<int:pk>/", views.endpoint_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/bearbeiten/", views.endpoint_edit, name="webhook_edit"),
    path("webhooks/<int:pk>/schluessel/", views.endpoint_rotate, name="webhook_rotate"),
    path("webhooks/<int:pk>/test/", views.endpoint_test, name="webhook_test"),
    path("webhooks/<int:pk>/aktivieren/", views.endpoint_enable, name="webhook_enable"),
    path("webhooks/<int:pk>/loeschen/", views.endpoint_delete, name="webhook_delete"),
]
