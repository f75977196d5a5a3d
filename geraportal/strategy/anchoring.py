"""Where a quoted passage is in a section's text, now that the text may have changed.

A proposed change is anchored the way web annotations are (W3C "TextQuoteSelector"): by the
exact passage plus a little text before and after it, and a position as a hint. Positions
alone break with the first edit before the passage; the quote alone is ambiguous when the
same words appear twice. Pure functions, no database.
"""

import re
from dataclasses import dataclass

from .models import CONTEXT_CHARS


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str
    suffix: str
    position: int


def normalise(text: str) -> str:
    """Line endings as the database stores them; what a browser selection turns into spaces."""
    return (text or "").replace("\r\n", "\n").replace("\xa0", " ")


def _occurrences(text: str, quote: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(quote), text)]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def locate(
    text: str, quote: str, *, prefix: str = "", suffix: str = "", hint: int | None = None
) -> Anchor | None:
    """The anchor of `quote` in `text`, or None if the passage is not there (any more).

    With several occurrences, the one whose surroundings match `prefix`/`suffix` best wins;
    then the one closest to `hint`.
    """
    text, quote = normalise(text), normalise(quote).strip()
    if not quote:
        return None
    found = _occurrences(text, quote)
    if not found:
        # A selection in the browser collapses line breaks and runs of spaces.
        pattern = r"\s+".join(re.escape(word) for word in quote.split())
        matches = list(re.finditer(pattern, text))
        if not matches:
            return None
        found = [m.start() for m in matches]
        lengths = {m.start(): m.end() - m.start() for m in matches}
    else:
        lengths = dict.fromkeys(found, len(quote))

    def score(start: int) -> tuple[int, int]:
        end = start + lengths[start]
        context = _common_suffix(text[:start], prefix) + _common_prefix(text[end:], suffix)
        distance = abs(start - hint) if hint is not None else 0
        return (-context, distance)

    start = min(found, key=score)
    end = start + lengths[start]
    return Anchor(
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        position=start,
    )


def replace(text: str, anchor: Anchor, replacement: str) -> str:
    """`text` with the anchored passage replaced (the anchor must come from `locate(text, ...)`)."""
    text = normalise(text)
    return text[: anchor.position] + normalise(replacement) + text[anchor.position + len(anchor.quote) :]
