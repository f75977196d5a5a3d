"""The SMARTCity team's news and workshops under /staff/.

The root URLconf adds the newsletter's staff pages to the same `staff` namespace, so pages
and newsletter do not import each other (the newsletter carries news posts).
"""

from django.urls import path

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
    path(
        "accessibility-feedback/",
        staff_views.accessibility_feedback_list,
        name="accessibility_feedback_list",
    ),
    path("events/", staff_views.event_staff_list, name="event_list"),
    path("events/new/", staff_views.event_create, name="event_create"),
    path("events/<int:pk>/", staff_views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", staff_views.event_delete, name="event_delete"),
]
