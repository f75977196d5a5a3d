"""An accessible word diff between two texts.

Insertions and deletions are marked by more than colour: `<ins>`/`<del>` (which screen readers
can announce), a visually hidden "inserted:"/"deleted:" before each, and a strike-through and
underline from the style sheet. Every change is also returned as data, so the page can list
the changes as plain sentences (the text alternative) and link each to its suggestion.
Pure functions, no database.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class Change:
    number: int
    deleted: str
    inserted: str
    # Filled in by the caller: the suggestion behind the change, if one is known.
    suggestion: object = None

    @property
    def kind(self) -> str:
        if self.deleted and self.inserted:
            return "replace"
        return "insert" if self.inserted else "delete"


@dataclass
class TextDiff:
    html: SafeString
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall((text or "").replace("\r\n", "\n"))


def _mark(tag: str, label: str, text: str, number: int) -> str:
    return (
        f'<{tag} id="change-{{anchor}}-{number}"><span class="visually-hidden">{escape(label)} </span>'
        f"{escape(text)}</{tag}>"
    )


def _merged(opcodes, a: list[str]):
    """Join two changes separated only by spacing into one ("Eine Insel" → "Zwei Inseln")."""
    result: list[list] = []
    for op, i1, i2, j1, j2 in opcodes:
        if (
            op != "equal"
            and len(result) >= 2
            and result[-1][0] == "equal"
            and not "".join(a[result[-1][1] : result[-1][2]]).strip()
            and result[-2][0] != "equal"
        ):
            result.pop()
            previous = result.pop()
            result.append(["replace", previous[1], i2, previous[3], j2])
            continue
        result.append([op, i1, i2, j1, j2])
    return result


def _opcodes(old: str, new: str) -> list[tuple[str, str, str]]:
    """(op, old text, new text) word by word, compared paragraph by paragraph first.

    Comparing whole texts word by word is quadratic in the worst case (long texts with many
    repeated words); pairing the lines first leaves the word diff only the lines that changed.
    """
    a_lines, b_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    result: list[tuple[str, str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a_lines, b_lines, autojunk=False).get_opcodes():
        a_text, b_text = "".join(a_lines[i1:i2]), "".join(b_lines[j1:j2])
        if op != "replace":
            result.append((op, a_text, b_text))
            continue
        a, b = _tokens(a_text), _tokens(b_text)
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        for word_op, k1, k2, l1, l2 in _merged(matcher.get_opcodes(), a):
            result.append((word_op, "".join(a[k1:k2]), "".join(b[l1:l2])))
    return result


def diff_texts(old: str, new: str, *, anchor: str = "") -> TextDiff:
    """The diff of `old` → `new` word by word, as marked-up HTML and as a list of changes."""
    old, new = (old or "").replace("\r\n", "\n"), (new or "").replace("\r\n", "\n")
    if old == new:
        return TextDiff(html=escape(new))
    parts: list[str] = []
    changes: list[Change] = []
    inserted_label, deleted_label = _("inserted:"), _("deleted:")
    for op, deleted, inserted in _opcodes(old, new):
        if op == "equal":
            parts.append(escape(deleted))
            continue
        if not deleted.strip() and not inserted.strip():
            parts.append(escape(inserted))  # only spacing changed: not worth a mark
            continue
        change = Change(number=len(changes) + 1, deleted=deleted, inserted=inserted)
        changes.append(change)
        if change.deleted:
            parts.append(
                _mark("del", deleted_label, change.deleted, change.number).replace("{anchor}", anchor)
            )
        if change.inserted:
            # The id goes on the first mark of a change only.
            mark = _mark("ins", inserted_label, change.inserted, change.number).replace("{anchor}", anchor)
            if change.deleted:
                mark = mark.replace(f' id="change-{anchor}-{change.number}"', "", 1)
            parts.append(mark)
    return TextDiff(html=mark_safe("".join(parts)), changes=changes)  # noqa: S308 - every piece escaped
