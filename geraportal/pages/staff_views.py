"""The SMARTCity team's pages under /staff/: news posts and workshops.

The middleware sends anyone to the login page (anonymous) or the two-factor set-up (staff
without it); the permission checks here refuse everyone else.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from geraportal.core import backoffice
from geraportal.core.access import require_perm

from . import services, workshop_page
from .forms import EventForm, NewsPostForm
from .models import AccessibilityFeedback, Event, NewsPost


def staff_home(request):
    """The start page of every staff role's work: what waits for them, and their tasks."""
    require_perm(request, "pages.use_staff_area")
    context = {"todos": backoffice.todos(request.user), "areas": backoffice.tasks(request.user)}
    return render(request, "pages/staff/home.html", context)


def accessibility_feedback_list(request):
    """Messages from the accessibility statement, newest first, each with its answer date."""
    require_perm(request, "pages.view_accessibilityfeedback")
    page = Paginator(AccessibilityFeedback.objects.all(), 30).get_page(request.GET.get("page"))
    return render(
        request, "pages/staff/accessibility_feedback_list.html", {"page": page, "items": page.object_list}
    )


def news_staff_list(request):
    require_perm(request, "pages.change_newspost")
    posts = NewsPost.objects.order_by("-created_at").only("title", "slug", "published_at", "created_at")
    page = Paginator(posts, 30).get_page(request.GET.get("page"))
    return render(request, "pages/staff/newspost_list.html", {"page": page, "posts": page.object_list})


@require_http_methods(["GET", "HEAD", "POST"])
def news_create(request):
    require_perm(request, "pages.add_newspost")
    form = NewsPostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        post = services.news_post_create(
            author=request.user, data=form.cleaned_data, image=form.cleaned_data.get("image")
        )
        messages.success(request, _("The news post has been saved."))
        return redirect("staff:news_edit", pk=post.pk)
    return render(request, "pages/staff/newspost_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def news_edit(request, pk: int):
    require_perm(request, "pages.change_newspost")
    post = get_object_or_404(NewsPost, pk=pk)
    form = NewsPostForm(request.POST or None, request.FILES or None, instance=post)
    if request.method == "POST" and form.is_valid():
        services.news_post_update(
            post=post,
            by=request.user,
            data=form.cleaned_data,
            image=form.cleaned_data.get("image"),
            remove_image=form.cleaned_data.get("remove_image", False),
        )
        messages.success(request, _("The news post has been saved."))
        return redirect("staff:news_edit", pk=post.pk)
    return render(request, "pages/staff/newspost_form.html", {"form": form, "post": post})


@require_POST
def news_set_published(request, pk: int, publish: bool):
    """Publish a post now, or take it back to a draft (`publish` comes from the URL)."""
    require_perm(request, "pages.change_newspost")
    post = get_object_or_404(NewsPost, pk=pk)
    if publish:
        services.news_post_publish(post=post, by=request.user)
        messages.success(request, _("The news post is now public."))
    else:
        services.news_post_unpublish(post=post, by=request.user)
        messages.success(request, _("The news post is a draft again and no longer public."))
    return redirect("staff:news_edit", pk=post.pk)


def event_staff_list(request):
    require_perm(request, "pages.change_event")
    page = Paginator(Event.objects.order_by("-starts_at"), 30).get_page(request.GET.get("page"))
    return render(request, "pages/staff/event_list.html", {"page": page, "events": page.object_list})


@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request):
    require_perm(request, "pages.add_event")
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.event_create(created_by=request.user, data=form.cleaned_data)
        messages.success(request, _("The workshop has been saved and is in the calendar."))
        return redirect("staff:event_list")
    return render(request, "pages/staff/event_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request, pk: int):
    require_perm(request, "pages.change_event")
    event = get_object_or_404(Event, pk=pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        services.event_update(event=event, by=request.user, data=form.cleaned_data)
        messages.success(request, _("The workshop has been saved."))
        return redirect("staff:event_list")
    context = {"form": form, "event": event, "sections": workshop_page.sections.render(event, request.user)}
    return render(request, "pages/staff/event_form.html", context)


@require_POST
def event_delete(request, pk: int):
    require_perm(request, "pages.delete_event")
    event = get_object_or_404(Event, pk=pk)
    services.event_delete(event=event, by=request.user)
    messages.success(request, _("The workshop has been deleted."))
    return redirect("staff:event_list")
