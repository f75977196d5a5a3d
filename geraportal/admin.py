from django.contrib import admin
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
