import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from geraportal.core.access import require_perm
from geraportal.core.files import serve_file
from geraportal.core.maps import map_config
from geraportal.core.markdown import render_markdown
from geraportal.core.pagination import CachedCountPaginator, CappedPaginator
from geraportal.core.spreadsheet import safe_cell
from workgroups.selectors import threads_referencing

from . import fragments, idea_page, ratelimit, selectors, services
from .forms import (
    PENDING_SALT,
    PENDING_SECONDS,
    CommentEditForm,
    CommentForm,
    IdeaFilterForm,
    IdeaForm,
    JuryScoreForm,
    ModerationForm,
    ReportDismissForm,
    ReportForm,
)
from .models import Comment, Competition, Criterion, Idea, JuryScore, Report

PAGE_SIZE = 20
RATE_LIMIT_IDEAS = gettext_lazy(
    "You have submitted many ideas in a short time. Please wait a while and try again."
)


def _get_idea(request, pk: int) -> Idea:
    """The idea if this user may see it; otherwise the same 404 as for a missing one."""
    try:
        return selectors.idea_for_detail(user=request.user, pk=pk)
    except Idea.DoesNotExist:
        raise Http404 from None


# --- List, map, feeds, export -----------------------------------------------------------


@require_safe
def idea_list(request):
    form = IdeaFilterForm(request.GET or None)
    filters = form.filters()
    # Built only if the count or the page's rows are not kept (`KeptPaginator`).
    ideas_found = partial(selectors.idea_list, user=request.user, filters=filters)
    # A search can match most ideas; counting them all costs more than the page itself.
    rows_key = selectors.idea_list_key(user=request.user, filters=filters)
    paginator_class = CappedPaginator if filters.q else CachedCountPaginator
    paginator = paginator_class(ideas_found, PAGE_SIZE, count_key=rows_key)
    page = paginator.get_page(request.GET.get("page"))
    cards = fragments.list_page_cards(
        page, key=f"{rows_key}:{filters.sort}", reference=form.objects, user=request.user
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ideas/idea_list.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": page,
            "cards": cards,
            "own_hidden": selectors.own_hidden_ideas(user=request.user) if page.number == 1 else [],
            "query_string": query.urlencode(),
            "map": map_config(),
            "can_export": rules.has_perm("ideas.export_ideas", request.user),
            "can_moderate": rules.has_perm("ideas.view_moderation_queue", request.user),
        },
    )


@require_safe
def idea_map(request):
    form = IdeaFilterForm(request.GET or None)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ideas/idea_map.html",
        {"form": form, "map": map_config(), "query_string": query.urlencode()},
    )


def _parse_bbox(raw: str) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(part) for part in raw.split(","))
    except (ValueError, AttributeError):
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return west, south, east, north


@require_safe
def idea_geojson(request):
    bbox = _parse_bbox(request.GET.get("bbox", ""))
    if bbox is None:
        return JsonResponse({"error": _("Give bbox=west,south,east,north in degrees.")}, status=400)
    filters = IdeaFilterForm(request.GET).filters()
    ideas = selectors.idea_list(user=request.user, filters=filters)
    key = selectors.idea_list_key(user=request.user, filters=filters)
    return JsonResponse(selectors.map_features_kept(bbox=bbox, ideas=ideas, key=key))


@login_required
@require_safe
def idea_export(request):
    require_perm(request, "ideas.export_ideas")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ideen-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "id", "title", "status", "hidden", "theme", "district", "competition", "author",
            "supports", "comments", "latitude", "longitude", "place", "submitted", "url",
        ]
    )  # fmt: skip
    ideas = Idea.objects.select_related("theme", "district", "competition", "author").order_by("pk")
    for idea in ideas.iterator(chunk_size=2000):
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    idea.pk,
                    idea.title,
                    idea.status,
                    "yes" if idea.hidden else "no",
                    idea.theme.slug,
                    idea.district.name if idea.district else "",
                    idea.competition.slug if idea.competition else "",
                    idea.author.public_name,
                    idea.support_count,
                    idea.comment_count,
                    idea.latitude if idea.latitude is not None else "",
                    idea.longitude if idea.longitude is not None else "",
                    idea.location_text,
                    timezone.localtime(idea.created_at).isoformat(),
                    request.build_absolute_uri(idea.get_absolute_url()),
                )
            ]
        )
    return response


# --- Submit and edit --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def idea_create(request):
    require_perm(request, "ideas.add_idea")
    if request.method == "POST":
        form = IdeaForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            if request.POST.get("action") == "publish":
                token = form.cleaned_data.get("submission_token")
                if _idea_rate_limited(request, token):
                    messages.error(request, RATE_LIMIT_IDEAS)
                    return render(
                        request, "ideas/idea_form.html", {"form": form, "map": map_config()}, status=429
                    )
                try:
                    idea = services.idea_submit(
                        author=request.user,
                        idea=form.save(commit=False),
                        image=form.image_file(),
                        submission_token=token,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Thank you! Your idea has been published."))
                    return redirect(idea)
            else:
                form.keep_pending_image()
                return _preview(request, form)
    else:
        form = IdeaForm(user=request.user)
    return render(request, "ideas/idea_form.html", {"form": form, "map": map_config()})


def _idea_rate_limited(request, token) -> bool:
    """Counts a new idea against the limit; a repeated submission of the same form does not count."""
    if token and Idea.objects.filter(author=request.user, submission_token=token).exists():
        return False
    return not ratelimit.allow(user=request.user, action="idea")


def _preview(request, form: IdeaForm, idea: Idea | None = None):
    c = form.cleaned_data
    return render(
        request,
        "ideas/idea_form.html",
        {
            "form": form,
            "idea": idea,
            "map": map_config(),
            "preview": {
                "title": c["title"],
                "body": render_markdown(c["body"]),
                "theme": c["theme"],
                "district": c.get("district"),
                "competition": c.get("competition"),
                "location_text": c.get("location_text"),
                "latitude": c.get("latitude"),
                "longitude": c.get("longitude"),
                "has_image": bool(
                    c.get("pending_image") or (idea and idea.image and not c.get("remove_image"))
                ),
                "pending_image": form.pending_image_token,
                "image_alt": c.get("image_alt"),
            },
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def idea_update(request, pk: int):
    idea = _get_idea(request, pk)
    require_perm(request, "ideas.change_idea", idea)
    if request.method == "POST":
        form = IdeaForm(request.POST, request.FILES, user=request.user, idea=idea)
        if form.is_valid():
            if request.POST.get("action") == "publish":
                try:
                    idea = services.idea_update(
                        idea=idea,
                        editor=request.user,
                        changes=form.changes(),
                        image=form.image_file(),
                        remove_image=bool(form.cleaned_data.get("remove_image")),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Your changes have been saved."))
                    return redirect(idea)
            else:
                form.keep_pending_image()
                return _preview(request, form, idea)
    else:
        form = IdeaForm(user=request.user, idea=idea)
    return render(request, "ideas/idea_form.html", {"form": form, "idea": idea, "map": map_config()})


@login_required
@require_safe
def pending_image(request):
    try:
        data = signing.loads(request.GET.get("token", ""), salt=PENDING_SALT, max_age=PENDING_SECONDS)
    except signing.BadSignature:
        raise Http404 from None
    if data.get("u") != request.user.pk or not default_storage.exists(data.get("n", "")):
        raise Http404
    return serve_file(request, data["n"], public=False)


@require_safe
def idea_image(request, pk: int):
    """Images go through a view, so a hidden idea's image is as hidden as its text."""
    idea = _get_idea(request, pk)
    return serve_file(request, idea.image, public=not idea.hidden)


# --- Detail and participation -----------------------------------------------------------


@require_safe
def idea_detail(request, pk: int, slug: str = ""):
    idea = _get_idea(request, pk)
    if request.htmx and "comments" in request.GET:
        # "More comments": only the next page, appended in place of the "more" link.
        user = request.user
        return render(
            request,
            "ideas/includes/comment_page.html",
            {
                "idea": idea,
                "comments": _comment_page_with_texts(idea, user, _comment_page(request)),
                "can": _permissions(user, idea),
                "announce_more": True,
            },
        )
    return _render_detail(request, idea)


# More pages than any discussion has (500,000 comments): a larger number is no page, and a
# number beyond PostgreSQL's integers answered 500.
MAX_COMMENT_PAGE = 10_000


def _comment_page(request) -> int:
    try:
        return min(max(1, int(request.GET.get("comments", "1"))), MAX_COMMENT_PAGE)
    except ValueError:
        return 1


def _comment_page_with_texts(idea: Idea, user, page: int) -> selectors.CommentPage:
    """A page of the thread, each comment with its rendered text (`text_html`, kept in the cache)."""
    thread = selectors.comment_thread(idea=idea, user=user, page=page)
    replies = [reply for comment in thread.comments for reply in comment.thread_replies]
    for comments, is_reply in ((thread.comments, False), (replies, True)):
        for comment, html in zip(comments, fragments.comment_texts(comments, is_reply=is_reply), strict=True):
            comment.text_html = html
    return thread


def _permissions(user, idea: Idea) -> dict[str, bool]:
    """What this user may do on this idea's page, asked once per page (not per comment)."""
    return {
        "support": rules.has_perm("ideas.support_idea", user, idea),
        "comment": rules.has_perm("ideas.comment_idea", user, idea),
        "follow": rules.has_perm("ideas.follow_idea", user, idea),
        "report": rules.has_perm("ideas.report_idea", user, idea),
        "edit": rules.has_perm("ideas.change_idea", user, idea),
        "moderate": rules.has_perm("ideas.moderate_idea", user, idea),
        "enter_on_behalf": rules.has_perm("ideas.enter_on_behalf", user),
    }


def _render_detail(request, idea: Idea, *, comment_form: CommentForm | None = None, status: int = 200):
    user = request.user
    relation = selectors.user_relation(idea=idea, user=user)
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            "merged_into": selectors.merge_target_for(idea=idea, user=user),
            "body_html": render_markdown(idea.body),
            "history": idea.history,
            "adoption": selectors.adoption_of(idea),
            # Working-group threads that point at this idea, only those the viewer may read.
            "discussions": threads_referencing(kind="idea", object_id=idea.pk, user=user),
            "comments": _comment_page_with_texts(idea, user, _comment_page(request)),
            "comment_form": comment_form or CommentForm(),
            "supports": relation["supports"],
            "follows": relation["follows"],
            "share_url": request.build_absolute_uri(idea.get_absolute_url()),
            "actions": idea_page.actions.render(idea, user),
            "can": _permissions(user, idea),
        },
        status=status,
    )


@dataclass(frozen=True)
class _Toggle:
    """A person's on/off relation to an idea: one permission, a service each way, what to say."""

    perm: str
    on: Callable[..., Idea]
    off: Callable[..., Idea]
    said_on: str
    said_off: str
    # The htmx partial that replaces the control, and the name of its on/off flag.
    partial: str | None = None
    flag: str = ""


TOGGLES = {
    "support": _Toggle(
        perm="ideas.support_idea",
        on=services.idea_support,
        off=services.idea_unsupport,
        said_on=gettext_lazy("You support this idea. It now has %(count)s supports."),
        said_off=gettext_lazy("You no longer support this idea. It now has %(count)s supports."),
        partial="ideas/includes/support_box.html",
        flag="supports",
    ),
    "follow": _Toggle(
        perm="ideas.follow_idea",
        on=services.idea_follow,
        off=services.idea_unfollow,
        said_on=gettext_lazy("You follow this idea and will be told about comments and status changes."),
        said_off=gettext_lazy("You no longer follow this idea."),
    ),
}


@login_required
@require_POST
def idea_toggle(request, pk: int, relation: str, on: bool | None = None):
    """Support/unsupport and follow/unfollow. `on` comes from the URL, or else from the
    form's `follow` field ("0" turns it off)."""
    toggle = TOGGLES[relation]
    idea = _get_idea(request, pk)
    require_perm(request, toggle.perm, idea)
    if on is None:
        on = request.POST.get(relation) != "0"
    idea = (toggle.on if on else toggle.off)(idea=idea, user=request.user)
    message = (toggle.said_on if on else toggle.said_off) % {"count": idea.support_count}
    if request.htmx and toggle.partial:
        return render(
            request,
            toggle.partial,
            {"idea": idea, toggle.flag: on, f"can_{relation}": True, "announce": message},
        )
    messages.success(request, message)
    return redirect(idea)


@login_required
@require_POST
def comment_create(request, pk: int):
    idea = _get_idea(request, pk)
    require_perm(request, "ideas.comment_idea", idea)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, idea, comment_form=form, status=400)
    if not ratelimit.allow(user=request.user, action="comment"):
        form.add_error(
            None,
            _("You have written many comments in a short time. Please wait a few minutes and try again."),
        )
        return _render_detail(request, idea, comment_form=form, status=429)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(idea=idea, pk=form.cleaned_data["parent"]).first()
    comment = services.comment_create(
        idea=idea, author=request.user, body=form.cleaned_data["body"], parent=parent
    )
    messages.success(request, _("Your comment has been published."))
    return redirect(comment.get_absolute_url())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_update(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("idea"), pk=pk)
    _get_idea(request, comment.idea_id)
    require_perm(request, "ideas.change_comment", comment)
    form = CommentEditForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(comment=comment, editor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your comment has been changed."))
            return redirect(comment.get_absolute_url())
    return render(
        request, "ideas/comment_form.html", {"form": form, "comment": comment, "idea": comment.idea}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_create(request, pk: int, comment_pk: int | None = None):
    idea = _get_idea(request, pk)
    require_perm(request, "ideas.report_idea", idea)
    comment = get_object_or_404(Comment, pk=comment_pk, idea=idea, hidden=False) if comment_pk else None
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                idea=idea,
                comment=comment,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except services.AlreadyReported as refused:
            messages.info(request, refused.messages[0])
        else:
            messages.success(request, _("Thank you. The moderators will look at your report."))
        return redirect(comment.get_absolute_url() if comment else idea.get_absolute_url())
    return render(request, "ideas/report_form.html", {"form": form, "idea": idea, "comment": comment})


# --- Moderation -------------------------------------------------------------------------


@login_required
@require_safe
def moderation_queue(request):
    require_perm(request, "ideas.view_moderation_queue")
    return render(request, "ideas/moderation_queue.html", selectors.moderation_queue(user=request.user))


ACTIONS = {
    "hide": _("Hide idea"),
    "unhide": _("Show idea again"),
    "in_review": _("Set to “in review”"),
    "decline": _("Decline idea"),
    "merge": _("Merge into another idea"),
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def idea_moderate(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    idea = _get_idea(request, pk)
    require_perm(request, "ideas.moderate_idea", idea)
    form = ModerationForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if action == "hide":
                services.idea_set_hidden(idea=idea, by=request.user, hidden=True, reason=reason)
            elif action == "unhide":
                services.idea_set_hidden(idea=idea, by=request.user, hidden=False, reason=reason)
            elif action == "in_review":
                services.idea_set_in_review(idea=idea, by=request.user, reason=reason)
            elif action == "decline":
                services.idea_decline(idea=idea, by=request.user, reason=reason)
            else:
                target = (
                    Idea.objects.visible_to(request.user).filter(pk=form.cleaned_data.get("into")).first()
                )
                if target is None:
                    raise ValidationError(_("There is no idea with this number."))
                services.idea_merge(idea=idea, into=target, by=request.user, reason=reason)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ACTIONS[action]})
            return redirect(idea)
    return render(
        request,
        "ideas/moderation_form.html",
        {"form": form, "idea": idea, "action": action, "title": ACTIONS[action]},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_moderate(request, pk: int, action: str):
    if action not in ("hide", "unhide"):
        raise Http404
    comment = get_object_or_404(Comment.objects.select_related("idea", "author"), pk=pk)
    require_perm(request, "ideas.moderate_comment", comment)
    form = ModerationForm(request.POST or None, action="hide_comment" if action == "hide" else "unhide")
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_set_hidden(
                comment=comment, by=request.user, hidden=action == "hide", reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The comment has been updated."))
            return redirect(comment.get_absolute_url())
    title = _("Hide comment") if action == "hide" else _("Show comment again")
    return render(
        request,
        "ideas/moderation_form.html",
        {"form": form, "idea": comment.idea, "comment": comment, "action": action, "title": title},
    )


@login_required
@require_POST
def report_dismiss(request, pk: int):
    report = get_object_or_404(Report.objects.select_related("idea"), pk=pk)
    require_perm(request, "ideas.moderate_idea", report.idea)
    form = ReportDismissForm(request.POST)
    form.is_valid()
    services.report_dismiss(
        report=report, by=request.user, resolution=form.cleaned_data.get("resolution", "")
    )
    messages.success(request, _("The report has been closed without action."))
    return redirect("ideas:moderation")


@login_required
@require_safe
def idea_revisions(request, pk: int):
    idea = _get_idea(request, pk)
    require_perm(request, "ideas.view_revisions", idea)
    revisions = list(idea.revisions.select_related("editor"))
    return render(request, "ideas/idea_revisions.html", {"idea": idea, "revisions": revisions})


# --- Competitions -----------------------------------------------------------------------


@require_safe
def competition_list(request):
    competitions = list(Competition.objects.prefetch_related("themes"))
    return render(request, "ideas/competition_list.html", {"competitions": competitions})


@require_safe
def competition_detail(request, slug: str):
    competition = get_object_or_404(
        Competition.objects.prefetch_related(
            "themes", Prefetch("criteria", queryset=Criterion.objects.all())
        ),
        slug=slug,
    )
    user = request.user
    show_scores = rules.has_perm("ideas.view_competition_scores", user, competition)
    ranking = services.competition_ranking(competition=competition) if show_scores else None
    ideas = None
    if ranking is None:
        ideas = list(
            Idea.objects.visible_to(user)
            .for_list()
            .filter(competition=competition)
            .order_by("-created_at")[:100]
        )
    return render(
        request,
        "ideas/competition_detail.html",
        {
            "competition": competition,
            "description_html": render_markdown(competition.description),
            "phase": competition.phase,
            "ranking": ranking,
            "ideas": ideas,
            "is_juror": rules.has_perm("ideas.score_competition", user, competition),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def competition_jury(request, slug: str, idea_pk: int | None = None):
    competition = get_object_or_404(Competition, slug=slug)
    require_perm(request, "ideas.score_competition", competition)
    criteria = list(competition.criteria.all())
    ideas = list(
        Idea.objects.filter(competition=competition, hidden=False).exclude(status=Idea.Status.MERGED)
    )
    mine: dict[int, dict[int, int]] = {}
    for score in JuryScore.objects.filter(juror=request.user, idea__in=ideas):
        mine.setdefault(score.idea_id, {})[score.criterion_id] = score.score
    current = None
    form = None
    if idea_pk is not None:
        current = next((i for i in ideas if i.pk == idea_pk), None)
        if current is None:
            raise Http404
        form = JuryScoreForm(request.POST or None, criteria=criteria, current=mine.get(current.pk, {}))
        if request.method == "POST" and form.is_valid():
            try:
                services.jury_score_save(
                    competition=competition, idea=current, juror=request.user, scores=form.scores()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Your scores for “%(title)s” have been saved.") % {"title": current.title}
                )
                return redirect("ideas:competition_jury", slug=competition.slug)
    return render(
        request,
        "ideas/competition_jury.html",
        {
            "competition": competition,
            "criteria": criteria,
            "ideas": [(i, mine.get(i.pk, {})) for i in ideas],
            "current": current,
            "current_body": render_markdown(current.body) if current else "",
            "form": form,
            "criteria_count": len(criteria),
        },
    )
