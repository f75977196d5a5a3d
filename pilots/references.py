"""How a working group's discussion thread points at a pilot project (see `workgroups.references`).

A member pastes a pilot's address; the thread stores ("pilot", pk). Which pilots the reader
sees is decided here, by `Pilot.objects.visible_to`, like everywhere else.
"""

from collections.abc import Iterable

from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from workgroups import references

from .models import Pilot

# The address of one pilot in pilots/urls.py: "/pilots/<slug>/".
DETAIL_VIEW = "pilots:detail"
# ThreadReference.object_id is a PositiveBigIntegerField: larger numbers are no pilot of ours.
MAX_ID = 2**63 - 1


def parse_url(path: str) -> int | None:
    """The pilot's id for the path of a pilot's page, else None.

    A pilot's address carries its slug, so this looks the id up (one query, only when a
    member links something). Drafts are found too: a group discusses its own drafts; who
    may see the link is decided by `describe` when the thread is read.
    """
    if not path.endswith("/"):
        path += "/"  # "/pilots/x" is the same page, Django would redirect to it (APPEND_SLASH)
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name != DETAIL_VIEW:
        return None
    return Pilot.objects.filter(slug=match.kwargs["slug"]).values_list("pk", flat=True).first()


def describe(ids: Iterable[int], user) -> dict[int, references.Target]:
    """Title and address of the pilots among `ids` that `user` may see (one query)."""
    wanted = {i for i in ids if 0 < i <= MAX_ID}
    if not wanted:
        return {}
    pilots = Pilot.objects.visible_to(user).filter(pk__in=wanted).only("pk", "title", "slug")
    return {pilot.pk: references.Target(title=pilot.title, url=pilot.get_absolute_url()) for pilot in pilots}


KIND = references.Kind(name="pilot", label=_("Pilot project"), parse_url=parse_url, describe=describe)
