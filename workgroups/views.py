"""Thin views: fetch, check the permission (404 for what the person may not know exists),
call a service, say what happened, redirect."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from geraportal.core.access import require_perm
from geraportal.core.files import serve_file

from . import forms, fragments, group_page, ics, predicates, references, selectors, services
from .models import (
    RSVP,
    Document,
    DocumentVersion,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
    Post,
    Thread,
    ThreadRead,
    WorkingGroup,
)


class WorkingGroupListView(ListView):
    model = WorkingGroup
    context_object_name = "groups"


def _group(slug: str) -> WorkingGroup:
    return get_object_or_404(WorkingGroup, slug=slug)


# The object fetchers answer a private object the reader may not see with the same 404 as a
# missing one. Action views keep `@login_required` in front, so an anonymous visitor is sent
# to log in before anything about the object is revealed.


def _thread(request, group: WorkingGroup, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("author"), group=group, pk=pk)
    thread.group = group
    require_perm(request, "workgroups.view_thread", thread, hide=True)
    return thread


def _document(request, group: WorkingGroup, pk: int) -> Document:
    document = get_object_or_404(Document, group=group, pk=pk)
    document.group = group
    require_perm(request, "workgroups.view_document", document, hide=True)
    return document


def _meeting(request, group: WorkingGroup, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting, group=group, pk=pk)
    meeting.group = group
    require_perm(request, "workgroups.view_meeting", meeting, hide=True)
    return meeting


def _refuse(request, error: services.WorkgroupError, url: str):
    messages.error(request, error.message)
    return redirect(url)


# --- group page --------------------------------------------------------------------------


def group_detail(request, slug):
    user = request.user
    if selectors.sees_groups_as_public(user):
        return _public_group_detail(request, slug)
    # The join requests come with the group (subqueries, no query of their own): the page
    # stays within its query budget whatever sections other apps add to it.
    pending = JoinRequest.objects.filter(group=OuterRef("pk"), status=JoinRequest.Status.PENDING)
    group = get_object_or_404(
        WorkingGroup.objects.annotate(
            pending_count=Coalesce(
                Subquery(pending.order_by().values("group").annotate(n=Count("pk")).values("n")),
                Value(0),
            ),
            pending_mine=Exists(pending.filter(user_id=user.pk)) if user.is_authenticated else Value(False),
        ),
        slug=slug,
    )
    # (The viewer's roles were read first, by `sees_groups_as_public`.)
    moderators = selectors.group_moderators(group)
    may_read_private = predicates.may_read_private(user, group)
    may_moderate = predicates.may_moderate_group(user, group)
    is_member = predicates.is_group_member(user, group)
    pending_request = bool(group.pending_mine) and not is_member
    pending_count = group.pending_count if may_moderate else 0
    context = {
        "group": group,
        "moderators": moderators,
        "threads": fragments.thread_items(group, selectors.threads_for(group, user, limit=10)),
        "meetings": selectors.upcoming_meetings(group, user, limit=5),
        "documents": list(Document.objects.filter(group=group).visible_to(user)[:5]),
        "is_member": is_member,
        "may_read_private": may_read_private,
        "may_moderate": may_moderate,
        "pending_request": pending_request,
        "pending_count": pending_count,
        "sections": group_page.sections.render(group, user),
        "calendar_url": _calendar_url(request, group),
    }
    return render(request, "workgroups/workinggroup_detail.html", context)


def _public_group_detail(request, slug):
    """The group's page for someone in no group: what the public sees is kept for everyone
    (`selectors.public_group_page`); only whether they asked to join is theirs. The other
    apps' sections are kept with it for visitors, and asked for a logged-in person (who may
    see their own hidden ideas there)."""
    user = request.user
    public = selectors.public_group_page(slug)
    if public is None:
        raise Http404
    group = public.group
    if user.is_authenticated:
        sections = group_page.sections.render(group, user)
        pending_request = JoinRequest.objects.filter(
            group=group, user=user, status=JoinRequest.Status.PENDING
        ).exists()
    else:
        sections = selectors.public_group_sections(group)
        pending_request = False
    context = {
        "group": group,
        "moderators": public.moderators,
        "threads": fragments.thread_items(group, public.threads),
        "meetings": public.meetings,
        "documents": public.documents,
        "is_member": False,
        "may_read_private": False,
        "may_moderate": False,
        "pending_request": pending_request,
        "pending_count": 0,
        "sections": sections,
        "calendar_url": _calendar_url(request, group),
    }
    return render(request, "workgroups/workinggroup_detail.html", context)


def _calendar_url(request, group: WorkingGroup) -> str:
    """The public feed address. People who may see private meetings get a personal one on
    its own page (`calendar_address`), so showing the group costs no lookup of it."""
    return request.build_absolute_uri(reverse("workgroups:calendar", kwargs={"slug": group.slug}))


def group_calendar(request, slug):
    """The group's meetings as iCalendar.

    A calendar app sends no session cookie: the `token` of a personal address (see
    CalendarFeed) stands for its owner. An unknown, replaced or malformed token is answered
    like no token at all — with the public meetings — so a calendar app that still has an
    old address keeps working without showing anything private.
    """
    group = _group(slug)
    user = request.user
    if request.GET.get("token"):
        user = selectors.calendar_feed_user(group, request.GET["token"]) or user
    # Membership is checked now, not when the address was made: a person who left sees public meetings only.
    meetings = Meeting.objects.filter(group=group).visible_to(user).select_related("group")
    body = ics.calendar(meetings, name=f"SMARTCity Gera – {group.name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{group.slug}.ics"'
    if request.GET.get("token"):
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
def calendar_address(request, slug):
    """The personal feed address, with private meetings, of someone inside the group."""
    group = _group(slug)
    require_perm(request, "workgroups.read_private", group)
    token = services.calendar_feed_token(group=group, user=request.user)
    url = reverse("workgroups:calendar", kwargs={"slug": group.slug})
    context = {"group": group, "personal_url": request.build_absolute_uri(f"{url}?token={token}")}
    response = render(request, "workgroups/calendar_address.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def calendar_reset(request, slug):
    group = _group(slug)
    require_perm(request, "workgroups.read_private", group)
    services.calendar_feed_reset(group=group, user=request.user)
    messages.success(
        request,
        _(
            "Your personal calendar address has been replaced. The old address now shows public "
            "meetings only; please subscribe again with the new one."
        ),
    )
    return redirect("workgroups:calendar_address", slug=group.slug)


# --- membership --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join_request(request, slug):
    group = _group(slug)
    if predicates.is_group_member(request.user, group):
        messages.info(request, _("You are already a member of this group."))
        return redirect(group)
    require_perm(request, "workgroups.request_membership", group)
    form = forms.JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                group=group, user=request.user, motivation=form.cleaned_data["motivation"]
            )
        except services.WorkgroupError as error:
            return _refuse(request, error, group.get_absolute_url())
        messages.success(
            request, _("Thank you! The moderators will decide on your request and let you know.")
        )
        return redirect(group)
    return render(request, "workgroups/joinrequest_form.html", {"group": group, "form": form})


@login_required
@require_POST
def leave(request, slug):
    group = _group(slug)
    require_perm(request, "workgroups.leave_group", group)
    try:
        services.membership_leave(group=group, user=request.user)
    except services.WorkgroupError as error:
        return _refuse(request, error, reverse("workgroups:members", kwargs={"slug": slug}))
    messages.success(request, _("You have left the group."))
    return redirect(group)


@login_required
def members(request, slug):
    group = _group(slug)
    require_perm(request, "workgroups.view_members", group)
    may_moderate = predicates.may_moderate_group(request.user, group)
    context = {
        "group": group,
        "memberships": list(selectors.group_members(group)),
        "may_moderate": may_moderate,
        "is_member": predicates.is_group_member(request.user, group),
        "join_requests": (
            list(JoinRequest.objects.filter(group=group, status="pending").select_related("user"))
            if may_moderate
            else []
        ),
        "invitations": (
            list(
                Invitation.objects.filter(
                    group=group, accepted_at__isnull=True, expires_at__gt=timezone.now()
                )
            )
            if may_moderate
            else []
        ),
        "decline_form": forms.DeclineForm(),
        "roles": Membership.Role.choices,
    }
    return render(request, "workgroups/membership_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invite(request, slug):
    group = _group(slug)
    require_perm(request, "workgroups.manage_members", group)
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(group=group, email=form.cleaned_data["email"], by=request.user)
        except services.WorkgroupError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("The invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("workgroups:members", slug=slug)
    context = {"group": group, "form": form, "days": settings.WORKGROUPS_INVITATION_DAYS}
    return render(request, "workgroups/invitation_form.html", context)


def _membership(group: WorkingGroup, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), group=group, pk=pk)


@login_required
@require_POST
def member_role(request, slug, pk):
    group = _group(slug)
    require_perm(request, "workgroups.manage_members", group)
    membership = _membership(group, pk)
    form = forms.RoleForm(request.POST)
    members_url = reverse("workgroups:members", kwargs={"slug": slug})
    if not form.is_valid():
        messages.error(request, _("Please choose a role."))
        return redirect(members_url)
    try:
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
    except services.WorkgroupError as error:
        return _refuse(request, error, members_url)
    messages.success(
        request, _("The role of %(name)s has been changed.") % {"name": membership.user.public_name}
    )
    return redirect(members_url)


@login_required
@require_POST
def member_remove(request, slug, pk):
    group = _group(slug)
    require_perm(request, "workgroups.manage_members", group)
    membership = _membership(group, pk)
    members_url = reverse("workgroups:members", kwargs={"slug": slug})
    try:
        services.membership_remove(membership=membership, by=request.user)
    except services.WorkgroupError as error:
        return _refuse(request, error, members_url)
    messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user.public_name})
    return redirect(members_url)


def _join_request(group: WorkingGroup, pk: int) -> JoinRequest:
    return get_object_or_404(JoinRequest.objects.select_related("user", "group"), group=group, pk=pk)


@login_required
@require_POST
def join_accept(request, slug, pk):
    group = _group(slug)
    require_perm(request, "workgroups.manage_members", group)
    join_request = _join_request(group, pk)
    members_url = reverse("workgroups:members", kwargs={"slug": slug})
    try:
        services.join_request_accept(join_request=join_request, by=request.user)
    except services.WorkgroupError as error:
        return _refuse(request, error, members_url)
    messages.success(request, _("%(name)s is now a member.") % {"name": join_request.user.public_name})
    return redirect(members_url)


@login_required
@require_POST
def join_decline(request, slug, pk):
    group = _group(slug)
    require_perm(request, "workgroups.manage_members", group)
    join_request = _join_request(group, pk)
    members_url = reverse("workgroups:members", kwargs={"slug": slug})
    form = forms.DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.join_request_decline(join_request=join_request, by=request.user, reason=reason)
    except services.WorkgroupError as error:
        return _refuse(request, error, members_url)
    messages.success(request, _("The request has been declined."))
    return redirect(members_url)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("group"), token=token)
    group = invitation.group
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={invitation.get_absolute_url()}")
        try:
            services.invitation_accept(token=token, user=request.user)
        except services.WorkgroupError as error:
            messages.error(request, error.message)
            return redirect(invitation.get_absolute_url())
        messages.success(request, _("Welcome! You are now a member of %(group)s.") % {"group": group.name})
        return redirect(group)
    problem = None
    if invitation.is_used:
        problem = _("This invitation has already been used.")
    elif invitation.is_expired():
        problem = _("This invitation has expired. Please ask the group's moderators for a new one.")
    context = {
        "invitation": invitation,
        "group": group,
        "problem": problem,
        "is_member": predicates.is_group_member(request.user, group),
        "next": invitation.get_absolute_url(),
    }
    return render(request, "workgroups/invitation_detail.html", context)


# --- discussions -------------------------------------------------------------------------


def thread_list(request, slug):
    group = _group(slug)
    threads = selectors.threads_for(group, request.user)
    page = Paginator(threads, 25).get_page(request.GET.get("page"))
    context = {
        "group": group,
        "page": page,
        "threads": fragments.thread_items(group, page.object_list),
        "may_add": request.user.has_perm("workgroups.add_thread", group),
    }
    return render(request, "workgroups/thread_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_create(request, slug):
    group = _group(slug)
    require_perm(request, "workgroups.add_thread", group)
    form = forms.ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = services.ThreadData(
            title=form.cleaned_data["title"],
            visibility=form.cleaned_data["visibility"],
            body=form.cleaned_data["body"],
            references=tuple(form.cleaned_data.get("references") or ()),
        )
        thread = services.thread_create(group=group, author=request.user, data=data)
        thread.group = group
        messages.success(request, _("Your discussion has been started."))
        return redirect(thread)
    return render(request, "workgroups/thread_form.html", {"group": group, "form": form})


def thread_detail(request, slug, pk):
    user = request.user
    # The group and how far this person has read come with the thread, in one query: the
    # page stays within its budget when the thread points at ideas or pilots (one more each).
    threads = Thread.objects.select_related("author", "group").filter(group__slug=slug)
    if user.is_authenticated:
        reads = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user)
        threads = threads.annotate(
            read_pk=Subquery(reads.values("pk")[:1]),
            read_up_to=Subquery(reads.values("last_read_post_id")[:1]),
        )
    thread = get_object_or_404(threads, pk=pk)
    require_perm(request, "workgroups.view_thread", thread, hide=True)
    group = thread.group
    may_moderate = predicates.may_moderate_group(user, group)
    posts = list(thread.posts.select_related("author", "reply_to__author"))
    read = None
    tracks_reading = user.is_authenticated and predicates.may_read_private(user, group)
    if tracks_reading and thread.read_pk is not None:
        read = ThreadRead(pk=thread.read_pk, thread=thread, user=user, last_read_post_id=thread.read_up_to)
    last_read = read.last_read_post_id if read else 0
    for post in posts:
        post.is_new = tracks_reading and post.pk > last_read and post.author_id != user.pk
    _decide_what_to_show(thread, posts, user=user, may_moderate=may_moderate)
    if tracks_reading and posts and posts[-1].pk > last_read:
        services.thread_mark_read(thread=thread, user=user, up_to_post_id=posts[-1].pk, known=read)
    context = {
        "group": group,
        "thread": thread,
        "posts": posts,
        "new_count": sum(1 for p in posts if p.is_new),
        "may_moderate": may_moderate,
        "may_post": user.has_perm("workgroups.add_post", thread),
        "form": forms.PostForm(initial={"reply_to": request.GET.get("reply_to", "")[:12]}),
        "references": _references(thread, user),
    }
    return render(request, "workgroups/thread_detail.html", context)


def _decide_what_to_show(thread: Thread, posts: list[Post], *, user, may_moderate: bool) -> None:
    """Decide here, not in the template, what of the thread and its posts this reader sees.

    The text of a hidden post and the moderators' reasons are for the author and the
    moderators only; for everyone else they are blanked, so no template can leak them.
    """
    thread.show_reason = thread.hidden_at is not None and (
        may_moderate or (user.is_authenticated and thread.author_id == user.pk)
    )
    if not thread.show_reason:
        thread.hidden_reason = ""
    for post in posts:
        post.thread = thread
        insider = may_moderate or (user.is_authenticated and post.author_id == user.pk)
        post.show_body = post.hidden_at is None or insider
        post.show_reason = post.hidden_at is not None and insider
        if not post.show_body:
            post.body = post.body_html = ""
        if not post.show_reason:
            post.hidden_reason = ""
        post.may_edit = post.author_id == user.pk and user.has_perm("workgroups.change_post", post)


def _references(thread: Thread, user) -> list:
    if not references.kinds():  # no app has registered a kind: nothing to look up
        return []
    return references.describe(thread.references.values_list("kind", "object_id"), user)


@login_required
@require_POST
def post_create(request, slug, pk):
    group = _group(slug)
    thread = _thread(request, group, pk)
    if thread.locked_at is not None and not predicates.may_moderate_group(request.user, group):
        messages.error(request, _("This discussion is closed. No new posts can be added."))
        return redirect(thread)
    require_perm(request, "workgroups.add_post", thread)
    form = forms.PostForm(request.POST)
    if form.is_valid():
        reply_to = None
        if form.cleaned_data.get("reply_to"):
            reply_to = Post.objects.filter(thread=thread, pk=form.cleaned_data["reply_to"]).first()
        try:
            post = services.post_create(
                thread=thread,
                author=request.user,
                body=form.cleaned_data["body"],
                reply_to=reply_to,
                moderator=predicates.may_moderate_group(request.user, group),
            )
        except services.WorkgroupError as error:
            return _refuse(request, error, thread.get_absolute_url())
        messages.success(request, _("Your post has been published."))
        return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")
    # Show the thread again with what was typed and the error.
    posts = list(thread.posts.select_related("author", "reply_to__author"))
    may_moderate = predicates.may_moderate_group(request.user, group)
    for post in posts:
        post.is_new = False
    _decide_what_to_show(thread, posts, user=request.user, may_moderate=may_moderate)
    context = {
        "group": group,
        "thread": thread,
        "posts": posts,
        "new_count": 0,
        "may_moderate": may_moderate,
        "may_post": True,
        "form": form,
        "references": _references(thread, request.user),
    }
    return render(request, "workgroups/thread_detail.html", context, status=400)


def _post(thread: Thread, post_pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("author"), thread=thread, pk=post_pk)
    post.thread = thread
    return post


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit(request, slug, pk, post_pk):
    group = _group(slug)
    thread = _thread(request, group, pk)
    post = _post(thread, post_pk)
    require_perm(request, "workgroups.change_post", post)
    form = forms.PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, editor=request.user, body=form.cleaned_data["body"])
        except services.WorkgroupError as error:
            return _refuse(request, error, thread.get_absolute_url())
        messages.success(request, _("Your post has been changed."))
        return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")
    return render(
        request, "workgroups/post_form.html", {"group": group, "thread": thread, "post": post, "form": form}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_hide(request, slug, pk, post_pk):
    group = _group(slug)
    thread = _thread(request, group, pk)
    post = _post(thread, post_pk)
    require_perm(request, "workgroups.moderate_thread", thread)
    if post.hidden_at is not None:
        if request.method == "POST":
            services.post_unhide(post=post, by=request.user)
            messages.success(request, _("The post is visible again."))
            return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")
        form = None
    else:
        form = forms.HideForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.post_hide(post=post, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The post has been hidden."))
            return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")
    return render(
        request, "workgroups/hide_form.html", {"group": group, "thread": thread, "post": post, "form": form}
    )


@login_required
@require_POST
def thread_pin(request, slug, pk):
    group = _group(slug)
    thread = _thread(request, group, pk)
    require_perm(request, "workgroups.moderate_thread", thread)
    pinned = thread.pinned_at is None
    services.thread_set_pinned(thread=thread, pinned=pinned, by=request.user)
    messages.success(
        request, _("The discussion is pinned.") if pinned else _("The discussion is no longer pinned.")
    )
    return redirect(thread)


@login_required
@require_POST
def thread_lock(request, slug, pk):
    group = _group(slug)
    thread = _thread(request, group, pk)
    require_perm(request, "workgroups.moderate_thread", thread)
    locked = thread.locked_at is None
    services.thread_set_locked(thread=thread, locked=locked, by=request.user)
    messages.success(
        request, _("The discussion is closed.") if locked else _("The discussion is open again.")
    )
    return redirect(thread)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_hide(request, slug, pk):
    group = _group(slug)
    thread = _thread(request, group, pk)
    require_perm(request, "workgroups.moderate_thread", thread)
    if thread.hidden_at is not None:
        if request.method == "POST":
            services.thread_unhide(thread=thread, by=request.user)
            messages.success(request, _("The discussion is visible again."))
            return redirect(thread)
        form = None
    else:
        form = forms.HideForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.thread_hide(thread=thread, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The discussion has been hidden."))
            return redirect(thread)
    return render(
        request, "workgroups/hide_form.html", {"group": group, "thread": thread, "post": None, "form": form}
    )


# --- documents ---------------------------------------------------------------------------

_LATEST_FIRST = Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by"))


def document_list(request, slug):
    group = _group(slug)
    documents = Document.objects.filter(group=group).visible_to(request.user).prefetch_related(_LATEST_FIRST)
    context = {
        "group": group,
        "documents": list(documents),
        "may_add": request.user.has_perm("workgroups.add_document", group),
    }
    return render(request, "workgroups/document_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_create(request, slug):
    group = _group(slug)
    require_perm(request, "workgroups.add_document", group)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = services.DocumentData(
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            visibility=form.cleaned_data["visibility"],
        )
        document = services.document_upload(
            group=group,
            by=request.user,
            data=data,
            upload=form.cleaned_data["file"],
            file_type=form.file_type,
        )
        document.group = group
        messages.success(request, _("The document has been uploaded."))
        return redirect(document)
    return render(request, "workgroups/document_form.html", {"group": group, "form": form})


def document_detail(request, slug, pk):
    group = _group(slug)
    document = _document(request, group, pk)
    versions = list(document.versions.select_related("uploaded_by"))
    for version in versions:
        version.document = document
    context = {
        "group": group,
        "document": document,
        "versions": versions,
        "may_change": request.user.has_perm("workgroups.change_document", document),
        "may_delete": request.user.has_perm("workgroups.delete_document", document),
    }
    return render(request, "workgroups/document_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_replace(request, slug, pk):
    group = _group(slug)
    document = _document(request, group, pk)
    require_perm(request, "workgroups.change_document", document)
    form = forms.DocumentVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_add_version(
            document=document, by=request.user, upload=form.cleaned_data["file"], file_type=form.file_type
        )
        messages.success(request, _("The new version has been uploaded; older versions are kept."))
        return redirect(document)
    return render(
        request, "workgroups/documentversion_form.html", {"group": group, "document": document, "form": form}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_delete(request, slug, pk):
    group = _group(slug)
    document = _document(request, group, pk)
    require_perm(request, "workgroups.delete_document", document)
    if request.method == "POST":
        services.document_delete(document=document, by=request.user)
        messages.success(request, _("The document and all its versions have been deleted."))
        return redirect("workgroups:document_list", slug=slug)
    return render(request, "workgroups/document_confirm_delete.html", {"group": group, "document": document})


def document_download(request, slug, pk, number):
    group = _group(slug)
    document = _document(request, group, pk)
    version = get_object_or_404(DocumentVersion, document=document, number=number)
    return serve_file(
        request,
        version.file,
        public=document.is_public,
        attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )


# --- meetings ----------------------------------------------------------------------------


def meeting_list(request, slug):
    group = _group(slug)
    now = timezone.now()
    meetings = Meeting.objects.filter(group=group).visible_to(request.user)
    context = {
        "group": group,
        "upcoming": list(meetings.filter(ends_at__gte=now)),
        "past": list(meetings.filter(ends_at__lt=now).order_by("-starts_at")[:50]),
        "may_add": request.user.has_perm("workgroups.add_meeting", group),
        "calendar_url": _calendar_url(request, group),
        "personal_calendar": predicates.may_read_private(request.user, group),
    }
    return render(request, "workgroups/meeting_list.html", context)


def _meeting_data(form) -> services.MeetingData:
    fields = services.MeetingData.__dataclass_fields__
    return services.MeetingData(**{k: v for k, v in form.cleaned_data.items() if k in fields})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_create(request, slug):
    group = _group(slug)
    require_perm(request, "workgroups.add_meeting", group)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(group=group, by=request.user, data=_meeting_data(form))
        except services.WorkgroupError as error:
            form.add_error(None, error.message)
        else:
            meeting.group = group
            messages.success(request, _("The meeting has been scheduled."))
            return redirect(meeting)
    return render(request, "workgroups/meeting_form.html", {"group": group, "form": form, "meeting": None})


def _rsvp_context(request, meeting: Meeting) -> dict:
    counts = dict(meeting.rsvps.values_list("answer").annotate(n=Count("pk")).values_list("answer", "n"))
    mine = None
    if request.user.is_authenticated:
        mine = (
            RSVP.objects.filter(meeting=meeting, user=request.user).values_list("answer", flat=True).first()
        )
    return {
        "meeting": meeting,
        "counts": [(value, label, counts.get(value, 0)) for value, label in RSVP.Answer.choices],
        "my_answer": mine,
        "may_rsvp": request.user.has_perm("workgroups.rsvp_meeting", meeting) and not meeting.is_past(),
        "is_past": meeting.is_past(),
    }


def meeting_detail(request, slug, pk):
    group = _group(slug)
    meeting = _meeting(request, group, pk)
    context = {
        "group": group,
        "may_change": request.user.has_perm("workgroups.change_meeting", meeting),
        **_rsvp_context(request, meeting),
    }
    return render(request, "workgroups/meeting_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_edit(request, slug, pk):
    group = _group(slug)
    meeting = _meeting(request, group, pk)
    require_perm(request, "workgroups.change_meeting", meeting)
    form = forms.MeetingForm(request.POST or None, instance=meeting, with_minutes=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, data=_meeting_data(form))
        except services.WorkgroupError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect(meeting)
    return render(request, "workgroups/meeting_form.html", {"group": group, "form": form, "meeting": meeting})


@login_required
@require_POST
def meeting_rsvp(request, slug, pk):
    group = _group(slug)
    meeting = _meeting(request, group, pk)
    require_perm(request, "workgroups.rsvp_meeting", meeting)
    form = forms.RSVPForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Please answer yes, no or maybe.")
    else:
        try:
            services.meeting_rsvp(meeting=meeting, user=request.user, answer=form.cleaned_data["answer"])
        except services.WorkgroupError as exc:
            error = exc.message
    if request.htmx:
        context = {
            "group": group,
            "rsvp_error": error,
            "rsvp_saved": error is None,
            **_rsvp_context(request, meeting),
        }
        return render(request, "workgroups/includes/meeting_rsvp.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you for your reply."))
    return redirect(meeting)


def meeting_ics(request, slug, pk):
    group = _group(slug)
    meeting = _meeting(request, group, pk)
    body = ics.calendar([meeting], name=f"SMARTCity Gera – {group.name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="termin-{meeting.pk}.ics"'
    if not meeting.is_public:
        response["Cache-Control"] = "private, no-store"
    return response
