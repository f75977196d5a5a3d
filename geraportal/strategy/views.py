"""The strategy's pages: public (the text, the consultation, the diff, the measures, the
groups' review) and the SMARTCity team's workspace under /staff/strategy/.

Every view asks its permission with `require_perm`; writes go through `services`.
"""

from datetime import timedelta

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from geraportal.core.access import require_perm
from geraportal.core.files import serve_file
from geraportal.core.forms import add_service_errors

from . import groups, measure_page, selectors, services
from .diff import diff_texts
from .forms import (
    ApprovalForm,
    CompareForm,
    CycleDatesForm,
    DecisionForm,
    EditionForm,
    ModerationForm,
    PublishForm,
    RecommendationForm,
    SectionForm,
    SuggestionForm,
)
from .models import Follower, Phase, Section, StrategyEdition, StrategyMeasure, StrategyReminder, Suggestion
from .reminders import current_due
from .rules import GroupReview

PHASES = [
    Phase.DRAFT,
    Phase.CONSULTATION,
    Phase.REVIEW,
    Phase.DECISION,
    Phase.APPROVAL,
    Phase.APPROVED,
    Phase.PUBLISHED,
]


def _edition(year: int) -> StrategyEdition:
    return get_object_or_404(StrategyEdition, year=year)


def _error_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _phase_steps(edition: StrategyEdition) -> list[dict]:
    current = edition.phase()
    index = PHASES.index(current)
    return [
        {"phase": phase, "current": phase == current, "done": i < index} for i, phase in enumerate(PHASES)
    ]


def _is_following(user) -> bool:
    return user.is_authenticated and Follower.objects.filter(user=user).exists()


# --- Public --------------------------------------------------------------------------------


def index(request):
    """The strategy page: the current edition as text, the history, the running update."""
    edition = selectors.current_edition()
    running = selectors.running_edition()
    if running is not None and not request.user.has_perm("strategy.view_edition", running):
        running = None
    return render(
        request,
        "strategy/index.html",
        {
            "edition": edition,
            "sections": selectors.edition_sections(edition=edition, with_suggestions=False)
            if edition
            else [],
            "running": running,
            "history": [e for e in selectors.edition_history() if e.published_at],
            "following": _is_following(request.user),
        },
    )


def edition_detail(request, year: int):
    edition = _edition(year)
    require_perm(request, "strategy.view_edition", edition, hide=True)
    phase = edition.phase()
    sections = selectors.edition_sections(edition=edition, with_suggestions=True, user=request.user)
    for section in sections:
        # Only to show the moderation buttons (the view asks again); the roles are cached.
        section.may_moderate = rules.has_perm(
            "strategy.moderate_suggestion", request.user, GroupReview(edition=edition, theme=section.theme)
        )
    return render(
        request,
        "strategy/edition_detail.html",
        {
            "edition": edition,
            "phase": phase,
            "steps": _phase_steps(edition),
            "sections": sections,
            "may_suggest": request.user.has_perm("strategy.suggest", edition),
            "in_consultation": phase == Phase.CONSULTATION,
            "history": [e for e in selectors.edition_history() if e.published_at or e.pk == edition.pk],
            "following": _is_following(request.user),
            "group_names": dict(groups.choices()),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request, year: int, key: str):
    edition = _edition(year)
    require_perm(request, "strategy.view_edition", edition, hide=True)
    section = get_object_or_404(Section, edition=edition, key=key)
    require_perm(
        request,
        "strategy.suggest",
        edition,
        message=_("Suggestions can be made while the public consultation is open."),
    )
    form = SuggestionForm(request.POST or None, initial={"quote": request.GET.get("passage", "")[:2000]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_submit(
                section=section,
                author=request.user,
                kind=data["kind"],
                text=data["text"],
                quote=data["quote"],
                replacement=data["replacement"],
                prefix_hint=data["prefix"],
                suffix_hint=data["suffix"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your suggestion is published below the section."))
            return redirect(suggestion.get_absolute_url())
    return render(request, "strategy/suggest.html", {"edition": edition, "section": section, "form": form})


def section_history(request, year: int, key: str):
    edition = _edition(year)
    require_perm(request, "strategy.view_edition", edition, hide=True)
    section = get_object_or_404(Section, edition=edition, key=key)
    versions = selectors.section_versions(section=section)
    steps = []
    for newer, older in zip(versions, [*versions[1:], None], strict=False):
        steps.append(
            {
                "version": newer,
                "diff": diff_texts(older.body_de if older else "", newer.body_de, anchor=f"v{newer.number}"),
            }
        )
    return render(
        request, "strategy/section_history.html", {"edition": edition, "section": section, "steps": steps}
    )


def compare(request):
    """Any two editions, section by section (the German, binding text)."""
    editions = [
        e
        for e in StrategyEdition.objects.order_by("year")
        if request.user.has_perm("strategy.view_edition", e)
    ]
    years = [e.year for e in editions]
    if len(years) < 2:
        raise Http404
    initial = {"old": years[-2], "new": years[-1]}
    form = CompareForm(request.GET or None, years=years, initial=initial)
    old_year, new_year = initial["old"], initial["new"]
    if request.GET and form.is_valid():
        old_year, new_year = sorted([form.cleaned_data["old"], form.cleaned_data["new"]])
    by_year = {e.year: e for e in editions}
    old, new = by_year[old_year], by_year[new_year]
    sections = selectors.compare_editions(old=old, new=new) if old != new else []
    return render(
        request,
        "strategy/compare.html",
        {
            "form": form,
            "old": old,
            "new": new,
            "sections": sections,
            "changed": [s for s in sections if s.status != "unchanged"],
            "unchanged": [s for s in sections if s.status == "unchanged"],
        },
    )


def measure(request, key: str):
    measure = get_object_or_404(StrategyMeasure, key=key)
    edition = selectors.current_edition()
    section = edition.sections.filter(measure=measure).first() if edition else None
    return render(
        request,
        "strategy/measure_detail.html",
        {
            "measure": measure,
            "edition": edition,
            "section": section,
            "parts": measure_page.sections.render(measure, request.user),
        },
    )


def review(request, year: int, theme: str):
    """A working group's view of the suggestions on its sections, with its recommendations."""
    edition = _edition(year)
    if theme not in dict(groups.choices()):
        raise Http404
    require_perm(request, "strategy.view_review", GroupReview(edition=edition, theme=theme))
    may_moderate = _may_moderate(request, edition, theme)
    suggestions = selectors.review_suggestions(edition=edition, theme=theme, with_hidden=may_moderate)
    may_recommend = request.user.has_perm("strategy.recommend", GroupReview(edition=edition, theme=theme))
    forms = {}
    if may_recommend:
        for suggestion in suggestions:
            if suggestion.is_change and not suggestion.hidden:
                instance = getattr(suggestion, "recommendation", None)
                forms[suggestion.pk] = RecommendationForm(
                    instance=instance, theme=theme, prefix=f"s{suggestion.pk}"
                )
    items = [{"suggestion": s, "form": forms.get(s.pk)} for s in suggestions]
    return _render_review(request, edition, theme, items, may_recommend=may_recommend)


@require_POST
def recommend(request, year: int, pk: int):
    edition = _edition(year)
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("section", "edition"), pk=pk, edition=edition
    )
    require_perm(request, "strategy.recommend", suggestion)
    theme = suggestion.section.theme
    instance = getattr(suggestion, "recommendation", None)
    form = RecommendationForm(request.POST, instance=instance, theme=theme, prefix=f"s{suggestion.pk}")
    if form.is_valid():
        try:
            services.suggestion_recommend(suggestion=suggestion, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in _error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The group's recommendation has been recorded."))
            return redirect(
                reverse("strategy_public:review", kwargs={"year": year, "theme": theme}) + f"#vorschlag-{pk}"
            )
    suggestions = selectors.review_suggestions(
        edition=edition, theme=theme, with_hidden=_may_moderate(request, edition, theme)
    )
    items = [{"suggestion": s, "form": form if s.pk == suggestion.pk else None} for s in suggestions]
    return _render_review(request, edition, theme, items, may_recommend=True, status=400)


def _may_moderate(request, edition: StrategyEdition, theme: str) -> bool:
    return request.user.has_perm("strategy.moderate_suggestion", GroupReview(edition=edition, theme=theme))


@login_required
@require_POST
def moderate(request, year: int, pk: int):
    """Hide a suggestion (spam, abuse, off topic) or show it again; its author is told why."""
    edition = _edition(year)
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("section", "author", "recommendation"), pk=pk, edition=edition
    )
    require_perm(request, "strategy.moderate_suggestion", suggestion)
    form = ModerationForm(request.POST)
    if form.is_valid():
        hidden = form.cleaned_data["hidden"]
        try:
            services.suggestion_set_hidden(
                suggestion=suggestion, by=request.user, hidden=hidden, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if hidden:
                messages.success(request, _("The suggestion is hidden. Its author has been told the reason."))
            else:
                messages.success(request, _("The suggestion is shown again."))
            return redirect(form.cleaned_data["next"] or edition.get_absolute_url())
    # Bad input: the same form again, with the message and what was typed.
    return render(
        request,
        "strategy/moderate.html",
        {"edition": edition, "suggestion": suggestion, "form": form},
        status=400,
    )


@require_POST
def follow(request):
    require_perm(request, "strategy.follow")
    follow = request.POST.get("follow") == "1"
    services.follow_set(user=request.user, follow=follow)
    if follow:
        messages.success(
            request, _("You follow the strategy: you will hear of consultations, decisions and new editions.")
        )
    else:
        messages.success(request, _("You no longer follow the strategy."))
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/strategy/") or next_url.startswith("//"):
        next_url = reverse("strategy_public:index")
    return redirect(next_url)


# --- Staff ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def staff(request):
    require_perm(request, "strategy.manage")
    form = EditionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        edition = services.edition_create(
            year=form.cleaned_data["year"],
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            by=request.user,
        )
        if form.cleaned_data.get("document"):
            edition.document = form.cleaned_data["document"]
            edition.save(update_fields=["document"])
        messages.success(
            request, _("The edition %(year)s has been created as a draft.") % {"year": edition.year}
        )
        return redirect("strategy:edition", year=edition.year)
    today = timezone.localdate()
    due = current_due(today=today)
    editions = selectors.edition_history()
    for edition in editions:
        edition.current_phase = edition.phase(today)
    return render(
        request,
        "strategy/staff.html",
        {
            "form": form,
            "due": due,
            "days_left": (due - today).days,
            "days_overdue": (today - due).days,
            "editions": editions,
            "reminders": StrategyReminder.objects.all()[:50],
        },
    )


def _workspace(request, edition: StrategyEdition, **extra) -> HttpResponse:
    phase = edition.phase()
    context = {
        "edition": edition,
        "phase": phase,
        "steps": _phase_steps(edition),
        "sections": selectors.edition_sections(edition=edition, with_suggestions=False),
        "queue": [
            {"suggestion": s, "form": DecisionForm(prefix=f"d{s.pk}")}
            for s in selectors.decision_queue(edition=edition, with_hidden=True)
        ],
        "comments": selectors.edition_comments(edition=edition),
        "dates_form": CycleDatesForm(
            initial={
                "consultation_starts": edition.consultation_starts,
                "consultation_ends": edition.consultation_ends,
                "review_ends": edition.review_ends,
                "decision_ends": edition.decision_ends,
            }
            if edition.consultation_starts
            else vars(services.default_dates(year=edition.year))
        ),
        "details_form": EditionForm(instance=edition),
        "publish_form": PublishForm(),
        "may_change": request.user.has_perm("strategy.change_edition", edition),
        "may_decide": request.user.has_perm("strategy.decide_suggestion", edition),
        "may_publish": request.user.has_perm("strategy.publish_edition", edition),
        "groups": groups.choices(),
    }
    context.update(extra)
    return render(request, "strategy/staff_edition.html", context, status=400 if extra else 200)


def staff_edition(request, year: int):
    edition = _edition(year)
    require_perm(request, "strategy.manage")
    return _workspace(request, edition)


@require_POST
def details(request, year: int):
    edition = _edition(year)
    require_perm(request, "strategy.manage")
    form = EditionForm(request.POST, request.FILES, instance=edition)
    if not form.is_valid():
        return _workspace(request, edition, details_form=form)
    form.save()
    messages.success(request, _("The edition's details have been saved."))
    return redirect("strategy:edition", year=year)


@require_POST
def dates(request, year: int):
    edition = _edition(year)
    require_perm(request, "strategy.change_edition", edition)
    form = CycleDatesForm(request.POST)
    if not form.is_valid():
        return _workspace(request, edition, dates_form=form)
    try:
        services.edition_set_dates(
            edition=edition,
            dates=services.CycleDates(**form.cleaned_data),
            today=timezone.localdate(),
            by=request.user,
        )
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The dates of the cycle have been saved."))
    return redirect("strategy:edition", year=year)


@require_POST
def advance(request, year: int):
    edition = _edition(year)
    require_perm(request, "strategy.change_edition", edition)
    try:
        edition = services.edition_advance(edition=edition, today=timezone.localdate(), by=request.user)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("The edition is now in the phase “%(phase)s”.") % {"phase": edition.phase().label}
        )
    return redirect("strategy:edition", year=year)


@require_http_methods(["GET", "HEAD", "POST"])
def section_form(request, year: int, key: str | None = None):
    edition = _edition(year)
    require_perm(request, "strategy.change_edition", edition)
    section = get_object_or_404(Section, edition=edition, key=key) if key else None
    initial = {} if section else {"position": services.next_section_position(edition=edition)}
    form = SectionForm(request.POST or None, instance=section, edition=edition, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.SectionData(
            **{name: form.cleaned_data[name] for name in services.SectionData.__dataclass_fields__}
        )
        try:
            saved = services.section_save(
                edition=edition, data=data, by=request.user, section=section, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            lost = (
                saved.suggestions.public()
                .filter(anchor=Suggestion.Anchor.LOST, status=Suggestion.Status.OPEN)
                .count()
            )
            messages.success(request, _("The section has been saved."))
            if lost:
                messages.warning(
                    request,
                    _(
                        "%(count)s open suggestions refer to a passage that is no longer in the text; they are flagged for the decision."  # noqa: E501
                    )
                    % {"count": lost},
                )
            return redirect(reverse("strategy:edition", kwargs={"year": year}) + f"#abschnitt-{saved.key}")
    return render(
        request, "strategy/section_form.html", {"edition": edition, "section": section, "form": form}
    )


@require_POST
def decide(request, year: int, pk: int):
    edition = _edition(year)
    suggestion = get_object_or_404(Suggestion, pk=pk, edition=edition)
    require_perm(request, "strategy.decide_suggestion", edition)
    form = DecisionForm(request.POST, prefix=f"d{pk}")
    if form.is_valid():
        try:
            services.suggestion_decide(
                suggestion=suggestion,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                final_text=form.cleaned_data["final_text"],
            )
        except ValidationError as error:
            for message in _error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The decision has been recorded and the author told."))
            return redirect(reverse("strategy:edition", kwargs={"year": year}) + f"#entscheidung-{pk}")
    else:
        for field, errors in form.errors.items():
            for message in errors:
                messages.error(
                    request, f"{form.fields[field].label}: {message}" if field in form.fields else message
                )
    return redirect(reverse("strategy:edition", kwargs={"year": year}) + f"#entscheidung-{pk}")


@require_http_methods(["GET", "HEAD", "POST"])
def approve(request, year: int):
    edition = _edition(year)
    require_perm(request, "strategy.approve_edition", edition)
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_approve(edition=edition, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(
                request, _("The strategy group has approved the edition %(year)s.") % {"year": year}
            )
            return redirect(edition.get_absolute_url())
    return render(
        request,
        "strategy/approve.html",
        {"edition": edition, "form": form, "queue": selectors.decision_queue(edition=edition)},
    )


@require_POST
def publish(request, year: int):
    edition = _edition(year)
    require_perm(request, "strategy.publish_edition", edition)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _workspace(request, edition, publish_form=form)
    services.edition_publish(
        edition=edition,
        by=request.user,
        council_date=form.cleaned_data["council_date"],
        council_resolution=form.cleaned_data["council_resolution"].strip(),
    )
    messages.success(request, _("The edition %(year)s is published.") % {"year": year})
    return redirect(edition.get_absolute_url())


@require_POST
def council(request, year: int):
    edition = _edition(year)
    require_perm(request, "strategy.manage")
    form = PublishForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["council_date"]:
        if form.is_valid():
            form.add_error(None, _("Please give the date and the number of the council resolution."))
        return _workspace(request, edition, publish_form=form)
    services.edition_record_council(
        edition=edition,
        council_date=form.cleaned_data["council_date"],
        council_resolution=form.cleaned_data["council_resolution"].strip(),
        by=request.user,
    )
    messages.success(request, _("The council resolution has been recorded."))
    return redirect("strategy:edition", year=year)


@require_POST
def pdf(request, year: int):
    edition = _edition(year)
    require_perm(request, "strategy.generate_pdf", edition)
    services.edition_request_pdf(edition=edition)
    messages.info(request, _("The PDF is being generated. This page shows when it is ready."))
    return redirect(reverse("strategy:edition", kwargs={"year": year}) + "#pdf")


@require_safe
def edition_pdf(request, year: int):
    """The edition's PDF, once it is published (before: only for those who prepare it)."""
    edition = _edition(year)
    require_perm(request, "strategy.download_edition", edition, hide=True)
    field_file = edition.pdf if request.GET.get("generated") else edition.download
    filename = f"smartcity-strategie-{edition.year}.pdf"
    return serve_file(
        request, field_file, public=edition.published_at is not None, filename=filename,
        content_type="application/pdf",
    )  # fmt: skip


def pdf_status(request, year: int):
    """The PDF's state as a small fragment, polled by htmx while it is being generated."""
    edition = _edition(year)
    require_perm(request, "strategy.generate_pdf", edition)
    stale = bool(
        edition.pdf_requested_at and timezone.now() - edition.pdf_requested_at > timedelta(minutes=10)
    )
    return render(request, "strategy/includes/pdf_status.html", {"edition": edition, "stale": stale})


def _render_review(request, edition, theme: str, items: list, *, may_recommend: bool, status: int = 200):
    """A working group's review page: the suggestions on its sections, with a form where it may act."""
    context = {
        "edition": edition,
        "theme": theme,
        "group_name": groups.name(theme),
        "items": items,
        "may_recommend": may_recommend,
        "may_moderate": _may_moderate(request, edition, theme),
        "phase": edition.phase(),
    }
    return render(request, "strategy/review.html", context, status=status)
