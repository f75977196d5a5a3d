from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from .context_processors import remember_staff_link
from .roles import has_mfa, has_staff_role


class UserLanguageMiddleware:
    """A logged-in user's preferred language wins over the cookie and the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language and user.language != request.LANGUAGE_CODE:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


# Paths of staff functions. Later issues put their staff views under /staff/.
STAFF_PATH_PREFIXES = ("/admin/", "/staff/")


class StaffMFARequiredMiddleware:
    """Staff accounts must set up two-factor authentication before any staff function.

    The permission rules refuse them anyway; this sends them to the set-up page with an
    explanation instead of a bare "forbidden".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(STAFF_PATH_PREFIXES):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            remember_staff_link(request, user)  # the header's link follows role changes here
            if has_staff_role(user) and not has_mfa(user):
                messages.warning(
                    request,
                    _("Staff functions require two-factor authentication. Please set it up first."),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
