"""The working groups' fragments, through `core.fragments`.

The fingerprint names every value the template reads; a test changes each of them and looks at
the page (tests/workgroups/test_fragments.py).
"""

from collections.abc import Sequence

from django.utils.safestring import SafeString

from geraportal.core.fragments import render_each

from .models import Thread, WorkingGroup

THREAD_ITEMS = "workgroups/includes/thread_items.html"


def _thread_shown(thread: Thread) -> tuple:
    return (
        thread.pk,
        thread.title,
        thread.pinned_at,
        thread.visibility,
        thread.locked_at,
        thread.hidden_at,
        thread.last_post_at,
        getattr(thread, "post_count", 0),  # annotated by `selectors.threads_for`
        getattr(thread, "unread_count", 0),  # for members
    )


def _threads_fingerprint(item: tuple[WorkingGroup, tuple[Thread, ...]]) -> tuple:
    group, threads = item
    return (group.slug, tuple(_thread_shown(thread) for thread in threads))


def thread_items(group: WorkingGroup, threads: Sequence[Thread]) -> SafeString:
    """A list of the group's threads (with post counts and, for members, unread counts), as one
    fragment: ten dates, links and counts were a third of the group page's rendering (issue 16)."""
    (html,) = render_each(
        THREAD_ITEMS,
        [(group, tuple(threads))],
        context=lambda item: {"group": item[0], "threads": item[1]},
        fingerprint=_threads_fingerprint,
    )
    return html
