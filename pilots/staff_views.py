"""The pilots' back-office table: organisations that carry out pilot projects."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from geraportal.core.access import require_perm

from . import services
from .models import Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "website"]


@require_safe
def organisation_list(request):
    require_perm(request, "pilots.change_organisation")
    organisations = Organisation.objects.order_by("name")
    return render(request, "pilots/staff/organisation_list.html", {"organisations": organisations})


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request, pk: int | None = None):
    require_perm(request, "pilots.add_organisation" if pk is None else "pilots.change_organisation")
    organisation = get_object_or_404(Organisation, pk=pk) if pk else Organisation()
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_save(organisation=form.instance, by=request.user)
        messages.success(
            request, _("The organisation “%(name)s” has been saved.") % {"name": form.instance.name}
        )
        return redirect("staff:organisation_list")
    context = {"form": form, "organisation": organisation if pk else None}
    return render(request, "pilots/staff/organisation_form.html", context)
