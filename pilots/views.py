import copy
import csv
import json
from functools import partial

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from geraportal.accounts.rules import is_smartcity_team
from geraportal.core.access import require_perm
from geraportal.core.files import serve_file
from geraportal.core.forms import add_service_errors
from geraportal.core.maps import map_config
from geraportal.core.pagination import CachedCountPaginator
from geraportal.core.spreadsheet import safe_cell
from workgroups.models import WorkingGroup
from workgroups.selectors import moderated_group_ids, threads_referencing

from . import fragments, selectors, services
from .forms import (
    MilestoneForm,
    PilotFilterForm,
    PilotForm,
    PilotImageForm,
    ProgressUpdateForm,
    SelectionForm,
    TransitionForm,
)
from .models import Milestone, Pilot, PilotImage, PilotUpdate
from .rules import TRANSITION_PERMS


def _get_pilot(request, slug: str) -> Pilot:
    """The pilot if this user may see it; otherwise the same 404 as for a missing one."""
    pilot = get_object_or_404(Pilot.objects.select_related("working_group"), slug=slug)
    require_perm(request, "pilots.view_pilot", pilot, hide=True)
    return pilot


PAGE_SIZE = 24  # pilots per overview page


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Overview, board, map ----------------------------------------------------------------


@require_safe
def pilot_list(request):
    form = PilotFilterForm(request.GET or None)
    filters = form.filters()
    rows_key = selectors.pilot_list_key(user=request.user, filters=filters)
    # The rows' query is built only if the count or the page's cards are not kept.
    rows = partial(selectors.pilot_list, user=request.user, filters=filters)
    page = CachedCountPaginator(rows, PAGE_SIZE, count_key=rows_key).get_page(request.GET.get("page"))
    return render(
        request,
        "pilots/pilot_list.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": page,
            "cards": fragments.list_page_cards(page, key=rows_key),
            "query_string": _query_string(request),
            "map": map_config(),
            "can_add": rules.has_perm("pilots.add_pilot", request.user),
            "can_select": rules.has_perm("pilots.view_selection", request.user),
        },
    )


@require_safe
def pilot_board(request):
    form = PilotFilterForm(request.GET or None)
    filters = form.filters()
    return render(
        request,
        "pilots/pilot_board.html",
        {
            "form": form,
            "filters": filters,
            "columns": selectors.board(user=request.user, filters=filters),
            "query_string": _query_string(request),
            "map": map_config(),
        },
    )


@require_safe
def pilot_map(request):
    form = PilotFilterForm(request.GET or None)
    filters = form.filters()
    pilots = [p for p in selectors.pilot_list(user=request.user, filters=filters) if p.is_located]
    return render(
        request,
        "pilots/pilot_map.html",
        {"form": form, "pilots": pilots, "map": map_config(), "query_string": _query_string(request)},
    )


@require_safe
def pilot_geojson(request):
    filters = PilotFilterForm(request.GET or None).filters()
    pilots = selectors.pilot_list(user=request.user, filters=filters).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
                    "properties": {
                        "title": p.title,
                        "url": p.get_absolute_url(),
                        "status": p.get_status_display(),
                    },
                }
                for p in pilots
            ],
        }
    )


# --- Detail ---------------------------------------------------------------------------------


@require_safe
def pilot_detail(request, slug: str):
    try:
        pilot = selectors.pilot_for_detail(user=request.user, slug=slug)
    except Pilot.DoesNotExist:
        raise Http404 from None
    user = request.user
    progress = selectors.progress_for(pilot)
    timeline = selectors.kept_timeline(pilot=pilot, before=request.GET.get("before"))
    can_manage = user.has_perm("pilots.manage_progress", pilot)
    transitions = [
        {"status": status, "label": Pilot.Status(status).label}
        for status in pilot.next_statuses()
        if user.has_perm(TRANSITION_PERMS[status], pilot)
    ]
    return render(
        request,
        "pilots/pilot_detail.html",
        {
            "pilot": pilot,
            "progress": progress,
            "milestones": pilot.milestone_list,
            "timeline": timeline,
            "timeline_entries": list(
                zip(
                    timeline.entries,
                    fragments.timeline_entries(timeline.entries, pilot_slug=pilot.slug),
                    strict=True,
                )
            ),
            "is_older_page": bool(request.GET.get("before")),
            "follows": pilot.is_followed,
            "discussions": threads_referencing(kind="pilot", object_id=pilot.pk, user=user),
            "transitions": transitions,
            "can": {
                "edit": user.has_perm("pilots.change_pilot", pilot),
                "follow": user.has_perm("pilots.follow_pilot", pilot),
                "manage": can_manage,
            },
            "milestone_form": MilestoneForm() if can_manage else None,
            "today": timezone.localdate(),
        },
    )


@require_safe
def pilot_image(request, slug: str, pk: int):
    """Images go through a view, so a draft's pictures are as private as its text."""
    pilot = _get_pilot(request, slug)
    picture = get_object_or_404(PilotImage, pk=pk, pilot=pilot)
    return serve_file(request, picture.image, public=pilot.is_public)


@require_safe
def update_image(request, slug: str, pk: int):
    pilot = _get_pilot(request, slug)
    update = get_object_or_404(PilotUpdate, pk=pk, pilot=pilot)
    return serve_file(request, update.image, public=pilot.is_public)


# --- Create and edit -----------------------------------------------------------------------


def _groups_for(user):
    if is_smartcity_team(user):
        return WorkingGroup.objects.all()
    return WorkingGroup.objects.filter(pk__in=moderated_group_ids(user))


@require_http_methods(["GET", "HEAD", "POST"])
def pilot_create(request):
    require_perm(request, "pilots.add_pilot")
    groups = _groups_for(request.user)
    form = PilotForm(request.POST or None, groups=groups, initial={"working_group": request.GET.get("group")})
    if request.method == "POST" and form.is_valid():
        require_perm(request, "pilots.add_pilot", form.cleaned_data["working_group"])
        try:
            pilot = services.pilot_create(
                by=request.user,
                pilot=form.instance,
                source_ideas=form.cleaned_data["source_ideas"],
                districts=form.cleaned_data["districts"],
                strategy_measures=form.cleaned_data["strategy_measures"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The draft has been saved. Only your working group and the SMARTCity team can see it "
                    "until it is proposed."
                ),
            )
            return redirect(pilot)
    return render(request, "pilots/pilot_form.html", {"form": form, "pilot": None})


@require_http_methods(["GET", "HEAD", "POST"])
def pilot_edit(request, slug: str):
    pilot = _get_pilot(request, slug)
    require_perm(request, "pilots.change_pilot", pilot)
    groups = _groups_for(request.user) | WorkingGroup.objects.filter(pk=pilot.working_group_id)
    # The form works on a copy: a refused edit must not show its input as the pilot's title.
    form = PilotForm(request.POST or None, groups=groups.distinct(), instance=copy.copy(pilot))
    image_form = PilotImageForm()
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["working_group"].pk != pilot.working_group_id:
            require_perm(request, "pilots.add_pilot", form.cleaned_data["working_group"])
        try:
            pilot = services.pilot_edit(
                pilot=form.instance,
                by=request.user,
                source_ideas=form.cleaned_data["source_ideas"],
                districts=form.cleaned_data["districts"],
                strategy_measures=form.cleaned_data["strategy_measures"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The pilot project has been saved."))
            return redirect(pilot)
    return render(
        request,
        "pilots/pilot_form.html",
        {"form": form, "pilot": pilot, "image_form": image_form, "images": list(pilot.images.all())},
    )


@require_POST
def pilot_image_add(request, slug: str):
    pilot = _get_pilot(request, slug)
    require_perm(request, "pilots.change_pilot", pilot)
    form = PilotImageForm(request.POST, request.FILES)
    if form.is_valid():
        services.pilot_image_add(
            pilot=pilot, by=request.user, image=form.cleaned_data["image"], alt=form.cleaned_data["alt"]
        )
        messages.success(request, _("The image has been added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("pilots:edit", slug=pilot.slug)


@require_POST
def pilot_image_delete(request, slug: str, pk: int):
    pilot = _get_pilot(request, slug)
    require_perm(request, "pilots.change_pilot", pilot)
    services.pilot_image_delete(picture=get_object_or_404(PilotImage, pk=pk, pilot=pilot), by=request.user)
    messages.success(request, _("The image has been removed."))
    return redirect("pilots:edit", slug=pilot.slug)


# --- Lifecycle -------------------------------------------------------------------------------


def _run_transition(pilot: Pilot, *, target: str, by, data: dict) -> Pilot:
    common = {"pilot": pilot, "by": by, "expected_status": data["expected_status"]}
    note = data.get("note", "")
    match target:
        case Pilot.Status.PROPOSED:
            return services.pilot_propose(note=note, **common)
        case Pilot.Status.PRIORITISED:
            return services.pilot_record_plenary_result(rank=data["rank"], note=note, **common)
        case Pilot.Status.SELECTED:
            return services.pilot_select(rationale=note, **common)
        case Pilot.Status.APPROVED:
            return services.pilot_approve(
                council_date=data["council_date"], resolution=data["resolution"], note=note, **common
            )
        case Pilot.Status.REJECTED:
            return services.pilot_reject(
                council_date=data["council_date"], resolution=data["resolution"], note=note, **common
            )
        case Pilot.Status.TENDERING:
            return services.pilot_start_tendering(note=note, **common)
        case Pilot.Status.IMPLEMENTATION:
            return services.pilot_start_implementation(started_on=data.get("on_date"), note=note, **common)
        case Pilot.Status.COMPLETED:
            return services.pilot_complete(completed_on=data.get("on_date"), note=note, **common)
        case Pilot.Status.CANCELLED:
            return services.pilot_cancel(reason=note, **common)
    raise Http404


@require_http_methods(["GET", "HEAD", "POST"])
def pilot_transition(request, slug: str, to: str):
    pilot = _get_pilot(request, slug)
    if to not in TRANSITION_PERMS:
        raise Http404
    require_perm(request, TRANSITION_PERMS[to], pilot)
    form = TransitionForm(request.POST or None, target=to, initial={"expected_status": pilot.status})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            pilot = _run_transition(pilot, target=to, by=request.user, data=form.cleaned_data)
        except services.PilotConflictError as error:
            messages.error(request, error.messages[0])
            return redirect(pilot)
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        else:
            messages.success(
                request, _("The pilot project is now “%(status)s”.") % {"status": pilot.get_status_display()}
            )
            return redirect(pilot)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "pilots/pilot_transition.html",
        {"pilot": pilot, "form": form, "target": to, "target_label": Pilot.Status(to).label},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def selection(request):
    require_perm(request, "pilots.view_selection")
    candidates = selectors.selection_candidates()
    already = selectors.selected_pilots()
    limit = services.max_selected()
    may_select = rules.has_perm("pilots.select_pilot", request.user)
    form = SelectionForm(request.POST or None, candidates=candidates, limit=max(limit - len(already), 0))
    status = 200
    if request.method == "POST":
        require_perm(request, "pilots.select_pilot")
        if form.is_valid():
            try:
                services.pilots_propose_to_council(
                    by=request.user, selections=form.cleaned_data["selections"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 400
            else:
                messages.success(request, _("The proposal to the city council has been recorded."))
                return redirect("pilots:selection")
        else:
            status = 400
    return render(
        request,
        "pilots/selection.html",
        {"form": form, "already": already, "limit": limit, "may_select": may_select},
        status=status,
    )


# --- Progress ----------------------------------------------------------------------------------


@require_POST
def milestone_create(request, slug: str):
    return _milestone_save(request, slug)


@require_http_methods(["GET", "HEAD", "POST"])
def milestone_edit(request, slug: str, pk: int):
    return _milestone_save(request, slug, pk)


def _milestone_save(request, slug: str, pk: int | None = None):
    pilot = _get_pilot(request, slug)
    require_perm(request, "pilots.manage_progress", pilot)
    milestone = get_object_or_404(Milestone, pk=pk, pilot=pilot) if pk else None
    initial = (
        {"title": milestone.title, "due_date": milestone.due_date, "done_date": milestone.done_date}
        if milestone
        else None
    )
    form = MilestoneForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(pilot=pilot, by=request.user, milestone=milestone, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone has been saved."))
            return redirect(reverse("pilots:detail", kwargs={"slug": pilot.slug}) + "#milestones")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "pilots/milestone_form.html",
        {"pilot": pilot, "form": form, "milestone": milestone},
        status=status,
    )


@require_POST
def milestone_delete(request, slug: str, pk: int):
    pilot = _get_pilot(request, slug)
    require_perm(request, "pilots.manage_progress", pilot)
    services.milestone_delete(milestone=get_object_or_404(Milestone, pk=pk, pilot=pilot), by=request.user)
    messages.success(request, _("The milestone has been removed."))
    return redirect(reverse("pilots:detail", kwargs={"slug": pilot.slug}) + "#milestones")


@require_http_methods(["GET", "HEAD", "POST"])
def update_create(request, slug: str):
    pilot = _get_pilot(request, slug)
    require_perm(request, "pilots.manage_progress", pilot)
    form = ProgressUpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            update = services.progress_update_create(
                pilot=pilot,
                by=request.user,
                title=d["title"],
                body=d["body"],
                image=d["image"],
                image_alt=d["image_alt"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The update has been published."))
            return redirect(update.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "pilots/update_form.html", {"pilot": pilot, "form": form}, status=status)


@require_POST
def update_delete(request, slug: str, pk: int):
    pilot = _get_pilot(request, slug)
    require_perm(request, "pilots.manage_progress", pilot)
    services.progress_update_delete(
        update=get_object_or_404(PilotUpdate, pk=pk, pilot=pilot), by=request.user
    )
    messages.success(request, _("The update has been removed."))
    return redirect(pilot)


# --- Following ------------------------------------------------------------------------------


@require_POST
def pilot_follow(request, slug: str):
    pilot = _get_pilot(request, slug)
    require_perm(request, "pilots.follow_pilot", pilot)
    if request.POST.get("follow") == "0":
        services.pilot_unfollow(pilot=pilot, user=request.user)
        messages.success(request, _("You no longer follow this pilot project."))
    else:
        services.pilot_follow(pilot=pilot, user=request.user)
        messages.success(request, _("You now follow this pilot project and will be told of every step."))
    return redirect(pilot)


# --- Open data ---------------------------------------------------------------------------------


def _export_rows(request):
    pilots = selectors.with_progress(Pilot.objects.public().for_list()).order_by("pk")
    for pilot in pilots:
        yield selectors.export_row(pilot, absolute_url=request.build_absolute_uri)


@require_safe
def export_json(request):
    response = HttpResponse(
        json.dumps(
            {
                "format": "geraportal-pilots/1",
                "generated_at": timezone.now(),
                "pilots": list(_export_rows(request)),
            },
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            indent=2,
        ),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="pilotprojekte-{timezone.localdate():%Y-%m-%d}.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def export_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="pilotprojekte-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    header_written = False
    for row in _export_rows(request):
        if not header_written:
            writer.writerow(row.keys())
            header_written = True
        writer.writerow([safe_cell(v) for v in row.values()])
    if not header_written:
        writer.writerow(["id", "title", "status"])
    return response
