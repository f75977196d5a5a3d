"""Everything under /staff/: the SMARTCity team's news, workshops and newsletter."""

from django.urls import path

from geraportal.notifications import newsletter_views

from . import staff_views

app_name = "staff"

urlpatterns = [
    path("", staff_views.staff_home, name="home"),
    path("news/", staff_views.news_staff_list, name="news_list"),
    path("news/new/", staff_views.news_create, name="news_create"),
    path("news/<int:pk>/", staff_views.news_edit, name="news_edit"),
    path("news/<int:pk>/publish/", staff_views.news_set_published, {"publish": True}, name="news_publish"),
    path(
        "news/<int:pk>/unpublish/", staff_views.news_set_published, {"publish": False}, name="news_unpublish"
    ),
    path("events/", staff_views.event_staff_list, name="event_list"),
    path("events/new/", staff_views.event_create, name="event_create"),
    path("events/<int:pk>/", staff_views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", staff_views.event_delete, name="event_delete"),
    path("newsletter/", newsletter_views.issue_list, name="newsletter_list"),
    path("newsletter/new/", newsletter_views.issue_create, name="newsletter_create"),
    path("newsletter/subscribers/", newsletter_views.subscriber_list, name="newsletter_subscribers"),
    path("newsletter/subscribers/bounce/", newsletter_views.subscriber_bounce, name="newsletter_bounce"),
    path("newsletter/<int:pk>/", newsletter_views.issue_detail, name="newsletter_detail"),
    path("newsletter/<int:pk>/edit/", newsletter_views.issue_edit, name="newsletter_edit"),
    path("newsletter/<int:pk>/test/", newsletter_views.issue_send_test, name="newsletter_test"),
    path("newsletter/<int:pk>/send/", newsletter_views.issue_send, name="newsletter_send"),
    path("newsletter/<int:pk>/progress/", newsletter_views.issue_progress, name="newsletter_progress"),
]
