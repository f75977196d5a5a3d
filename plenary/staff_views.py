"""The plenary's back-office pages (under /staff/): meetings with agendas, draft polls.

Opening (for a secret poll, through the officers' passphrase screen), closing, counting and
publishing happen on the poll's own page, which the staff list links to.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from geraportal.core.access import require_perm

from . import services
from .models import Meeting, Poll
from .staff_forms import AgendaFormSet, MeetingForm, PollForm


@require_safe
def meeting_list(request):
    require_perm(request, "plenary.manage")
    meetings = Meeting.objects.annotate(item_count=Count("agenda_items", distinct=True))
    polls = Poll.objects.select_related("meeting").order_by("-pk")[:50]
    return render(request, "plenary/staff/meeting_list.html", {"meetings": meetings, "polls": polls})


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_edit(request, pk: int | None = None):
    require_perm(request, "plenary.manage")
    meeting = get_object_or_404(Meeting, pk=pk) if pk else Meeting()
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, instance=meeting)
    formset = AgendaFormSet(data, instance=meeting, prefix="agenda")
    if data is not None and form.is_valid() and formset.is_valid():
        agenda = [entry for entry in (f.entry() for f in formset.forms) if entry is not None]
        try:
            meeting = services.meeting_save(meeting=form.instance, agenda=agenda, by=request.user)
        except services.PlenaryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting and its agenda have been saved."))
            return redirect("staff:plenary_meeting_edit", pk=meeting.pk)
    polls = list(meeting.polls.all()) if pk else []
    context = {"form": form, "formset": formset, "meeting": meeting if pk else None, "polls": polls}
    return render(request, "plenary/staff/meeting_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def poll_edit(request, pk: int | None = None):
    require_perm(request, "plenary.manage")
    poll = get_object_or_404(Poll.objects.select_related("meeting"), pk=pk) if pk else Poll()
    if pk and poll.status != Poll.Status.DRAFT:
        messages.error(request, _("Only a draft poll can be changed; this one is already open."))
        return redirect(poll)
    meeting = None
    if not pk and request.GET.get("meeting", "").isdigit():
        meeting = Meeting.objects.filter(pk=int(request.GET["meeting"])).first()
    form = PollForm(request.POST or None, instance=poll, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.poll_save(
                poll=form.instance,
                pilots=list(form.cleaned_data["proposals"]),
                groups=form.cleaned_data["eligible_groups"],
                by=request.user,
            )
        except services.PlenaryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The poll is saved as a draft. Open it from its page when it is time.")
            )
            return redirect(poll)
    return render(request, "plenary/staff/poll_form.html", {"form": form, "poll": poll if pk else None})
