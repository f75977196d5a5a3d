"""The newsletter's staff pages under /staff/newsletter/, in the `staff` namespace (see the root URLconf)."""

from django.urls import path

from . import views

urlpatterns = [
    path("newsletter/", views.issue_list, name="newsletter_list"),
    path("newsletter/new/", views.issue_create, name="newsletter_create"),
    path("newsletter/subscribers/", views.subscriber_list, name="newsletter_subscribers"),
    path("newsletter/subscribers/bounce/", views.subscriber_bounce, name="newsletter_bounce"),
    path("newsletter/<int:pk>/", views.issue_detail, name="newsletter_detail"),
    path("newsletter/<int:pk>/edit/", views.issue_edit, name="newsletter_edit"),
    path("newsletter/<int:pk>/test/", views.issue_send_test, name="newsletter_test"),
    path("newsletter/<int:pk>/send/", views.issue_send, name="newsletter_send"),
    path("newsletter/<int:pk>/progress/", views.issue_progress, name="newsletter_progress"),
]
