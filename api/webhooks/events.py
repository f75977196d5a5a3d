"""Which recorded events go out as webhooks, and what their payload says.

Each app records its events once (`notify()` in its services); the fan-out task hands every
event whose key prefix is listed here to `on_event`, which builds the payload from the
object as the public API shows it — read again through the owning app's public queryset
for an anonymous visitor, so a hidden idea or a draft pilot never goes out — and writes one
delivery per subscribed endpoint.

The payload: `{"id", "event", "occurred_at", "url", "data"}`; `id` is the same for every
endpoint (receivers may use it to drop duplicates), `data` what `/api/v1/` shows.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from api import serializers
from geraportal.notifications.rendering import absolute_url
from geraportal.strategy.models import StrategyEdition
from ideas.models import Idea
from pilots import selectors as pilot_selectors
from pilots.models import Pilot, PilotStatusChange, PilotUpdate
from plenary import services as plenary_services
from plenary.models import Poll, PollOption

ANONYMOUS = AnonymousUser()

IDEA_PUBLISHED = "idea.published"
PILOT_STATUS_CHANGED = "pilot.status_changed"
PILOT_UPDATE_PUBLISHED = "pilot.update_published"
POLL_RESULT_PUBLISHED = "poll.result_published"
STRATEGY_EDITION_PUBLISHED = "strategy.edition_published"
PING = "ping"

# The events staff may choose, in this order on the form.
EVENTS: dict[str, Promise] = {
    IDEA_PUBLISHED: _("An idea was published"),
    PILOT_STATUS_CHANGED: _("A pilot project's status changed"),
    PILOT_UPDATE_PUBLISHED: _("A pilot project published a progress update"),
    POLL_RESULT_PUBLISHED: _("A poll's result was published"),
    STRATEGY_EDITION_PUBLISHED: _("A strategy edition was published"),
}


class _SiteRequest:
    """Enough of a request for the API's serializers: absolute addresses from SITE_URL."""

    def build_absolute_uri(self, path: str) -> str:
        return absolute_url(path)


def _context() -> dict[str, Any]:
    return {"request": _SiteRequest()}


def _idea(pk: int) -> tuple[str, dict] | None:
    idea = (
        Idea.objects.visible_to(ANONYMOUS)
        .select_related("theme", "district", "competition", "merged_into")
        .filter(pk=pk)
        .first()
    )
    if idea is None:
        return None
    return idea.get_absolute_url(), {"idea": serializers.IdeaSerializer(idea, context=_context()).data}


def _public_pilot(pk: int) -> Pilot | None:
    return (
        pilot_selectors.pilot_list(user=ANONYMOUS, filters=pilot_selectors.PilotFilters())
        .filter(pk=pk)
        .first()
    )


def _pilot_status(pk: int) -> tuple[str, dict] | None:
    change = PilotStatusChange.objects.filter(pk=pk).exclude(to_status=Pilot.Status.DRAFT).first()
    pilot = _public_pilot(change.pilot_id) if change is not None else None
    if change is None or pilot is None:
        return None
    return pilot.get_absolute_url(), {
        "pilot": serializers.PilotSerializer(pilot, context=_context()).data,
        "status_change": serializers.PilotStatusChangeSerializer(change).data,
    }


def _pilot_update(pk: int) -> tuple[str, dict] | None:
    update = PilotUpdate.objects.filter(pk=pk).first()
    pilot = _public_pilot(update.pilot_id) if update is not None else None
    if update is None or pilot is None:
        return None
    update.pilot = pilot
    return update.get_absolute_url(), {
        "pilot": serializers.PilotSerializer(pilot, context=_context()).data,
        "update": serializers.PilotUpdateSerializer(update, context=_context()).data,
    }


def _poll_result(pk: int) -> tuple[str, dict] | None:
    poll = (
        Poll.objects.visible_to(ANONYMOUS)
        .filter(pk=pk, status=Poll.Status.PUBLISHED)
        .select_related("meeting")
        .prefetch_related(
            Prefetch("options", queryset=PollOption.objects.select_related("pilot"), to_attr="option_list")
        )
        .first()
    )
    if poll is None:
        return None
    poll.result = plenary_services.poll_result(poll=poll).as_dict()
    return poll.get_absolute_url(), {"poll": serializers.PollDetailSerializer(poll, context=_context()).data}


def _strategy_edition(pk: int) -> tuple[str, dict] | None:
    edition = StrategyEdition.objects.published().filter(pk=pk).first()
    if edition is None:
        return None
    return edition.get_absolute_url(), {
        "edition": serializers.StrategyEditionSerializer(edition, context=_context()).data
    }


@dataclass(frozen=True)
class Source:
    event: str
    build: Callable[[int], tuple[str, dict] | None]


# Event-key prefix (chosen by the owning app's `notify()`) → the webhook event.
PREFIXES: dict[str, Source] = {
    "ideas.published": Source(IDEA_PUBLISHED, _idea),
    "pilots.status": Source(PILOT_STATUS_CHANGED, _pilot_status),
    "pilots.update": Source(PILOT_UPDATE_PUBLISHED, _pilot_update),
    "plenary.poll_published": Source(POLL_RESULT_PUBLISHED, _poll_result),
    "strategy.published": Source(STRATEGY_EDITION_PUBLISHED, _strategy_edition),
}


def payload(*, event: str, event_id: str, occurred_at, url: str, data: dict) -> str:
    """The body as sent and signed: compact JSON, UTF-8, keys in a stable order."""
    document = {
        "id": event_id,
        "event": event,
        "occurred_at": timezone.localtime(occurred_at).isoformat(),
        "url": absolute_url(url),
        "data": data,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


def build(event_key: str, occurred_at) -> tuple[str, str] | None:
    """(event name, body) for a recorded event, or None if it is not (or no longer) public."""
    prefix, _sep, rest = event_key.partition(":")
    source = PREFIXES.get(prefix)
    if source is None:
        return None
    try:
        pk = int(rest.split(":", 1)[0])
    except ValueError:
        return None
    # Labels (status names) in the portal's first language, whoever's request caused the event.
    with translation.override(settings.LANGUAGE_CODE):
        built = source.build(pk)
        if built is None:
            return None
        url, data = built
        return source.event, payload(
            event=source.event, event_id=event_key, occurred_at=occurred_at, url=url, data=data
        )


def on_event(event) -> None:
    """The notifications listener: one delivery per endpoint that wants this event."""
    from .services import deliveries_create

    built = build(event.event_key, event.created_at)
    if built is None:
        return
    name, body = built
    deliveries_create(event=name, event_key=event.event_key, body=body)
