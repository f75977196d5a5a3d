"""How a working group's discussion thread points at an idea (see `workgroups.references`).

A member pastes an idea's address; the thread stores ("idea", pk). Which ideas the reader
sees is decided here, by `Idea.objects.visible_to`, like everywhere else.
"""

from collections.abc import Iterable

from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from workgroups import references

from .models import Idea

# The address forms of one idea in ideas/urls.py: "/ideas/42/" and "/ideas/42-some-title/".
DETAIL_VIEWS = {"ideas:detail", "ideas:detail_short"}
# ThreadReference.object_id is a PositiveBigIntegerField: larger numbers are no idea of ours.
MAX_ID = 2**63 - 1


def parse_url(path: str) -> int | None:
    """The idea's id for the path of an idea's page, else None."""
    if not path.endswith("/"):
        path += "/"  # "/ideas/42" is the same page, Django would redirect to it (APPEND_SLASH)
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name not in DETAIL_VIEWS:
        return None
    pk = match.kwargs["pk"]
    return pk if 0 < pk <= MAX_ID else None


def describe(ids: Iterable[int], user) -> dict[int, references.Target]:
    """Title and address of the ideas among `ids` that `user` may see (one query)."""
    wanted = {i for i in ids if 0 < i <= MAX_ID}
    if not wanted:
        return {}
    ideas = Idea.objects.visible_to(user).filter(pk__in=wanted).only("pk", "title")
    return {idea.pk: references.Target(title=idea.title, url=idea.get_absolute_url()) for idea in ideas}


KIND = references.Kind(name="idea", label=_("Idea"), parse_url=parse_url, describe=describe)
