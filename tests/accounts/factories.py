import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from geraportal.accounts.models import User

PASSWORD = "ein-sicheres-Passwort-2026"


class UserFactory(factory.django.DjangoModelFactory):
    """A citizen with a verified e-mail address. `roles=[...]` adds groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="de_DE")
    password = factory.django.Password(PASSWORD)
    language = "de"

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create:
            for name in extracted or []:
                obj.groups.add(Group.objects.get(name=name))


def give_mfa(user: User) -> str:
    """Activate TOTP and recovery codes for `user`; returns the TOTP secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    for attr in ("_portal_has_mfa", "_portal_group_names"):
        user.__dict__.pop(attr, None)
    return secret
