"""Reads of the strategy that span models: the edition page, the review, the diff."""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from . import diff
from .models import Section, SectionVersion, StrategyEdition, Suggestion


def current_edition() -> StrategyEdition | None:
    return StrategyEdition.objects.published().order_by("-year").first()


def running_edition() -> StrategyEdition | None:
    """The update that is not published yet (there is at most one in practice)."""
    return StrategyEdition.objects.filter(published_at__isnull=True).order_by("-year").first()


def edition_sections(*, edition: StrategyEdition, with_suggestions: bool, user=None) -> list[Section]:
    """The sections in order; with the suggestions `user` may see (and recommendations) when asked."""
    sections: QuerySet[Section] = edition.sections.select_related("measure")
    if with_suggestions:
        sections = sections.prefetch_related(
            Prefetch(
                "suggestions",
                queryset=Suggestion.objects.visible_to(user).select_related(
                    "author", "recommendation", "recommendation__by"
                ),
                to_attr="suggestion_list",
            )
        )
    return list(sections)


def edition_history() -> list[StrategyEdition]:
    """Every edition, newest first, with the number of suggestions taken up in it."""
    return list(
        StrategyEdition.objects.annotate(
            accepted_count=Count(
                "suggestions",
                filter=Q(
                    suggestions__status__in=[Suggestion.Status.ACCEPTED, Suggestion.Status.ACCEPTED_CHANGED],
                    suggestions__hidden=False,
                ),
            )
        ).order_by("-year")
    )


def section_versions(*, section: Section) -> list[SectionVersion]:
    """The versions, newest first; a version made from a since hidden suggestion names none."""
    return list(
        section.versions.select_related("created_by")
        .prefetch_related(Prefetch("suggestion", queryset=Suggestion.objects.public()))
        .order_by("-number")
    )


def review_suggestions(*, edition: StrategyEdition, theme: str, with_hidden: bool) -> list[Suggestion]:
    """The suggestions on a group's sections; the hidden ones only for who may show them again."""
    suggestions = edition.suggestions.filter(section__theme=theme)
    if not with_hidden:
        suggestions = suggestions.public()
    return list(
        suggestions.select_related("author", "section", "recommendation").order_by(
            "section__position", "created_at"
        )
    )


def decision_queue(*, edition: StrategyEdition, with_hidden: bool = False) -> list[Suggestion]:
    """The proposed changes; hidden ones wait for no decision and are listed only when asked."""
    suggestions = edition.suggestions.changes()
    if not with_hidden:
        suggestions = suggestions.public()
    return list(
        suggestions.select_related("author", "section", "recommendation", "recommendation__by").order_by(
            "hidden", "status", "section__position", "created_at"
        )
    )


def edition_comments(*, edition: StrategyEdition) -> list[Suggestion]:
    """The comments on an edition (hidden ones too), for the team's workspace."""
    return list(
        edition.suggestions.filter(kind=Suggestion.Kind.COMMENT)
        .select_related("author", "section")
        .order_by("hidden", "section__position", "created_at")
    )


# --- The diff ------------------------------------------------------------------------------


@dataclass
class SectionDiff:
    key: str
    old: Section | None
    new: Section | None
    title: diff.TextDiff | None = None
    body: diff.TextDiff | None = None
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return (
            "changed"
            if (self.body and self.body.changed) or (self.title and self.title.changed)
            else "unchanged"
        )

    @property
    def section(self) -> Section:
        return self.new or self.old  # type: ignore[return-value]


def _attribute(changes: list[diff.Change], suggestions: list[Suggestion]) -> None:
    """Link each change to the accepted suggestion whose own change it contains.

    A suggestion's own change is the diff of its passage and the accepted wording; the words
    it inserted (or, for a deletion, deleted) are looked for in each change of the editions'
    diff, which may be larger (neighbouring edits separated by a space are one change).
    """
    own = {s.pk: diff.diff_texts(s.quote, s.final_text).changes for s in suggestions}
    for change in changes:
        inserted, deleted = _core(change.inserted), _core(change.deleted)
        for suggestion in suggestions:
            for part in own[suggestion.pk]:
                added, removed = _core(part.inserted), _core(part.deleted)
                if (added and added in inserted) or (not added and removed and removed in deleted):
                    change.suggestion = suggestion
                    break
            if change.suggestion is not None:
                break


def _core(text: str) -> str:
    # The diff works on words with their punctuation ("Stelle."), a suggestion on a selection.
    return " ".join(text.split()).strip(" .,;:!?")


def _diff(old: str, new: str, *, anchor: str) -> diff.TextDiff:
    """`diff.diff_texts`, kept in the cache under a hash of its input (so never stale): the
    diff of two long editions costs tens of milliseconds, and their texts rarely change."""
    digest = hashlib.sha256("\x00".join([get_language() or "", anchor, old, new]).encode()).hexdigest()
    key = f"strategy:diff:{digest}"
    result = cache.get(key)
    if result is None:
        result = diff.diff_texts(old, new, anchor=anchor)
        cache.set(key, result, 60 * 60 * 24)
    return result


def compare_editions(*, old: StrategyEdition, new: StrategyEdition) -> list[SectionDiff]:
    """The two editions' sections paired by key, in the newer edition's order, each diffed.

    Changes are linked to the suggestions accepted in the editions after `old` up to `new`.
    Three queries, whatever the size of the editions.
    """
    if old.year > new.year:
        old, new = new, old
    old_sections = {s.key: s for s in old.sections.all()}
    new_sections = list(new.sections.all())
    accepted: dict[str, list[Suggestion]] = {}
    suggestions = Suggestion.objects.filter(
        edition__year__gt=old.year,
        edition__year__lte=new.year,
        status__in=[Suggestion.Status.ACCEPTED, Suggestion.Status.ACCEPTED_CHANGED],
        hidden=False,
    ).select_related("section", "edition")
    for suggestion in suggestions:
        accepted.setdefault(suggestion.section.key, []).append(suggestion)
    result = []
    for section in new_sections:
        before = old_sections.pop(section.key, None)
        item = SectionDiff(
            key=section.key, old=before, new=section, suggestions=accepted.get(section.key, [])
        )
        item.title = diff.diff_texts(
            before.title_de if before else "", section.title_de, anchor=f"{section.key}-t"
        )
        item.body = _diff(before.body_de if before else "", section.body_de, anchor=section.key)
        _attribute(item.body.changes, item.suggestions)
        result.append(item)
    for key, before in old_sections.items():
        item = SectionDiff(key=key, old=before, new=None)
        item.title = _diff(before.title_de, "", anchor=f"{key}-t")
        item.body = _diff(before.body_de, "", anchor=key)
        result.append(item)
    return result
