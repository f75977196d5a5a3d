import csv
import re
import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from geraportal.core.access import require_perm

from . import services
from .forms import BallotForm, PollCountForm, PollPassphraseForm, RegisterAttendeeForm
from .models import Attendee, Meeting, Poll

User = get_user_model()


def meeting_list(request):
    now = timezone.now()
    meetings = list(Meeting.objects.all())
    polls = Poll.objects.visible_to(request.user).filter(status=Poll.Status.OPEN).select_related("meeting")
    return render(
        request,
        "plenary/meeting_list.html",
        {
            "upcoming": [m for m in meetings if m.starts_at >= now][::-1],
            "past": [m for m in meetings if m.starts_at < now],
            "open_polls": polls,
        },
    )


def meeting_detail(request, slug: str):
    meeting = get_object_or_404(Meeting, slug=slug)
    is_staff = request.user.has_perm("plenary.manage")
    attendee = meeting.attendees.filter(user=request.user).first() if request.user.is_authenticated else None
    context = {
        "meeting": meeting,
        "agenda": _agenda(meeting),
        "polls": Poll.objects.visible_to(request.user).filter(meeting=meeting),
        "attendee": attendee,
        "registration_open": meeting.registration_deadline is not None
        and timezone.now() <= meeting.registration_deadline,
        "is_staff": is_staff,
    }
    if is_staff:
        context["attendees"] = meeting.attendees.select_related("user").order_by("user__display_name")
        context["attendee_form"] = RegisterAttendeeForm()
    return render(request, "plenary/meeting_detail.html", context)


def _agenda(meeting: Meeting) -> list:
    """Agenda items, linking only to pilots that are public (never to a group's draft)."""
    items = list(meeting.agenda_items.select_related("pilot"))
    for item in items:
        item.public_pilot = item.pilot if item.pilot and item.pilot.status != "draft" else None
    return items


@require_POST
def meeting_register(request, slug: str):
    meeting = get_object_or_404(Meeting, slug=slug)
    require_perm(request, "plenary.register_meeting", meeting)
    try:
        services.meeting_register(meeting=meeting, user=request.user)
        messages.success(request, _("You are registered for this meeting."))
    except services.PlenaryError as error:
        messages.error(request, str(error))
    return redirect(meeting)


@require_POST
def attendee_add(request, slug: str):
    require_perm(request, "plenary.manage")
    meeting = get_object_or_404(Meeting, slug=slug)
    form = RegisterAttendeeForm(request.POST)
    user = None
    if form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
    if user is None:
        messages.error(request, _("There is no active account with this e-mail address."))
    else:
        services.attendee_add(meeting=meeting, user=user, by=request.user)
        messages.success(request, _("%(name)s is registered.") % {"name": user.public_name})
    return redirect(meeting)


@require_POST
def attendee_check_in(request, slug: str, pk: int):
    require_perm(request, "plenary.manage")
    attendee = get_object_or_404(Attendee, meeting__slug=slug, pk=pk)
    services.attendee_check_in(attendee=attendee, by=request.user)
    messages.success(request, _("%(name)s is checked in.") % {"name": attendee.user.public_name})
    return redirect(attendee.meeting)


def _visible_poll(request, pk: int) -> Poll:
    """The poll, or the same 404 as for a missing one while it is a draft the person may not see."""
    poll = get_object_or_404(Poll.objects.select_related("meeting"), pk=pk)
    require_perm(request, "plenary.view_poll", poll, hide=True)
    return poll


def _options(poll: Poll):
    return list(poll.options.select_related("pilot"))


def poll_detail(request, pk: int):
    poll = _visible_poll(request, pk)
    options = _options(poll)
    context = {"poll": poll, "options": options, "is_staff": request.user.has_perm("plenary.manage")}
    context["voted"] = services.has_voted(poll=poll, user=request.user)
    # Past its closing time a poll takes no ballot (the service refuses them); beat records
    # the closing within a minute. A page view changes nothing.
    context["past_closing"] = (
        poll.status == Poll.Status.OPEN and poll.closes_at and timezone.now() >= poll.closes_at
    )
    if poll.status == Poll.Status.OPEN and not context["past_closing"]:
        eligible = request.user.has_perm("plenary.vote_poll", poll)
        context["eligible"] = eligible
        if eligible and not context["voted"]:
            context["form"] = BallotForm(poll=poll, options=options)
        if context["is_staff"]:
            context["turnout"] = services.turnout(poll=poll)
    if request.user.has_perm("plenary.view_result", poll):
        result = services.poll_result(poll=poll)
        context["result"] = result
        context["chart"] = _chart(result)
    return render(request, "plenary/poll_detail.html", context)


CHART_ROW = 14
CHART_BAR_MAX = 360


def _chart(result) -> dict:
    """Bar geometry for the SVG chart (attributes, not inline styles: the CSP forbids those)."""
    top = max((r.score for r in result.options), default=0) or 1
    rows = [
        {"row": r, "y": i * CHART_ROW, "width": round(CHART_BAR_MAX * max(r.score, 0) / top)}
        for i, r in enumerate(result.options)
    ]
    return {"rows": rows, "height": max(len(rows), 1) * CHART_ROW}


def _ballot(request, pk: int) -> tuple[Poll, list, BallotForm]:
    """The poll a ballot was posted to (if this person may vote in it), its options and the form."""
    poll = _poll_to_vote_in(request, pk)
    options = _options(poll)
    return poll, options, BallotForm(request.POST, poll=poll, options=options)


@login_required
@require_POST
def poll_confirm(request, pk: int):
    """Step 1: check the ballot and show it back; nothing counts yet."""
    poll, options, form = _ballot(request, pk)
    if poll.status != Poll.Status.OPEN or (poll.closes_at and timezone.now() >= poll.closes_at):
        messages.error(request, _("This poll is closed; your ballot was not counted."))
        return redirect(poll)
    if services.has_voted(poll=poll, user=request.user):
        messages.error(request, _("You have already voted in this poll. Your first ballot stands."))
        return redirect(poll)
    if form.is_valid():
        try:
            kept = services.ballot_validate(poll=poll, choices=form.choices())
        except services.BallotRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            summary = [(o, kept.get(o.pk, 0)) for o in options]
            confirmation = _confirmation_token(request.user, poll, kept, uuid.uuid4().hex)
            return render(
                request,
                "plenary/poll_confirm.html",
                {"poll": poll, "summary": summary, "confirmation": confirmation},
            )
    return render(
        request,
        "plenary/poll_detail.html",
        {"poll": poll, "options": options, "form": form, "eligible": True},
    )


@login_required
@require_POST
def poll_cast(request, pk: int):
    """Step 2: the confirmed ballot counts, and the answer is its receipt.

    Every voter of a plenary sends this in the same second (issue 16), so it does only what
    counting needs: the poll is read once, under the cast's lock, and the permission checks
    run on that row (`ballot_cast(authorize=...)`); no join to the meeting or the pilots (the
    options carry their labels from the opening on), the query count pinned in
    tests/plenary/test_views.py, and the receipt in this answer rather than behind a redirect
    (a second request per voter in that second). Sending the form again, by a double click
    or a reload, shows the same receipt: the submission key makes the cast idempotent."""
    confirmed = _confirmed_ballot(request.POST.get("confirmation", ""), request.user, pk)
    if confirmed is None:
        # Only the ballot shown on the confirmation page may count (no vote without confirming).
        # Someone who has voted (a receipt reloaded after the hour) finds it on the poll's page.
        poll = _poll_to_vote_in(request, pk)
        if services.has_voted(poll=poll, user=request.user) is None:
            messages.error(request, _("Please check your ballot and confirm it; it has not been counted."))
        return redirect(poll)
    key, choices = confirmed
    try:
        receipt = services.ballot_cast(
            poll=pk,
            user=request.user,
            choices=choices,
            submission_key=key,
            authorize=lambda poll: _may_vote(request, poll),
        )
    except Poll.DoesNotExist:
        raise Http404 from None
    except services.BallotRefused as refusal:
        # A reload of the receipt sends the cast again; after the close it must still show the
        # receipt, not "not counted". Another ballot of someone who voted: the first one stands.
        poll = _poll_to_vote_in(request, pk)
        earlier = services.has_voted(poll=poll, user=request.user)
        if earlier is None or earlier.submission_key != key:
            already = _("You have already voted in this poll. Your first ballot stands.")
            messages.error(request, already if earlier else str(refusal))
            return redirect(poll)
        receipt = services.Receipt(
            code=earlier.receipt, repeated=True, digest=earlier.ballot_digest, poll=poll
        )
    return render(request, "plenary/poll_receipt.html", {"poll": receipt.poll, "receipt": receipt})


def _may_vote(request, poll: Poll) -> None:
    """A draft's existence is private (the same 404 as for a missing poll); then the vote."""
    require_perm(request, "plenary.view_poll", poll, hide=True)
    require_perm(request, "plenary.vote_poll", poll, message=_("You are not eligible to vote in this poll."))


def _poll_to_vote_in(request, pk: int) -> Poll:
    poll = get_object_or_404(Poll.objects.select_related("meeting"), pk=pk)
    _may_vote(request, poll)
    return poll


def _staff_poll(request, pk: int, perm: str) -> Poll:
    poll = get_object_or_404(Poll.objects.select_related("meeting"), pk=pk)
    require_perm(request, "plenary.view_poll", poll, hide=True)  # a draft's existence is private
    require_perm(request, perm, poll)
    return poll


@require_http_methods(["GET", "HEAD", "POST"])
def poll_open_secret(request, pk: int):
    """The officers choose the passphrase of a secret poll and open it (or let it open on time)."""
    poll = _staff_poll(request, pk, "plenary.open_poll")
    if poll.status != Poll.Status.DRAFT or not poll.secret:
        messages.error(request, _("Only a secret poll that is still a draft needs a passphrase."))
        return redirect(poll)
    form = PollPassphraseForm(request.POST or None)
    if form.is_valid():
        try:
            passphrase = form.cleaned_data["passphrase"]
            poll = services.poll_set_key(poll=poll, passphrase=passphrase, by=request.user)
            if poll.opens_at and poll.opens_at > timezone.now():
                messages.success(request, _("The passphrase is set. The poll opens at its scheduled time."))
            else:
                services.poll_open(poll=poll, by=request.user)
                messages.success(request, _("The poll is open. Its ballots are sealed to your passphrase."))
            return redirect(poll)
        except services.PlenaryError as error:
            form.add_error(None, str(error))
    opens_later = bool(poll.opens_at and poll.opens_at > timezone.now())
    context = {"poll": poll, "form": form, "opens_later": opens_later}
    return render(request, "plenary/poll_passphrase.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def poll_count(request, pk: int):
    """An officer enters the passphrase; the sealed ballots are opened, shuffled and counted."""
    poll = _staff_poll(request, pk, "plenary.count_poll")
    if not poll.awaits_count:
        messages.error(request, _("This poll has no sealed ballots waiting to be counted."))
        return redirect(poll)
    form = PollCountForm(request.POST or None)
    if form.is_valid():
        try:
            poll = services.poll_count(poll=poll, passphrase=form.cleaned_data["passphrase"], by=request.user)
        except services.PlenaryError as error:
            form.add_error("passphrase", str(error))
        else:
            messages.success(request, _("The ballots are counted. Check the result, then publish it."))
            return redirect(poll)
    ballots, eligible = services.turnout(poll=poll)
    context = {"poll": poll, "form": form, "ballots": ballots, "eligible": eligible}
    return render(request, "plenary/poll_count.html", context)


HASH = re.compile(r"[0-9a-f]{64}")


def poll_ballot_hashes(request, pk: int):
    """The published list of sealed-ballot hashes, where each voter finds theirs."""
    poll = _published(request, pk)
    if not poll.sealed:
        raise Http404
    wanted = request.GET.get("hash", "").strip().lower()[:200]
    lookup = None
    if wanted:
        if not HASH.fullmatch(wanted):
            lookup = "invalid"
        else:
            lookup = "found" if wanted in poll.sealed_digests else "missing"
    mine = services.has_voted(poll=poll, user=request.user)
    context = {
        "poll": poll,
        "digests": poll.sealed_digests,
        "wanted": wanted,
        "lookup": lookup,
        "mine": mine.ballot_digest if mine else "",
    }
    return render(request, "plenary/poll_ballot_hashes.html", context)


@require_POST
def poll_action(request, pk: int, action: str):
    require_perm(request, "plenary.manage")
    poll = get_object_or_404(Poll, pk=pk)
    try:
        if action == "open":
            services.poll_open(poll=poll, by=request.user)
            messages.success(request, _("The poll is open."))
        elif action == "close":
            services.poll_close(poll=poll, by=request.user)
            messages.success(request, _("The poll is closed."))
        elif action == "publish":
            services.poll_publish(poll=poll, by=request.user)
            messages.success(request, _("The result is published."))
        else:
            raise Http404
    except services.PlenaryError as error:
        messages.error(request, str(error))
    return redirect(poll)


CONFIRMATION_SALT = "plenary.ballot-confirmation.v2"  # v2: the token carries the ballot
CONFIRMATION_MAX_AGE = 60 * 60


def _confirmation_token(user, poll: Poll, kept: dict[int, int], key: str) -> str:
    """The ballot as the person saw it on the confirmation page, with its submission key,
    signed for this person and poll: the cast counts exactly this ballot (the service checks
    it against the poll once more) and needs no form of its own."""
    payload = {"u": user.pk, "p": poll.pk, "k": key, "c": sorted(kept.items())}
    return signing.dumps(payload, salt=CONFIRMATION_SALT)


def _confirmed_ballot(token: str, user, poll_id: int) -> tuple[str, dict[int, int]] | None:
    """(submission key, choices) of a valid confirmation of this person for this poll, or None."""
    try:
        payload = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except (signing.BadSignature, ValueError):  # ValueError: signed, but not a payload of ours
        return None
    if not isinstance(payload, dict) or payload.get("u") != user.pk or payload.get("p") != poll_id:
        return None
    try:
        return str(payload["k"]), {int(option): int(value) for option, value in payload["c"]}
    except (KeyError, TypeError, ValueError):
        return None


def _published(request, pk: int) -> Poll:
    """Before it is published, a poll's result files do not exist for anyone."""
    poll = get_object_or_404(Poll, pk=pk)
    require_perm(request, "plenary.download_result", poll, hide=True)
    return poll


def poll_results_csv(request, pk: int):
    poll = _published(request, pk)
    result = services.poll_result(poll=poll)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="abstimmung-{poll.pk}-ergebnis.csv"'
    writer = csv.writer(response)
    writer.writerow(["rank", "proposal", "score", "yes", "no", "abstain", "approvals", "points", "tied"])
    for row in result.options:
        title = row.title if row.title[:1] not in "=+-@" else f"'{row.title}"
        writer.writerow(
            [row.rank, title, row.score, row.yes, row.no, row.abstain, row.approvals, row.points, row.tied]
        )
    writer.writerow([])
    writer.writerow(
        ["ballots", result.ballots, "eligible", result.eligible, "turnout %", result.turnout_percent]
    )
    writer.writerow(["sha256 of the ballots", poll.ballot_hash])
    return response


def poll_ballots_json(request, pk: int):
    poll = _published(request, pk)
    export = services.poll_export(poll=poll)
    response = JsonResponse(export, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="abstimmung-{poll.pk}-stimmzettel.json"'
    return response
