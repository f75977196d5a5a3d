from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class DistrictQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class District(models.Model):
    """A Stadtteil or Ortsteil of Gera. Data, not code: the city edits the list."""

    class Kind(models.TextChoices):
        STADTTEIL = "stadtteil", _("district (Stadtteil)")
        ORTSTEIL = "ortsteil", _("locality with its own council (Ortsteil)")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STADTTEIL)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The centre of the district, where maps write its name (no tile server needed for that).
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive districts are kept for old records but cannot be chosen."),
    )

    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="district_name_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["stadtteil", "ortsteil"]), name="district_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="district_not_own_parent"
            ),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (
                    models.Q(latitude__gte=-90, latitude__lte=90)
                    & models.Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="district_location_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name
