from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.permissions import ObjectPermissionBackend

_rules_backend = ObjectPermissionBackend()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Logs in with the e-mail address.

    Deleting an account keeps this row as an anonymous tombstone (see
    `services.account_delete`), so contributions can still be shown as from
    "a deleted participant" without dangling references.
    """

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown with your contributions. Leave empty to appear as “Participant”."),
    )
    district = models.ForeignKey(
        "districts.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May log in to the administration site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(
        _("date joined"), default=timezone.now, db_index=True
    )  # counted by date
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(condition=models.Q(language__in=["de", "en"]), name="user_language_valid"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def public_name(self) -> str:
        """The name shown next to this person's contributions."""
        if self.deleted_at is not None:
            return str(_("Deleted participant"))
        return self.display_name or str(_("Participant"))

    def has_perm(self, perm: str, obj=None) -> bool:
        # Django lets superusers and group permissions through before any rule runs. A staff
        # account without a second factor must not get that far: it keeps only what the
        # portal's rules grant (which ask for two-factor authentication for staff powers).
        from .roles import has_mfa, has_staff_role

        if has_staff_role(self) and not has_mfa(self):
            return _rules_backend.has_perm(self, perm, obj)
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        from .roles import has_mfa, has_staff_role

        if has_staff_role(self) and not has_mfa(self):
            return False
        return super().has_module_perms(app_label)

    def get_full_name(self) -> str:
        return self.public_name

    def get_short_name(self) -> str:
        return self.public_name


# What pages show of a person next to their contributions (`User.public_name`). Rows kept in
# the shared cache (issue 16) load only these columns of their people: not the e-mail address,
# the password hash, roles, language or log-in times.
PUBLIC_PERSON_COLUMNS = ("id", "display_name", "deleted_at")


def unshared_person_columns(relation: str) -> tuple[str, ...]:
    """The columns of the person behind `relation` (e.g. "author") that a kept row defers."""
    return tuple(
        f"{relation}__{field.name}"
        for field in User._meta.concrete_fields
        if field.name not in PUBLIC_PERSON_COLUMNS
    )
