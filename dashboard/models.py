"""The dashboard's roll-up: yesterday and before, counted once a night instead of on every view.

At city scale the figures counted live from every comment and support took seconds (the
active participants alone 2.3 s over 750,000 rows). The nightly task (`rollup.rebuild`) writes
per day and audience how many rows each figure counts (`DailyCount`) and who was active in
each month (`ActiveMonth`); the figures read those for the days before `RollupState.complete_until`
and count only the days since live. Nothing here is a source of truth: the whole roll-up is
rebuilt from the apps' tables every night, which is also when a hidden comment or an idea moved
to another district leaves or changes the past days' figures.
"""

from django.db import models


class RollupState(models.Model):
    """One row: the days before `complete_until` are in the roll-up (none without the row)."""

    complete_until = models.DateField()
    rebuilt_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = "dashboard roll-up"

    def __str__(self) -> str:
        return f"roll-up until {self.complete_until}"


class DailyCount(models.Model):
    """How many rows one tally (see `rollup.TALLIES`) counted on one day, per key."""

    tally = models.CharField(max_length=32)
    public = models.BooleanField()  # as the public summary counts (else as the team's dashboard)
    day = models.DateField()
    key = models.CharField(max_length=200, blank=True)  # a theme's pk, a district, a source, ...
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tally", "public", "day", "key"], name="dashboard_daily_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tally} {self.day} {self.key}: {self.n}"


class ActiveMonth(models.Model):
    """Someone who took part in a month (once per audience). A count, not a link to the person:
    an account deleted since leaves the figures with the next night's rebuild."""

    public = models.BooleanField()
    month = models.DateField()
    person = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["public", "month", "person"], name="dashboard_active_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.month:%Y-%m}"
