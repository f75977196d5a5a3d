"""Administration under /staff/ (roles, audit log, districts), in the `staff` namespace."""

from django.urls import path

from . import views as staff_views

urlpatterns = [
    path("rollen/", staff_views.role_list, name="roles"),
    path("rollen/<str:key>/hinzufuegen/", staff_views.role_list, name="role_add"),
    path("rollen/<str:key>/<int:pk>/entfernen/", staff_views.role_remove, name="role_remove"),
    path("protokoll/", staff_views.audit_log, name="audit_log"),
    path("protokoll.csv", staff_views.audit_log_csv, name="audit_log_csv"),
    path("stadtteile/", staff_views.district_list, name="district_list"),
    path("stadtteile/neu/", staff_views.district_edit, name="district_create"),
    path("stadtteile/<int:pk>/", staff_views.district_edit, name="district_edit"),
]
