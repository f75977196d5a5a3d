"""The working groups in the back-office: their texts; members, moderators and invitations are
managed on each group's members page, which the list links to."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from geraportal.core.access import require_perm

from . import services
from .models import JoinRequest, Membership, WorkingGroup


class GroupTextsForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name_de", "name_en", "description_de", "description_en"]
        widgets = {
            "description_de": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }


@require_safe
def group_list(request):
    require_perm(request, "workgroups.change_workinggroup")
    groups = WorkingGroup.objects.annotate(
        member_count=Count("memberships", distinct=True),
        moderator_count=Count(
            "memberships", filter=Q(memberships__role=Membership.Role.MODERATOR), distinct=True
        ),
        pending=Count(
            "join_requests", filter=Q(join_requests__status=JoinRequest.Status.PENDING), distinct=True
        ),
    ).order_by("name_de")
    return render(request, "workgroups/staff/group_list.html", {"groups": groups})


@require_http_methods(["GET", "HEAD", "POST"])
def group_texts(request, slug: str):
    group = get_object_or_404(WorkingGroup, slug=slug)
    require_perm(request, "workgroups.change_workinggroup", group)
    form = GroupTextsForm(request.POST or None, instance=WorkingGroup.objects.get(pk=group.pk))
    if request.method == "POST" and form.is_valid():
        services.group_texts_update(group=group, by=request.user, data=form.cleaned_data)
        messages.success(request, _("The texts of the working group have been saved."))
        return redirect("staff:workgroup_list")
    return render(request, "workgroups/staff/group_texts.html", {"form": form, "group": group})
