"""Markdown that citizens type, cleaned on the way in (rendering cleans again on the way out)."""

import html

import nh3

MAX_BODY = 10_000
MAX_COMMENT = 3_000


def clean_markdown_input(text: str) -> str:
    """Strip every HTML tag (and the content of script/style) from Markdown source.

    We accept Markdown, not HTML: nh3 with no allowed tags removes whatever markup was typed.
    nh3 escapes `<`, `>` and `&` in the remaining text; we turn those back into the characters
    the person typed, so "a < b" stays readable when they edit it. Rendering sanitises again
    (`geraportal.core.markdown.render_markdown`), which is the guarantee for the page.
    """
    text = (text or "").replace("\r\n", "\n").replace("\x00", "")
    cleaned = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}, strip_comments=True)
    return html.unescape(cleaned).strip()


def clean_plain_input(text: str) -> str:
    """One-line text (titles, alt texts): no tags, no control characters, single spaces."""
    text = clean_markdown_input(text)
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch == " ").split())
