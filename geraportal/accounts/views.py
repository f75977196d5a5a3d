import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import personal_data, profile_sections, services
from .forms import AccountDeleteForm, ProfileForm
from .language import set_language_cookie


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, data=services.ProfileData(**form.cleaned_data))
        translation.activate(request.user.language)  # confirm in the language just chosen
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        set_language_cookie(response, request.user.language)
        return response
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile_sections": profile_sections.sections.render(request.user)},
    )


@login_required
def data_export(request):
    data = personal_data.export_for(request.user)
    filename = f"smartcity-gera-meine-daten-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(
            user=request.user, delete_contributions=form.cleaned_data["delete_contributions"]
        )
        logout(request)
        messages.success(request, _("Your account has been deleted. Thank you for taking part."))
        return redirect("pages:home")
    return render(request, "accounts/account_delete.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def language_switch(request):
    """Switch the portal's language; remembered in a cookie and, when logged in, the profile.

    The header offers it as plain links (GET), so a page for visitors carries no CSRF token
    and can be cached: choosing a language is a preference that a forged link could only
    change back (it never reveals or destroys anything). POST still works for forms.
    """
    data = request.POST if request.method == "POST" else request.GET
    language = data.get("language", "")
    next_url = data.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("pages:home")
    response = redirect(next_url)
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("This language is not available. Please choose German or English."))
        return response
    services.user_set_language(user=request.user, language=language)
    translation.activate(language)
    set_language_cookie(response, language)
    return response
