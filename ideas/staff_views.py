"""The back-office pages of ideas (under /staff/): competitions, and contributions from outside."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from geraportal.core.access import require_perm
from geraportal.core.forms import add_service_errors

from . import services
from .models import Competition, Idea
from .selectors import contributions_by_source
from .staff_forms import (
    CompetitionForm,
    CriterionFormSet,
    OfflineSourceForm,
    OnBehalfCommentForm,
    OnBehalfIdeaForm,
    RankingForm,
)


@require_safe
def competition_list(request):
    require_perm(request, "ideas.change_competition")
    competitions = Competition.objects.annotate(
        idea_count=Count("ideas", distinct=True), juror_count=Count("jury", distinct=True)
    ).order_by("-submission_start")
    return render(request, "ideas/staff/competition_list.html", {"competitions": competitions})


@require_http_methods(["GET", "HEAD", "POST"])
def competition_edit(request, pk: int | None = None):
    if pk is None:
        require_perm(request, "ideas.add_competition")
        competition = Competition()
    else:
        competition = get_object_or_404(Competition, pk=pk)
        require_perm(request, "ideas.change_competition", competition)
    data = request.POST if request.method == "POST" else None
    form = CompetitionForm(data, instance=competition)
    formset = CriterionFormSet(data, instance=competition, prefix="criteria")
    if data is not None and form.is_valid() and formset.is_valid():
        criteria = [row for row in (f.data_row() for f in formset.forms) if row is not None]
        try:
            competition = services.competition_save(
                competition=form.instance,
                themes=form.cleaned_data["themes"],
                criteria=criteria,
                jury=form.cleaned_data["jury_emails"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The competition has been saved."))
            return redirect("staff:competition_edit", pk=competition.pk)
    context = {"form": form, "formset": formset, "competition": competition if pk else None}
    return render(request, "ideas/staff/competition_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def competition_ranking(request, pk: int):
    competition = get_object_or_404(Competition, pk=pk)
    require_perm(request, "ideas.publish_ranking", competition)
    ranking = services.competition_ranking(competition=competition)
    form = RankingForm(request.POST or None, ranking=ranking)
    if request.method == "POST" and form.is_valid():
        try:
            services.competition_publish_ranking(
                competition=competition, reasons=form.reasons(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The ranking is published. Participants and followers are being told.")
            )
            return redirect(competition)
    context = {"competition": competition, "ranking": ranking, "form": form}
    return render(request, "ideas/staff/competition_ranking.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def contribution_create(request):
    """Enter an idea someone gave at a workshop, on the phone or by letter."""
    require_perm(request, "ideas.enter_on_behalf")
    data = request.POST if request.method == "POST" else None
    initial = {"source": "workshop", "source_event": request.GET.get("workshop")}
    origin = OfflineSourceForm(data, prefix="origin", initial=initial)
    form = OnBehalfIdeaForm(data, user=request.user)
    if data is not None and origin.is_valid() and form.is_valid():
        try:
            idea = services.idea_submit_on_behalf(idea=form.instance, origin=origin.origin(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The idea has been published with its source."))
            return redirect(idea)
    return render(request, "ideas/staff/contribution_form.html", {"origin": origin, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def comment_on_behalf(request, pk: int):
    """Enter a comment on an idea that someone gave outside the portal."""
    require_perm(request, "ideas.enter_on_behalf")
    idea = get_object_or_404(Idea.objects.visible_to(request.user), pk=pk)
    data = request.POST if request.method == "POST" else None
    origin = OfflineSourceForm(data, prefix="origin", initial={"source": "workshop"})
    form = OnBehalfCommentForm(data, initial={"idea": idea.pk})
    if data is not None and origin.is_valid() and form.is_valid():
        try:
            services.comment_create_on_behalf(
                idea=idea, body=form.cleaned_data["body"], origin=origin.origin(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The comment has been published with its source."))
            return redirect(idea)
    return render(request, "ideas/staff/comment_form.html", {"origin": origin, "form": form, "idea": idea})


@require_safe
def contribution_stats(request):
    """How many ideas and comments came from each source — online and offline counted apart."""
    require_perm(request, "ideas.enter_on_behalf")
    return render(request, "ideas/staff/contribution_stats.html", {"rows": contributions_by_source()})
