"""Markdown that people write (posts, comments, agendas) rendered to safe HTML.

Markdown turns text into HTML; nh3 then keeps only a small set of tags and attributes,
so whatever HTML someone types (or smuggles through Markdown) cannot run script, load
images from other hosts or style the page.
"""

import re
from functools import lru_cache
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "hr", "del", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


# Browsers drop tabs and newlines anywhere in a URL, strip control characters and spaces at
# its ends, and read "\\" as "/": "/\\evil.example/x" or "/<tab>/evil.example/x" (after the
# HTML entity is decoded) both mean //evil.example/x. No honest address contains them.
_CONFUSING_URL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\\]")


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    # `value` arrives with HTML entities already decoded, as the browser will read it.
    if attribute in ("href", "src") and _CONFUSING_URL_CHARACTERS.search(value):
        return None
    # Images only from our own host (a path): no tracking pixels from elsewhere.
    if element == "img" and attribute == "src":
        is_local_path = (
            value.startswith("/")
            and not value.startswith("//")
            and " " not in value
            and not urlsplit(value).netloc
        )
        return value if is_local_path else None
    return value


def render_markdown(text: str) -> SafeString:
    """Render `text` (Markdown) to sanitised HTML, safe to put into a template as it is."""
    return mark_safe(_render(text or ""))  # noqa: S308 - sanitised by nh3 in _render


@lru_cache(maxsize=256)
def _render(text: str) -> str:
    """The same text always gives the same HTML: a page shown again (an idea's body on every
    view of its page, 0.4 ms) takes it from this process's last 256 texts."""
    html = markdown_lib.markdown(text, extensions=["sane_lists", "nl2br"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        attribute_filter=_keep_attribute,
        strip_comments=True,
    )
