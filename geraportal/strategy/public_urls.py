"""The strategy in public, under /strategy/: German words for the content, as elsewhere."""

from django.urls import path

from . import views

app_name = "strategy_public"

urlpatterns = [
    path("", views.index, name="index"),
    path("vergleich/", views.compare, name="compare"),
    path("folgen/", views.follow, name="follow"),
    path("massnahmen/<slug:key>/", views.measure, name="measure"),
    path("<int:year>/", views.edition_detail, name="edition"),
    path("<int:year>/pdf/", views.edition_pdf, name="pdf"),
    path("<int:year>/abschnitte/<slug:key>/vorschlagen/", views.suggest, name="suggest"),
    path("<int:year>/abschnitte/<slug:key>/versionen/", views.section_history, name="section_history"),
    path("<int:year>/pruefung/<slug:theme>/", views.review, name="review"),
    path("<int:year>/vorschlaege/<int:pk>/empfehlen/", views.recommend, name="recommend"),
    path("<int:year>/vorschlaege/<int:pk>/moderieren/", views.moderate, name="moderate"),
]
