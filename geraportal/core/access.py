"""The one answer a view gives when someone may not do something."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse


def deny_unless(request, perm: str, obj=None) -> HttpResponse | None:
    """None if the user has `perm`; anonymous users are sent to log in, others get 403.

    Usage in a view: `if (denied := deny_unless(request, "ideas.moderate", idea)): return denied`.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None
