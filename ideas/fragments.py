"""The ideas' fragments that list pages render many times, through `core.fragments`.

Each fingerprint names every value its template reads; a test changes each of them and
looks at the page (tests/ideas/test_fragments.py).
"""

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page
from django.utils.safestring import SafeString

from geraportal.core.fragments import kept_rendered_page, render_each

from . import selectors
from .models import Comment, Idea

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from geraportal.accounts.models import User

CARD = "ideas/includes/idea_card.html"
COMMENT_TEXT = "ideas/includes/comment_text.html"


def _card_fingerprint(item: tuple[Idea, bool]) -> tuple:
    idea, supported = item
    author = idea.author
    return (
        idea.pk, idea.title, idea.status, idea.hidden, idea.created_at,
        idea.support_count, idea.comment_count, idea.source, idea.on_behalf_of,
        author.public_name if author else None,
        idea.theme.name, idea.district.name if idea.district else None,
        idea.competition.title if idea.competition else None,
        supported,
    )  # fmt: skip


def idea_cards(ideas: Sequence[Idea], *, supported_ids: Collection[int]) -> list[SafeString]:
    """One card per idea, in order (with "you support it" where the viewer does)."""
    return render_each(
        CARD,
        [(idea, idea.pk in supported_ids) for idea in ideas],
        context=lambda item: {"idea": item[0], "supported": item[1]},
        fingerprint=_card_fingerprint,
    )


def list_page_cards(
    page: Page, *, key: str, reference: dict[str, dict[str, Any]], user: "User | AnonymousUser"
) -> list[SafeString]:
    """The cards of a list or search page (`key` names its rows and their order).

    Each card is kept with the page (`kept_page`) twice, as it is for a viewer who does not
    support the idea and for one who does ("you support it"): everyone who sees the same rows
    gets their cards from one cache read, without the ideas' rows and the fragment cache's keys
    (together ~1.3 ms of the page, issue 16).
    """

    def build(rows: list[Idea]) -> list[tuple[int, SafeString, SafeString]]:
        ideas = selectors.with_reference(rows, reference)
        pks = [idea.pk for idea in ideas]
        plain = idea_cards(ideas, supported_ids=())
        supported = idea_cards(ideas, supported_ids=pks)
        return list(zip(pks, plain, supported, strict=True))

    kept = kept_rendered_page(page, key=key, template_name=CARD, build=build)
    theirs = selectors.supported_idea_ids(user=user, ideas=[pk for pk, _, _ in kept])
    return [supported if pk in theirs else plain for pk, plain, supported in kept]


def _comment_fingerprint(item: tuple[Comment, bool]) -> tuple:
    comment, is_reply = item
    event = comment.source_event
    return (
        comment.pk, is_reply, comment.author.public_name if comment.author else None,
        comment.author_id, comment.entered_by_id, comment.on_behalf_of, comment.source,
        comment.source_date, event.title if event else None,
        comment.created_at, comment.edited_at, comment.hidden, comment.hidden_reason,
        comment.show_body, comment.body_html,
    )  # fmt: skip


def comment_texts(comments: Sequence[Comment], *, is_reply: bool = False) -> list[SafeString]:
    """Who wrote each comment and when, and its text (the part every viewer sees alike)."""
    return render_each(
        COMMENT_TEXT,
        [(comment, is_reply) for comment in comments],
        context=lambda item: {"comment": item[0], "is_reply": item[1]},
        fingerprint=_comment_fingerprint,
    )
