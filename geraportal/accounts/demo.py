"""Demo accounts, one per role. The passwords are printed on purpose: they are not secret."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from geraportal.core import demo
from geraportal.districts.models import District

from .models import User
from .roles import SMARTCITY_TEAM, STRATEGY_GROUP

# A fixed TOTP secret for the demo staff accounts, so a developer can add it to any
# authenticator app (or compute codes with `oathtool --totp -b <secret>`).
DEMO_TOTP_SECRET = "GERASMARTCITYDEMO234567ABCDEFGHI"

# (e-mail, display name, district, groups, is_staff, is_superuser, role description)
DEMO_ACCOUNTS = [
    ("buergerin@example.org", "Anna Beispiel", "Lusan", [], False, False, "citizen"),
    ("mitglied@example.org", "Bernd Mitglied", "Untermhaus", [], False, False, "working-group member"),
    ("moderation@example.org", "Clara Moderation", "Debschwitz", [], False, False, "working-group moderator"),
    (
        "team@example.org",
        "Dana SMARTCity-Team",
        "Stadtmitte/Innenstadt",
        [SMARTCITY_TEAM],
        True,
        False,
        "SMARTCity team (staff, 2FA)",
    ),
    (
        "strategie@example.org",
        "Emil Strategiegruppe",
        "Zwötzen",
        [STRATEGY_GROUP],
        False,
        False,
        "strategy group (2FA)",
    ),
    ("admin@example.org", "Administration", None, [SMARTCITY_TEAM], True, True, "administrator (2FA)"),
]


@demo.step(order=10)
def accounts(report: demo.Reporter) -> None:
    for email, name, district_name, groups, is_staff, is_superuser, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "district": District.objects.filter(name=district_name).first() if district_name else None,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for group_name in groups:
            user.groups.add(Group.objects.get(name=group_name))
        note = ""
        if groups or is_staff or is_superuser:
            _ensure_two_factor(user)
            note = f", TOTP secret {DEMO_TOTP_SECRET}, recovery code {_first_recovery_code(user)}"
        status = "created" if created else "exists "
        report(f"{status} {role:<32} {email:<26} password {demo.DEMO_PASSWORD}{note}")


def _ensure_two_factor(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


def _first_recovery_code(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    codes = authenticator.wrap().get_unused_codes()
    return codes[0] if codes else "(all used)"
