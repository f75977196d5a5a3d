from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from geraportal.accounts.models import User

from . import kinds as notification_kinds
from . import services
from .forms import PreferencesForm
from .kinds import Frequency
from .models import Notification
from .rendering import notification_title, read_unsubscribe_token


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.for_user(request.user), 30).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.title = notification_title(item)
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
def notification_open(request, pk: int):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    url = services.notification_open(notification=notification)
    if not url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        url = "/"
    return redirect(url)


@login_required
@require_POST
def notifications_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, initial_frequencies=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, frequencies=form.cleaned_data)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # one-click unsubscribe (RFC 8058): mail clients POST without cookies; the token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    try:
        user_id, kind = read_unsubscribe_token(token)
        user = User.objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, User.DoesNotExist, KeyError, ValueError):
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    known = notification_kinds.values()
    if kind == "digest":
        # The link in a digest stops digests: the kinds that come bundled, not the ones that
        # come at once (mentions, news of one's own ideas).
        chosen = services.preferences_of(user)
        kinds = [k for k in known if chosen[k] in (Frequency.DAILY, Frequency.WEEKLY)]
    else:
        kinds = [kind] if kind in known else []
    if not kinds:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    labels = [notification_kinds.label(k) for k in kinds]
    if request.method == "POST":
        services.preferences_update(user=user, frequencies=dict.fromkeys(kinds, Frequency.NEVER))
        return render(request, "notifications/unsubscribe_done.html", {"labels": labels})
    # A GET only asks: link scanners in mail filters must not unsubscribe anyone.
    return render(request, "notifications/unsubscribe_confirm.html", {"labels": labels, "token": token})
