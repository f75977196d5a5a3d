from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from geraportal.core import ical, ratelimit, search
from geraportal.core.files import serve_file
from geraportal.core.ical import IcalEvent
from geraportal.core.markdown import render_markdown
from geraportal.core.pagecache import shared_per_content_version
from geraportal.strategy.models import StrategyEdition

from . import events, home, services, workshop_page
from .forms import AccessibilityFeedbackForm
from .models import Event, NewsPost


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same for everyone (see `home`): kept in the shared cache until the content
        # changes, in each language (a section may hold rendered cards), as a cached page is.
        language = get_language() or settings.LANGUAGE_CODE
        context["home_sections"] = shared_per_content_version(
            f"pages.home_sections:{language}", lambda: home.sections.render(self.request)
        )
        return context


class ContentPageView(TemplateView):
    """A page of long prose (imprint, privacy, ...).

    Whole documents are translated as whole templates, `pages/content/<page>.<lang>.html`,
    rather than sentence by sentence in the message catalogue; German is the fallback.
    """

    template_name = "pages/content_page.html"
    page = ""
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        context["page_title"] = self.title
        context["page_name"] = self.page
        context["content_template"] = select_template(
            [f"pages/content/{self.page}.{language}.html", f"pages/content/{self.page}.de.html"]
        )
        return context


def _accessibility_feedback_allowed(request) -> bool:
    """Each message sends an e-mail: a limit per IP address, and one for everyone together
    (like the newsletter's sign-up)."""
    limits = settings.ACCESSIBILITY_FEEDBACK_RATE_LIMITS
    limit, window = limits["ip"]
    if not ratelimit.hit(f"a11y-feedback:{ratelimit.client_ip(request)}", limit=limit, window=window):
        return False
    limit, window = limits["all"]
    return ratelimit.hit("a11y-feedback:all", limit=limit, window=window)


class AccessibilityPageView(ContentPageView):
    """The accessibility statement with its feedback form. A message with mistakes comes back
    with everything typed still in place; a sent one shows a thank-you at the form."""

    http_method_names = ["get", "head", "post"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("feedback_form", AccessibilityFeedbackForm())
        context["feedback_sent"] = self.request.GET.get("gesendet") == "1"
        return context

    def post(self, request, *args, **kwargs):
        form = AccessibilityFeedbackForm(request.POST)
        if not form.is_valid():
            form.mark_errors()
            return self.render_to_response(self.get_context_data(feedback_form=form), status=400)
        if not _accessibility_feedback_allowed(request):
            return self.render_to_response(
                self.get_context_data(feedback_form=form, feedback_rate_limited=True), status=429
            )
        services.accessibility_feedback_submit(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
            language=(get_language() or settings.LANGUAGE_CODE)[:2],
        )
        return redirect(f"{reverse('pages:accessibility')}?gesendet=1#a11y-feedback-form")


class StrategyPageView(ContentPageView):
    """The strategy page lists the published editions under its text."""

    template_name = "pages/strategy_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["editions"] = list(StrategyEdition.objects.published())
        return context


def csrf_failure(request, reason: str = ""):
    """Shown when a form's security token is missing or forged: explain, don't blame."""
    return render(request, "403_csrf.html", status=403)


# --- News -------------------------------------------------------------------------------


def news_list(request):
    posts = NewsPost.objects.published().only("title", "slug", "teaser", "image", "image_alt", "published_at")
    page = Paginator(posts, 10).get_page(request.GET.get("page"))
    return render(request, "pages/newspost_list.html", {"page": page, "posts": page.object_list})


def news_detail(request, slug: str):
    post = get_object_or_404(NewsPost.objects.visible_to(request.user), slug=slug)
    return render(
        request,
        "pages/newspost_detail.html",
        {"post": post, "body_html": render_markdown(post.body), "is_public": post.is_published()},
    )


@require_safe
def news_image(request, slug: str):
    """A draft's or a scheduled post's image is as private as its text."""
    post = get_object_or_404(NewsPost.objects.visible_to(request.user), slug=slug)
    return serve_file(request, post.image, public=post.is_published())


# --- Events calendar --------------------------------------------------------------------


def _month_start(value: str | None) -> date:
    """The first day of the month in `?month=YYYY-MM`; this month when missing or malformed."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1) if 1900 <= year <= 2200 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def _next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _selected_sources(request) -> list[str]:
    known = {source.name for source in events.sources()}
    return [name for name in request.GET.getlist("source") if name in known]


def _ical_events(entries) -> list[IcalEvent]:
    return [
        IcalEvent(
            uid=e.uid,
            start=e.start,
            end=e.end,
            summary=e.title,
            url=e.url,
            description=e.description,
            location=e.location,
        )
        for e in entries
    ]


def _ical_response(entries, *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        ical.calendar(_ical_events(entries), name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_calendar(request):
    first = _month_start(request.GET.get("month"))
    following = _next_month(first)
    selected = _selected_sources(request)
    entries = events.entries_between(
        _local_midnight(first), _local_midnight(following), only=selected or None
    )
    labels = {source.name: source.label for source in events.sources()}
    days: dict[date, list] = {}
    for entry in entries:
        days.setdefault(timezone.localtime(entry.start).date(), []).append(
            {"entry": entry, "source_label": labels.get(entry.source, entry.source)}
        )
    query = urlencode([("month", first.strftime("%Y-%m")), *(("source", name) for name in selected)])
    source_query = urlencode([("source", name) for name in selected])
    previous = (first - timedelta(days=1)).replace(day=1)
    return render(
        request,
        "pages/event_calendar.html",
        {
            "month": first,
            "days": sorted(days.items()),
            "count": len(entries),
            "sources": [
                {"name": s.name, "label": s.label, "checked": s.name in selected} for s in events.sources()
            ],
            "previous_month": previous.strftime("%Y-%m"),
            "next_month": following.strftime("%Y-%m"),
            "source_query": source_query,
            "export_query": query,
        },
    )


def event_calendar_export(request):
    """The events listed on the calendar page (same month and sources) as an .ics file."""
    first = _month_start(request.GET.get("month"))
    selected = _selected_sources(request)
    entries = events.entries_between(
        _local_midnight(first), _local_midnight(_next_month(first)), only=selected or None
    )
    return _ical_response(
        entries,
        name=_("SMARTCity Gera events"),
        filename=f"smartcity-gera-{first.strftime('%Y-%m')}.ics",
    )


FEED_PAST = timedelta(days=60)
FEED_AHEAD = timedelta(days=400)


def event_calendar_feed(request):
    """A calendar to subscribe to: recent and coming events, refreshed by the calendar app."""
    now = timezone.now()
    entries = events.entries_between(
        now - FEED_PAST, now + FEED_AHEAD, only=_selected_sources(request) or None
    )
    response = _ical_response(entries, name=_("SMARTCity Gera events"), filename="smartcity-gera.ics")
    response["Content-Disposition"] = 'inline; filename="smartcity-gera.ics"'
    return response


def workshop_detail(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    return render(
        request,
        "pages/event_detail.html",
        {
            "event": event,
            "description_html": render_markdown(event.description),
            "sections": workshop_page.sections.render(event, request.user),
        },
    )


def workshop_ical(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    entries = events.entries_between(
        event.starts_at, event.ends_at + timedelta(seconds=1), only=["workshops"]
    )
    return _ical_response(
        [e for e in entries if e.uid.startswith(f"pages-event-{event.pk}@")],
        name=event.title,
        filename=f"workshop-{event.pk}.ics",
    )


# --- Search, sitemap, robots.txt ---------------------------------------------------------


@require_safe
def search_page(request):
    """One search over everything the viewer may see, grouped by kind (see core/search.py)."""
    query = search.clean_query(request.GET.get("q", ""))
    results = search.search_all(query=query, user=request.user) if query else []
    return render(
        request,
        "pages/search.html",
        {"query": query, "results": results, "total": sum(len(hits) for _source, hits in results)},
    )


@require_safe
def sitemap(request):
    # Only public objects: each app's sitemap lists what an anonymous visitor may see.
    return sitemap_view(request, sitemaps=search.sitemaps())


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /staff/",
        "Disallow: /notifications/",
        "Disallow: /search/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
