"""The one way a view checks a permission.

Every view that checks a permission calls `require_perm` and lets it raise: anonymous people
are sent to log in, logged-in people without the right get 403, and where the existence of
the object is itself private (`hide=True`) everyone without the right gets the same 404 as for
an object that does not exist. Services do not check permissions; they check the data.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader


class Refused(PermissionDenied):
    """A 403 whose message (already translated) tells the person why; shown on the 403 page."""


class LoginRequired(Exception):
    """Raised for an anonymous visitor; `LoginRequiredRedirectMiddleware` turns it into a redirect."""


def require_perm(
    request: HttpRequest, perm: str, obj: object = None, *, hide: bool = False, message: str = ""
) -> None:
    """Return if `request.user` has `perm` (on `obj`); raise otherwise.

    hide=True: the answer is 404 for anyone without the right, logged in or not, so the page
    does not reveal that the object exists. `message` explains a 403 to a logged-in person
    ("You are not eligible to vote in this poll."), where saying why reveals nothing private.
    """
    if request.user.has_perm(perm, obj):
        return
    if hide:
        raise Http404
    if not request.user.is_authenticated:
        raise LoginRequired
    raise Refused(message) if message else PermissionDenied


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page (handler403): with the reason when `require_perm` gave one, else the general text."""
    reason = str(exception) if isinstance(exception, Refused) else ""
    html = loader.render_to_string("403.html", {"reason": reason}, request)
    return HttpResponseForbidden(html)


class LoginRequiredRedirectMiddleware:
    """Send an anonymous visitor who met `require_perm` to the login page, then back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        return None
