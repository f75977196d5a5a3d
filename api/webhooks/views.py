"""Webhooks in the back-office: endpoints, their secret, test events and recent deliveries.

The secret is shown once, in the answer to the POST that made it (creating or rotating),
never again and never through a redirect or the session; staff pages are `no-store`.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from geraportal.core.access import require_perm

from . import events, selectors, services
from .forms import EndpointForm
from .models import Endpoint

PERM = "webhooks.manage"


def _show_secret(request, endpoint: Endpoint, secret: str, *, new: bool):
    response = render(
        request, "webhooks/staff/secret.html", {"endpoint": endpoint, "secret": secret, "new": new}
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _label_events(endpoint: Endpoint) -> Endpoint:
    endpoint.event_labels = [events.EVENTS.get(name, name) for name in endpoint.events]
    return endpoint


@require_safe
def endpoint_list(request):
    require_perm(request, PERM)
    endpoints = list(Endpoint.objects.all())
    for endpoint in endpoints:
        _label_events(endpoint)
    return render(request, "webhooks/staff/endpoint_list.html", {"endpoints": endpoints})


@require_http_methods(["GET", "HEAD", "POST"])
def endpoint_create(request):
    require_perm(request, PERM)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = services.endpoint_create(endpoint=form.instance, by=request.user)
        return _show_secret(request, endpoint, endpoint.secret, new=True)
    return render(request, "webhooks/staff/endpoint_form.html", {"form": form, "endpoint": None})


@require_safe
def endpoint_detail(request, pk: int):
    require_perm(request, PERM)
    endpoint = _label_events(get_object_or_404(Endpoint, pk=pk))
    context = {"endpoint": endpoint, "deliveries": selectors.recent_deliveries(endpoint=endpoint)}
    return render(request, "webhooks/staff/endpoint_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def endpoint_edit(request, pk: int):
    require_perm(request, PERM)
    endpoint = get_object_or_404(Endpoint, pk=pk)
    form = EndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        services.endpoint_update(endpoint=form.instance, by=request.user)
        messages.success(request, _("The webhook has been saved."))
        return redirect("staff:webhook_detail", pk=endpoint.pk)
    return render(request, "webhooks/staff/endpoint_form.html", {"form": form, "endpoint": endpoint})


@require_POST
def endpoint_rotate(request, pk: int):
    require_perm(request, PERM)
    endpoint = get_object_or_404(Endpoint, pk=pk)
    secret = services.endpoint_rotate_secret(endpoint=endpoint, by=request.user)
    return _show_secret(request, endpoint, secret, new=False)


@require_POST
def endpoint_test(request, pk: int):
    require_perm(request, PERM)
    endpoint = get_object_or_404(Endpoint, pk=pk)
    services.endpoint_send_test(endpoint=endpoint, by=request.user)
    messages.success(
        request,
        _("A test event is on its way. Its delivery appears below within a few seconds; reload the page."),
    )
    return redirect("staff:webhook_detail", pk=endpoint.pk)


@require_POST
def endpoint_enable(request, pk: int):
    require_perm(request, PERM)
    endpoint = get_object_or_404(Endpoint, pk=pk)
    services.endpoint_enable(endpoint=endpoint, by=request.user)
    messages.success(request, _("The webhook is active again; waiting events are being sent."))
    return redirect("staff:webhook_detail", pk=endpoint.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def endpoint_delete(request, pk: int):
    require_perm(request, PERM)
    endpoint = get_object_or_404(Endpoint, pk=pk)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint, by=request.user)
        messages.success(request, _("The webhook has been deleted."))
        return redirect("staff:webhook_list")
    return render(request, "webhooks/staff/endpoint_delete.html", {"endpoint": endpoint})
