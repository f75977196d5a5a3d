from django.urls import path

from . import feeds, idea_views, views

app_name = "pilots"

urlpatterns = [
    path("", views.pilot_list, name="list"),
    path("board/", views.pilot_board, name="board"),
    path("map/", views.pilot_map, name="map"),
    path("map.geojson", views.pilot_geojson, name="geojson"),
    path("new/", views.pilot_create, name="create"),
    path("aus-idee/<int:idea_pk>/", idea_views.pilot_from_idea, name="from_idea"),
    path("selection/", views.selection, name="selection"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("feed/rss/", feeds.PilotUpdatesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.PilotUpdatesAtomFeed(), name="feed_atom"),
    path("<slug:slug>/", views.pilot_detail, name="detail"),
    path("<slug:slug>/edit/", views.pilot_edit, name="edit"),
    path("<slug:slug>/ideen/", idea_views.pilot_ideas, name="ideas"),
    path("<slug:slug>/status/<str:to>/", views.pilot_transition, name="transition"),
    path("<slug:slug>/follow/", views.pilot_follow, name="follow"),
    path("<slug:slug>/images/", views.pilot_image_add, name="image_add"),
    path("<slug:slug>/images/<int:pk>/", views.pilot_image, name="image"),
    path("<slug:slug>/images/<int:pk>/delete/", views.pilot_image_delete, name="image_delete"),
    path("<slug:slug>/milestones/", views.milestone_create, name="milestone_create"),
    path("<slug:slug>/milestones/<int:pk>/", views.milestone_edit, name="milestone_edit"),
    path("<slug:slug>/milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("<slug:slug>/updates/new/", views.update_create, name="update_create"),
    path("<slug:slug>/updates/<int:pk>/image/", views.update_image, name="update_image"),
    path("<slug:slug>/updates/<int:pk>/delete/", views.update_delete, name="update_delete"),
    path("<slug:slug>/feed/rss/", feeds.PilotUpdatesFeed(), name="pilot_feed_rss"),
    path("<slug:slug>/feed/atom/", feeds.PilotUpdatesAtomFeed(), name="pilot_feed_atom"),
]
