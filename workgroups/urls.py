from django.urls import path, register_converter

from . import views
from .models import TOKEN_REGEX

app_name = "workgroups"


class InvitationTokenConverter:
    """Only what has the shape of a token reaches the view; anything else is a 404."""

    regex = TOKEN_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(InvitationTokenConverter, "invitation_token")

# German words for the content of a group (people share these addresses), as in
# /workgroups/energie-umwelt/diskussionen/12/.
urlpatterns = [
    path("", views.WorkingGroupListView.as_view(), name="list"),
    path("einladung/<invitation_token:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/kalender.ics", views.group_calendar, name="calendar"),
    path("<slug:slug>/kalender/meine-adresse/", views.calendar_address, name="calendar_address"),
    path("<slug:slug>/kalender/neue-adresse/", views.calendar_reset, name="calendar_reset"),
    # membership
    path("<slug:slug>/beitreten/", views.join_request, name="join"),
    path("<slug:slug>/austreten/", views.leave, name="leave"),
    path("<slug:slug>/mitglieder/", views.members, name="members"),
    path("<slug:slug>/mitglieder/einladen/", views.invite, name="invite"),
    path("<slug:slug>/mitglieder/<int:pk>/rolle/", views.member_role, name="member_role"),
    path("<slug:slug>/mitglieder/<int:pk>/entfernen/", views.member_remove, name="member_remove"),
    path("<slug:slug>/anfragen/<int:pk>/annehmen/", views.join_accept, name="join_accept"),
    path("<slug:slug>/anfragen/<int:pk>/ablehnen/", views.join_decline, name="join_decline"),
    # discussions
    path("<slug:slug>/diskussionen/", views.thread_list, name="thread_list"),
    path("<slug:slug>/diskussionen/neu/", views.thread_create, name="thread_create"),
    path("<slug:slug>/diskussionen/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("<slug:slug>/diskussionen/<int:pk>/antworten/", views.post_create, name="post_create"),
    path("<slug:slug>/diskussionen/<int:pk>/anheften/", views.thread_pin, name="thread_pin"),
    path("<slug:slug>/diskussionen/<int:pk>/sperren/", views.thread_lock, name="thread_lock"),
    path("<slug:slug>/diskussionen/<int:pk>/verbergen/", views.thread_hide, name="thread_hide"),
    path(
        "<slug:slug>/diskussionen/<int:pk>/beitraege/<int:post_pk>/bearbeiten/",
        views.post_edit,
        name="post_edit",
    ),
    path(
        "<slug:slug>/diskussionen/<int:pk>/beitraege/<int:post_pk>/verbergen/",
        views.post_hide,
        name="post_hide",
    ),
    # documents
    path("<slug:slug>/dokumente/", views.document_list, name="document_list"),
    path("<slug:slug>/dokumente/hochladen/", views.document_create, name="document_create"),
    path("<slug:slug>/dokumente/<int:pk>/", views.document_detail, name="document_detail"),
    path("<slug:slug>/dokumente/<int:pk>/neue-version/", views.document_replace, name="document_replace"),
    path("<slug:slug>/dokumente/<int:pk>/loeschen/", views.document_delete, name="document_delete"),
    path(
        "<slug:slug>/dokumente/<int:pk>/versionen/<int:number>/",
        views.document_download,
        name="document_download",
    ),
    # meetings
    path("<slug:slug>/termine/", views.meeting_list, name="meeting_list"),
    path("<slug:slug>/termine/neu/", views.meeting_create, name="meeting_create"),
    path("<slug:slug>/termine/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<slug:slug>/termine/<int:pk>/bearbeiten/", views.meeting_edit, name="meeting_edit"),
    path("<slug:slug>/termine/<int:pk>/zusage/", views.meeting_rsvp, name="meeting_rsvp"),
    path("<slug:slug>/termine/<int:pk>/termin.ics", views.meeting_ics, name="meeting_ics"),
]
