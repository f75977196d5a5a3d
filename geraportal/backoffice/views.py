"""Administration in the back-office: staff roles, the audit log, the districts table."""

import csv
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from geraportal.accounts import roles
from geraportal.accounts.models import User
from geraportal.core.access import require_perm
from geraportal.core.models import StaffAction
from geraportal.core.spreadsheet import safe_cell
from geraportal.districts.models import District
from geraportal.districts.services import district_save

from . import services
from .forms import DistrictForm, RoleGrantForm

# The roles administrators manage here, by the key in their address.
ROLE_KEYS = {"team": roles.SMARTCITY_TEAM, "strategy": roles.STRATEGY_GROUP}


def _role(key: str) -> str:
    if key not in ROLE_KEYS:
        raise Http404
    return ROLE_KEYS[key]


@require_http_methods(["GET", "HEAD", "POST"])
def role_list(request, key: str | None = None):
    require_perm(request, "accounts.change_roles")
    posted = _role(key) if key else None
    sections = []
    for role_key, role in ROLE_KEYS.items():
        data = request.POST if request.method == "POST" and role == posted else None
        form = RoleGrantForm(data, role=role, prefix=role_key)
        if data is not None and form.is_valid():
            person = form.cleaned_data["email"]
            try:
                services.role_set(user=person, role=role, granted=True, by=request.user)
            except services.RoleError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s now belongs to the %(role)s and has been told.")
                    % {"name": person.public_name, "role": services.role_label(role)},
                )
                return redirect("staff:roles")
        people = User.objects.filter(groups__name=role).order_by("display_name", "email")
        sections.append({"key": role_key, "label": services.role_label(role), "people": people, "form": form})
    return render(request, "staff/roles.html", {"sections": sections})


@require_POST
def role_remove(request, key: str, pk: int):
    require_perm(request, "accounts.change_roles")
    role = _role(key)
    person = get_object_or_404(User, pk=pk)
    if services.role_set(user=person, role=role, granted=False, by=request.user):
        messages.success(
            request,
            _("%(name)s no longer belongs to the %(role)s and has been told.")
            % {"name": person.public_name, "role": services.role_label(role)},
        )
    return redirect("staff:roles")


def _audit_rows(request):
    rows = StaffAction.objects.all()
    action = request.GET.get("action", "").strip()[:80]
    if action:
        rows = rows.filter(action=action)
    return rows, action


@require_safe
def audit_log(request):
    require_perm(request, "core.view_staffaction")
    rows, action = _audit_rows(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    actions = StaffAction.objects.order_by("action").values_list("action", flat=True).distinct()
    query = urlencode({"action": action}) if action else ""
    context = {"page": page, "rows": page.object_list, "action": action, "actions": actions, "query": query}
    return render(request, "staff/audit_log.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_safe
def audit_log_csv(request):
    """The whole log as CSV, streamed row by row (the log grows without end)."""
    require_perm(request, "core.view_staffaction")
    rows, _action = _audit_rows(request)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(
            ["when", "who", "what", "object_type", "object_id", "summary", "before", "after"]
        )
        for row in rows.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    safe_cell(timezone.localtime(row.created_at).isoformat()),
                    safe_cell(row.actor_name),
                    safe_cell(row.action),
                    safe_cell(row.object_type),
                    safe_cell(row.object_id),
                    safe_cell(row.summary),
                    safe_cell(_json(row.before)),
                    safe_cell(_json(row.after)),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


@require_safe
def district_list(request):
    require_perm(request, "districts.change_district")
    districts = District.objects.select_related("parent").order_by("name")
    return render(request, "staff/district_list.html", {"districts": districts})


@require_http_methods(["GET", "HEAD", "POST"])
def district_edit(request, pk: int | None = None):
    require_perm(request, "districts.add_district" if pk is None else "districts.change_district")
    district = get_object_or_404(District, pk=pk) if pk else District()
    form = DistrictForm(request.POST or None, instance=district)
    if request.method == "POST" and form.is_valid():
        district_save(district=form.instance, by=request.user)
        messages.success(request, _("The district “%(name)s” has been saved.") % {"name": form.instance.name})
        return redirect("staff:district_list")
    return render(request, "staff/district_form.html", {"form": form, "district": district if pk else None})
