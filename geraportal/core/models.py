"""The portal-wide audit log of staff actions in the back-office.

It lives in `core` so that every app (also `districts`, which may not import `accounts`)
can write to it. A row names its object by type and id as text, not by a generic foreign
key: the log must outlive what it describes, and it is read by people, not joined.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffAction(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The actor's name at the time: the log stays readable when the account is deleted.
    actor_name = models.CharField(_("who (name)"), max_length=200, blank=True)
    action = models.CharField(_("what"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("staff action")
        verbose_name_plural = _("staff actions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name}: {self.action}"


class LostCacheWrite(models.Model):
    """A cache key whose delete did not reach Redis.

    While Redis is unreachable the cache acts as empty and drops writes (`core.cache`). When it
    comes back with its data, a dropped delete would bring back what was deleted: a session
    after its logout, a person's roles before their change. So the failed key is written here,
    and it is deleted from Redis once Redis answers again: by the first read of a process that
    saw the failure, and by the beat task `drop_lost_cache_writes` within a minute; the database
    copy is then read instead."""

    key = models.CharField(max_length=500, unique=True)  # noted once, however often it failed
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lost cache write")
        verbose_name_plural = _("lost cache writes")

    def __str__(self) -> str:
        return self.key
