import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def document_path(instance, filename: str) -> str:
    """A random name that always ends in .pdf: the uploader's name and extension are not used,
    so a file can never be served as anything but a PDF."""
    return f"strategy/{uuid.uuid4().hex}.pdf"


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class StrategyEdition(models.Model):
    """One edition of the SMARTCity strategy: the original (2019–2022) or an update."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2019), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    document = models.FileField(_("document (PDF)"), upload_to=document_path, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategy edition")
        verbose_name_plural = _("strategy editions")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(year__gte=2019), name="edition_year_from_2019")]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class StrategyReminder(models.Model):
    """A reminder that was sent; the unique key makes each reminder go out exactly once."""

    due_date = models.DateField(_("due date"))
    offset = models.CharField(
        _("reminder"), max_length=10, help_text=_("Days before the due date, or 'overdue'.")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("strategy reminder")
        verbose_name_plural = _("strategy reminders")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["due_date", "offset"], name="strategy_reminder_once")]

    def __str__(self) -> str:
        return f"{self.due_date} ({self.offset})"
