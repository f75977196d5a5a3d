"""The staff dashboard (`/staff/beteiligung/`) and the public summary (`/participation/`).

Both show the same figures for a period; the public one counts only what visitors may see
(see `selectors`). Each figure is a chart, its table and a CSV of exactly that table.
"""

import csv
import io
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from geraportal.core.access import require_perm
from geraportal.core.pagecache import shared_per_content_version
from geraportal.core.spreadsheet import safe_cell

from . import selectors
from .forms import PeriodForm


def _form(request) -> PeriodForm:
    bound = "from" in request.GET or "to" in request.GET
    return PeriodForm(request.GET if bound else None)


def _page(request, *, public: bool, template: str, csv_url_name: str) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(request, template, {"form": form, "figures": []}, status=400)
    period = form.period()
    query = urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()})

    def figures() -> list[dict]:
        return [
            {
                "figure": figure,
                "rows": figure.display_rows(),
                "chart": figure.chart_data(),
                "chart_id": f"chart-{figure.key}",
                "csv": f"{reverse(csv_url_name, kwargs={'key': figure.key})}?{query}",
            }
            for figure in selectors.dashboard_figures(period=period, public=public)
        ]

    if public:
        # The same for every visitor: computed once per content version, not per logged-in request
        # (about 20 aggregate queries and 150 ms at city scale). Labels are in the page's language.
        name = f"participation:{translation.get_language()}:{period.start}:{period.end}"
        shown = shared_per_content_version(name, figures)
    else:
        shown = figures()
    return render(request, template, {"form": form, "figures": shown, "period": period})


def _csv(request, key: str, *, public: bool) -> HttpResponse:
    if key not in selectors.SELECTORS:
        raise Http404
    form = _form(request)
    if form.is_bound and not form.is_valid():
        errors = "\n".join(str(e) for field in form.errors.values() for e in field)
        return HttpResponse(errors + "\n", status=400, content_type="text/plain; charset=utf-8")
    period = form.period()
    figure = selectors.dashboard_figure(key=key, period=period, public=public)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(buffer)
    for row in figure.csv_rows():
        writer.writerow([safe_cell(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"{'beteiligung' if public else 'dashboard'}-{key}-{period.start}-{period.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def staff_dashboard(request):
    require_perm(request, "dashboard.view_dashboard")
    return _page(
        request, public=False, template="dashboard/staff_dashboard.html", csv_url_name="staff:dashboard_csv"
    )


@require_safe
def staff_dashboard_csv(request, key: str):
    require_perm(request, "dashboard.view_dashboard")
    return _csv(request, key, public=False)


@require_safe
def summary(request):
    return _page(
        request, public=True, template="dashboard/summary.html", csv_url_name="dashboard:summary_csv"
    )


@require_safe
def summary_csv(request, key: str):
    return _csv(request, key, public=True)
