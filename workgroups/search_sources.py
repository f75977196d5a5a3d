"""Working-group discussions, documents and meetings in the portal-wide search.

Each queryset starts from `.visible_to(user)`, so members-only content is found only by the
group's members and the SMARTCity team; the sitemap lists the groups' public pages only.
"""

from django.contrib.sitemaps import Sitemap
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from geraportal.core import search

from .models import Document, Meeting, Post, Thread, WorkingGroup


def _threads(*, query, user, limit):
    visible = Thread.objects.visible_to(user)
    by_post = search.text_match(Post.objects.filter(thread__in=visible), query, ["body"]).values("thread_id")
    by_title = search.text_match(visible, query, ["title"]).values("pk")
    threads = visible.filter(pk__in=by_title) | visible.filter(pk__in=by_post)
    hits = []
    for thread in threads.select_related("group").order_by("-last_post_at")[:limit]:
        first = thread.posts.order_by("created_at").values_list("body", flat=True).first() or ""
        hits.append(
            search.Hit(
                title=thread.title,
                url=thread.get_absolute_url(),
                excerpt=search.highlight(first, query),
                meta=str(thread.group),
            )
        )
    return hits


def _documents(*, query, user, limit):
    documents = search.text_match(Document.objects.visible_to(user), query, ["title", "description"])
    return [
        search.Hit(
            title=document.title,
            url=document.get_absolute_url(),
            excerpt=search.highlight(document.description, query),
            meta=str(document.group),
        )
        for document in documents.select_related("group").order_by("title")[:limit]
    ]


def _meetings(*, query, user, limit):
    meetings = search.text_match(Meeting.objects.visible_to(user), query, ["title", "agenda", "location"])
    return [
        search.Hit(
            title=meeting.title,
            url=meeting.get_absolute_url(),
            excerpt=search.highlight(meeting.agenda, query),
            meta=f"{meeting.group} · {formats.date_format(meeting.starts_at, 'DATE_FORMAT')}",
        )
        for meeting in meetings.select_related("group").order_by("-starts_at")[:limit]
    ]


class WorkingGroupSitemap(Sitemap):
    def items(self):
        return WorkingGroup.objects.order_by("pk")


search.register("threads", label=_("Discussions of the working groups"), order=60, search=_threads)
search.register("documents", label=_("Documents of the working groups"), order=70, search=_documents)
search.register("meetings", label=_("Meetings of the working groups"), order=80, search=_meetings)
search.register_sitemap("workgroups", WorkingGroupSitemap)
