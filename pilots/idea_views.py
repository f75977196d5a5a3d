"""A pilot from an idea, and the ideas a pilot grew from, found by search (not by number)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from geraportal.core.access import require_perm
from ideas.selectors import clean_search, idea_search, public_ideas

from . import services
from .views import _get_pilot

SEARCH_RESULTS = 20


@require_POST
def pilot_from_idea(request, idea_pk: int):
    """ "Propose as a pilot": a draft in the idea's working group with the idea linked."""
    idea = public_ideas().select_related("theme").filter(pk=idea_pk).first()
    if idea is None:
        raise Http404
    require_perm(request, "pilots.add_pilot", idea.theme)
    pilot = services.pilot_create_from_idea(idea=idea, by=request.user)
    messages.success(
        request,
        _(
            "A draft pilot project has been created in the working group “%(group)s” from the idea. "
            "Complete it, then propose it to the plenary."
        )
        % {"group": idea.theme.name},
    )
    return redirect("pilots:edit", slug=pilot.slug)


@require_http_methods(["GET", "HEAD", "POST"])
def pilot_ideas(request, slug: str):
    """Search public ideas by words and add them to the pilot's sources, or take one off."""
    pilot = _get_pilot(request, slug)
    require_perm(request, "pilots.change_pilot", pilot)
    if request.method == "POST":
        chosen = public_ideas().filter(pk__in=request.POST.getlist("idea"))
        if "remove" in request.POST:
            services.pilot_link_ideas(pilot=pilot, remove=list(chosen), by=request.user)
            messages.success(request, _("The idea is no longer linked to this pilot project."))
        elif chosen:
            services.pilot_link_ideas(pilot=pilot, add=list(chosen), by=request.user)
            messages.success(request, _("The chosen ideas are now linked to this pilot project."))
        else:
            messages.error(request, _("Please tick at least one idea to add."))
        return redirect("pilots:ideas", slug=pilot.slug)
    query = clean_search(request.GET.get("q", ""))
    linked = list(pilot.source_ideas.order_by("pk"))
    results = []
    if query:
        found = idea_search(public_ideas().select_related("theme"), query).exclude(
            pk__in=[i.pk for i in linked]
        )
        results = list(found[:SEARCH_RESULTS])
    context = {"pilot": pilot, "linked": linked, "query": query, "results": results, "searched": bool(query)}
    return render(request, "pilots/pilot_ideas.html", context)
