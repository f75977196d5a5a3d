from django.urls import path

from . import feeds, views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_create, name="create"),
    path("new/image/", views.pending_image, name="pending_image"),
    path("map/", views.idea_map, name="map"),
    path("map.geojson", views.idea_geojson, name="geojson"),
    path("export.csv", views.idea_export, name="export"),
    path("feed/rss/", feeds.IdeasFeed(), name="feed_rss"),
    path("feed/atom/", feeds.IdeasAtomFeed(), name="feed_atom"),
    path("feed/<slug:slug>/rss/", feeds.IdeasFeed(), name="theme_feed_rss"),
    path("feed/<slug:slug>/atom/", feeds.IdeasAtomFeed(), name="theme_feed_atom"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/reports/<int:pk>/dismiss/", views.report_dismiss, name="report_dismiss"),
    path("competitions/", views.competition_list, name="competition_list"),
    path("competitions/<slug:slug>/", views.competition_detail, name="competition_detail"),
    path("competitions/<slug:slug>/jury/", views.competition_jury, name="competition_jury"),
    path("competitions/<slug:slug>/jury/<int:idea_pk>/", views.competition_jury, name="competition_score"),
    path("comments/<int:pk>/edit/", views.comment_update, name="comment_update"),
    path("comments/<int:pk>/<str:action>/", views.comment_moderate, name="comment_moderate"),
    path("<int:pk>/", views.idea_detail, name="detail_short"),
    path("<int:pk>-<slug:slug>/", views.idea_detail, name="detail"),
    path("<int:pk>/edit/", views.idea_update, name="update"),
    path("<int:pk>/image/", views.idea_image, name="image"),
    path("<int:pk>/support/", views.idea_toggle, {"relation": "support", "on": True}, name="support"),
    path("<int:pk>/unsupport/", views.idea_toggle, {"relation": "support", "on": False}, name="unsupport"),
    path("<int:pk>/follow/", views.idea_toggle, {"relation": "follow"}, name="follow"),
    path("<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("<int:pk>/report/", views.report_create, name="report"),
    path("<int:pk>/comments/<int:comment_pk>/report/", views.report_create, name="report_comment"),
    path("<int:pk>/revisions/", views.idea_revisions, name="revisions"),
    path("<int:pk>/moderate/<str:action>/", views.idea_moderate, name="moderate"),
]
