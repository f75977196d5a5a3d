from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geraportal.core.access import require_perm

from . import services
from .forms import EditionForm
from .models import StrategyEdition, StrategyReminder
from .reminders import current_due


@require_http_methods(["GET", "HEAD", "POST"])
def staff(request):
    require_perm(request, "strategy.manage")
    form = EditionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        edition = services.edition_save(edition=form.save(commit=False), publish=form.cleaned_data["publish"])
        messages.success(request, _("The edition %(year)s has been saved.") % {"year": edition.year})
        return redirect("strategy:staff")
    today = timezone.localdate()
    due = current_due(today=today)
    return render(
        request,
        "strategy/staff.html",
        {
            "form": form,
            "due": due,
            "days_left": (due - today).days,
            "days_overdue": (today - due).days,
            "editions": StrategyEdition.objects.all(),
            "reminders": StrategyReminder.objects.all()[:50],
        },
    )
