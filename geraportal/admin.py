from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geraportal.accounts.roles import may_use_staff_functions


class PortalAdminSite(admin.AdminSite):
    site_header = _("SMARTCity Gera – administration")
    site_title = _("SMARTCity Gera")
    index_title = _("Administration")

    def has_permission(self, request) -> bool:
        # Staff without two-factor authentication are kept out (see StaffMFARequiredMiddleware,
        # which sends them to set it up first).
        return super().has_permission(request) and may_use_staff_functions(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # The changelist hands filter and search values to the database unchecked, and
            # PostgreSQL refuses a NUL byte in text with an error (a 500): refuse it first.
            if any("\x00" in text for key, values in request.GET.lists() for text in (key, *values)):
                raise SuspiciousOperation("NUL byte in an admin query string")
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        # One login for the whole portal (allauth, with two-factor authentication).
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))
