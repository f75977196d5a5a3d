"""Newsletter pages: subscribing (double opt-in) and unsubscribing for everyone, and the
staff pages to compose, test and send an issue and to follow its progress."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from geraportal.core import ratelimit
from geraportal.core.access import require_perm

from . import services as newsletter
from .forms import BounceForm, IssueForm, SubscribeForm
from .models import NewsletterIssue, NewsletterSubscriber

# --- Public -------------------------------------------------------------------------------


def _subscribe_allowed(request) -> bool:
    """Each sign-up sends an e-mail: a limit per IP address, and one for everyone together."""
    limits = settings.NEWSLETTER_SUBSCRIBE_RATE_LIMITS
    limit, window = limits["ip"]
    if not ratelimit.hit(f"newsletter:subscribe:{ratelimit.client_ip(request)}", limit=limit, window=window):
        return False
    limit, window = limits["all"]
    return ratelimit.hit("newsletter:subscribe:all", limit=limit, window=window)


def _from_another_site(request) -> bool:
    """What CSRF protection would catch here: a browser says the form was sent from elsewhere."""
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and origin not in {f"{request.scheme}://{request.get_host()}", "null"}


# The newsletter box sits on pages that visitors get from the cache, which can hold no CSRF
# token. A forged sign-up could only ask for a confirmation e-mail (double opt-in), which the
# rate limits, the honeypot and this origin check bound; no session or account is involved.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and _from_another_site(request):
        return HttpResponseForbidden(_("Please use the form on our own pages to subscribe."))
    if request.method == "POST" and form.is_valid():
        # The same page whether the address was new, waiting or already subscribed — and for
        # a bot that filled the honeypot, which sends nothing.
        if form.is_from_a_bot():
            return redirect("newsletter:check_inbox")
        if not _subscribe_allowed(request):
            form.add_error(
                None,
                _(
                    "Many sign-ups have reached us in a short time, so we have paused them for a "
                    "while. Please try again later."
                ),
            )
            return render(request, "newsletter/subscribe.html", {"form": form}, status=429)
        newsletter.newsletter_subscribe(email=form.cleaned_data["email"], language=get_language() or "de")
        return redirect("newsletter:check_inbox")
    return render(request, "newsletter/subscribe.html", {"form": form})


def check_inbox(request):
    return render(request, "newsletter/check_inbox.html")


def _invalid_link(request, *, expired: bool = False, purpose: str = "confirm"):
    return render(
        request,
        "newsletter/link_invalid.html",
        {"expired": expired, "purpose": purpose},
        status=400,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    try:
        subscriber = newsletter.read_confirm_token(token)
    except signing.SignatureExpired:
        return _invalid_link(request, expired=True)
    except signing.BadSignature:
        return _invalid_link(request)
    if request.method == "POST":
        if not newsletter.newsletter_confirm(subscriber=subscriber):
            return _invalid_link(request)
        return render(request, "newsletter/confirmed.html", {"email": subscriber.email})
    # A GET only asks: link scanners in mail filters must not subscribe anyone.
    if subscriber.status == NewsletterSubscriber.Status.CONFIRMED:
        return render(request, "newsletter/confirmed.html", {"email": subscriber.email})
    if subscriber.status != NewsletterSubscriber.Status.PENDING:
        return _invalid_link(request)
    return render(request, "newsletter/confirm.html", {"email": subscriber.email, "token": token})


@csrf_exempt  # one-click unsubscribe (RFC 8058): mail clients POST without cookies; the token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    try:
        subscriber = newsletter.read_unsubscribe_token(token)
    except signing.BadSignature:
        return _invalid_link(request, purpose="unsubscribe")
    if request.method == "POST":
        newsletter.newsletter_unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/unsubscribed.html", {"email": subscriber.email})
    return render(
        request,
        "newsletter/unsubscribe_confirm.html",
        {"email": subscriber.email, "token": token},
    )


# --- Staff --------------------------------------------------------------------------------

SEND_PERMISSION = "newsletter.send_newsletter"
SUBSCRIBERS_PERMISSION = "newsletter.view_newslettersubscriber"


def issue_list(request):
    require_perm(request, SEND_PERMISSION)
    page = Paginator(NewsletterIssue.objects.all(), 20).get_page(request.GET.get("page"))
    subscriber_counts = dict(
        NewsletterSubscriber.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return render(
        request,
        "newsletter/staff/issue_list.html",
        {
            "page": page,
            "issues": page.object_list,
            "confirmed_count": subscriber_counts.get(NewsletterSubscriber.Status.CONFIRMED, 0),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def issue_create(request):
    require_perm(request, SEND_PERMISSION)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = newsletter.issue_create(author=request.user, **form.cleaned_data)
        messages.success(request, _("The newsletter has been saved. Check the preview below."))
        return redirect("staff:newsletter_detail", pk=issue.pk)
    return render(request, "newsletter/staff/issue_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def issue_edit(request, pk: int):
    require_perm(request, SEND_PERMISSION)
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if issue.status != NewsletterIssue.Status.DRAFT:
        messages.error(request, _("This newsletter has been sent and can no longer be changed."))
        return redirect("staff:newsletter_detail", pk=issue.pk)
    initial = {"subject": issue.subject, "intro": issue.intro, "news_posts": list(issue.news_posts.all())}
    form = IssueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            newsletter.issue_update(issue=issue, by=request.user, **form.cleaned_data)
        except newsletter.IssueNotEditable:
            messages.error(request, _("This newsletter has been sent and can no longer be changed."))
        else:
            messages.success(request, _("The newsletter has been saved. Check the preview below."))
        return redirect("staff:newsletter_detail", pk=issue.pk)
    return render(request, "newsletter/staff/issue_form.html", {"form": form, "issue": issue})


def _progress_context(issue: NewsletterIssue) -> dict:
    counts = newsletter.issue_counts(issue=issue)
    return {"issue": issue, "counts": counts, "sending": issue.status == NewsletterIssue.Status.SENDING}


def issue_detail(request, pk: int):
    require_perm(request, SEND_PERMISSION)
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    preview = newsletter.issue_render(
        issue=issue,
        language=get_language() or "de",
        unsubscribe=request.build_absolute_uri(reverse("newsletter:subscribe")),
    )
    context = {
        **_progress_context(issue),
        "preview": preview,
        "withdrawn_posts": (
            newsletter.issue_posts_withdrawn(issue) if issue.status == NewsletterIssue.Status.DRAFT else []
        ),
        "confirmed_count": NewsletterSubscriber.objects.confirmed().count(),
    }
    return render(request, "newsletter/staff/issue_detail.html", context)


def issue_progress(request, pk: int):
    """The progress fragment that htmx polls while an issue is being sent."""
    require_perm(request, SEND_PERMISSION)
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    return render(request, "newsletter/staff/includes/progress.html", _progress_context(issue))


@require_POST
def issue_send_test(request, pk: int):
    require_perm(request, SEND_PERMISSION)
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    newsletter.issue_send_test(issue=issue, to_user=request.user)
    messages.success(request, _("A test e-mail is on its way to %(email)s.") % {"email": request.user.email})
    return redirect("staff:newsletter_detail", pk=issue.pk)


@require_POST
def issue_send(request, pk: int):
    require_perm(request, SEND_PERMISSION)
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Please tick the box to confirm that the newsletter should go out now."))
        return redirect("staff:newsletter_detail", pk=issue.pk)
    try:
        newsletter.issue_send(issue=issue, by=request.user)
    except newsletter.InvalidTransition:
        messages.error(request, _("This newsletter is already being sent or has been sent."))
    except newsletter.PostsNotPublic as refusal:
        messages.error(
            request,
            _(
                "Nothing has been sent: these news posts are no longer public: %(titles)s. Please edit "
                "the newsletter and remove them, or publish them again."
            )
            % {"titles": ", ".join(_("“%(title)s”") % {"title": p.title} for p in refusal.posts)},
        )
    else:
        messages.success(request, _("The newsletter is being sent to all confirmed subscribers."))
    return redirect("staff:newsletter_detail", pk=issue.pk)


def _subscriber_list(request, *, bounce_form: BounceForm, status: int = 200):
    # PostgreSQL refuses a NUL byte in a query with an error; no e-mail address contains one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:254]
    subscribers = NewsletterSubscriber.objects.order_by("-requested_at", "-pk")
    if query:
        subscribers = subscribers.filter(email__icontains=query)
    page = Paginator(subscribers, 50).get_page(request.GET.get("page"))
    counts = dict(
        NewsletterSubscriber.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return render(
        request,
        "newsletter/staff/subscriber_list.html",
        {
            "page": page,
            "subscribers": page.object_list,
            "query": query,
            "page_query": urlencode({"q": query}) if query else "",
            "counts": [(label, counts.get(value, 0)) for value, label in NewsletterSubscriber.Status.choices],
            "bounce_form": bounce_form,
        },
        status=status,
    )


def subscriber_list(request):
    require_perm(request, SUBSCRIBERS_PERMISSION)
    return _subscriber_list(request, bounce_form=BounceForm())


@require_POST
def subscriber_bounce(request):
    require_perm(request, SEND_PERMISSION)
    form = BounceForm(request.POST)
    if not form.is_valid():
        return _subscriber_list(request, bounce_form=form)
    subscriber = newsletter.newsletter_bounce_record(
        email=form.cleaned_data["email"], reason=form.cleaned_data["reason"], by=request.user
    )
    if subscriber is None:
        form.add_error("email", _("This address is not on the newsletter list."))
        return _subscriber_list(request, bounce_form=form)
    messages.success(
        request,
        _("%(email)s is marked as bounced and gets no more newsletters.") % {"email": subscriber.email},
    )
    return redirect("staff:newsletter_subscribers")
