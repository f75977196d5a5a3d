"""Reads for the staff pages and the back-office start page."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import ngettext

from geraportal.core.backoffice import Todo

from .models import Delivery, Endpoint


def disabled_todos(user: Any) -> list[Todo]:
    """ "2 webhooks were disabled after failing", for those who may switch them on again."""
    if not user.has_perm("webhooks.manage"):
        return []
    count = Endpoint.objects.filter(is_active=False, disabled_at__isnull=False).count()
    if not count:
        return []
    text = ngettext(
        "%(count)d webhook was disabled after failing for days",
        "%(count)d webhooks were disabled after failing for days",
        count,
    ) % {"count": count}
    return [Todo(text=text, url=reverse("staff:webhook_list"), count=count)]


def recent_deliveries(*, endpoint: Endpoint, limit: int = 50) -> QuerySet[Delivery]:
    return endpoint.deliveries.defer("body").order_by("-created_at", "-pk")[:limit]
