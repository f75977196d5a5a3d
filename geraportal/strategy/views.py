from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import EditionForm
from .models import StrategyEdition, StrategyReminder
from .reminders import current_due


@permission_required("strategy.manage", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff(request):
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
