from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.news_list, name="list"),
    path("feed/rss/", feeds.NewsRssFeed(), name="rss"),
    path("feed/atom/", feeds.NewsAtomFeed(), name="atom"),
    path("<slug:slug>/", views.news_detail, name="detail"),
    path("<slug:slug>/image/", views.news_image, name="image"),
]
