"""Counting for the figures: the nightly roll-up for the days before today, live for today.

`Counter` answers every question a figure asks (rows per key, per month and key, active people
per month) for a period and an audience, from two parts that never overlap:

- the days before `RollupState.complete_until` from the roll-up tables (`models`), written by
  `rebuild` once a night (beat) and after the bench's seeding;
- the days since, counted live from the apps' tables (one day of rows, or all of them on a
  portal whose roll-up has never run: slower, never wrong).

Active people cannot be added up from days (someone active on two days is one person), so the
roll-up keeps (month, person) pairs: a month wholly inside the period is read from there, and
the people of its live days are added unless the roll-up has them already. A month the period
only partly covers (a start on the 10th, an end before the month's last day in the past) is
counted live for the days inside the period.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter as Tallied
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from geraportal.accounts.models import User

from . import audience
from .audience import Period, as_month, midnight, month_of, next_month
from .models import ActiveMonth, DailyCount, RollupState

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Tally:
    """Rows counted per day and key: `rows(public)` at the moment `moment`, keyed by `key`."""

    name: str
    rows: Callable[[bool], QuerySet]
    moment: str
    key: str | None = None


TALLIES: dict[str, Tally] = {
    tally.name: tally
    for tally in [
        Tally("accounts", lambda public: User.objects.all(), "date_joined"),
        Tally("ideas-theme", audience.ideas, "created_at", "theme_id"),
        Tally("ideas-district", audience.ideas, "created_at", "district__name"),
        Tally("ideas-source", audience.ideas, "created_at", "source"),
        Tally("comments-source", audience.comments, "created_at", "source"),
        Tally("supports", audience.supports, "created_at"),
        Tally("threads-group", audience.threads, "created_at", "group_id"),
        Tally("posts-group", audience.posts, "created_at", "thread__group_id"),
        Tally("meetings-group", audience.meetings, "starts_at", "group_id"),
    ]
}


def _key(value: Any) -> str:
    return "" if value is None else str(value)


def _keyed(tally: Tally, queryset: QuerySet) -> QuerySet:
    key = Cast(F(tally.key), CharField()) if tally.key else Value("", output_field=CharField())
    return queryset.order_by().annotate(tally_key=key)


def complete_until() -> datetime.date | None:
    """The first day not in the roll-up (None: no roll-up yet)."""
    return RollupState.objects.filter(pk=1).values_list("complete_until", flat=True).first()


class Counter:
    """Counts for one period and audience, each tally counted once however often it is asked.

    Queries: the roll-up's state (`load`), all rolled-up days of every tally at once, then
    one live query per tally asked for, and two for the active people.
    """

    def __init__(self, *, period: Period, public: bool, rolled_until: datetime.date | None) -> None:
        self.period = period
        self.public = public
        self.rolled_until = rolled_until  # the first day counted live (None: every day)
        self._rolled: dict[str, Tallied[tuple[datetime.date, str]]] | None = None
        self._counted: dict[str, Tallied[tuple[datetime.date, str]]] = {}

    @classmethod
    def load(cls, *, period: Period, public: bool) -> Counter:
        return cls(period=period, public=public, rolled_until=complete_until())

    # --- Rows per key and month --------------------------------------------------------------

    def per_key(self, name: str) -> dict[str, int]:
        """{key: rows} over the period."""
        out: Tallied[str] = Tallied()
        for (_month, key), n in self._count(name).items():
            out[key] += n
        return dict(out)

    def per_month(self, name: str) -> dict[datetime.date, int]:
        """{first day of month: rows} over the period, all keys together."""
        out: Tallied[datetime.date] = Tallied()
        for (month, _key), n in self._count(name).items():
            out[month] += n
        return dict(out)

    def _count(self, name: str) -> Tallied[tuple[datetime.date, str]]:
        """{(month, key): rows} of one tally: rolled-up days plus the days since, live."""
        if name in self._counted:
            return self._counted[name]
        tally, period = TALLIES[name], self.period
        out: Tallied[tuple[datetime.date, str]] = Tallied(self._rolled_up().get(name, {}))
        live_since = max(period.since, midnight(self.rolled_until)) if self.rolled_until else period.since
        if live_since < period.until:
            live = (
                _keyed(tally, tally.rows(self.public))
                .filter(**{f"{tally.moment}__gte": live_since, f"{tally.moment}__lt": period.until})
                .annotate(month=month_of(tally.moment))
                .values("month", "tally_key")
                .annotate(total=Count("pk"))
            )
            for row in live:
                out[(as_month(row["month"]), _key(row["tally_key"]))] += row["total"]
        self._counted[name] = out
        return out

    def _rolled_up(self) -> dict[str, Tallied[tuple[datetime.date, str]]]:
        """{tally: {(month, key): rows}} for the period's days in the roll-up (one query)."""
        if self._rolled is None:
            self._rolled = {}
            period = self.period
            rolled_end = min(period.end + ONE_DAY, self.rolled_until) if self.rolled_until else period.start
            if rolled_end > period.start:
                rows = (
                    DailyCount.objects.filter(public=self.public, day__gte=period.start, day__lt=rolled_end)
                    .order_by()
                    .annotate(month=month_of("day"))
                    .values("tally", "month", "key")
                    .annotate(total=Sum("n"))
                )
                for row in rows:
                    tallied = self._rolled.setdefault(row["tally"], Tallied())
                    tallied[(as_month(row["month"]), row["key"])] += row["total"]
        return self._rolled

    # --- Active people per month --------------------------------------------------------------

    def active_per_month(self) -> dict[datetime.date, int]:
        """{first day of month: people active that month within the period}, each once."""
        period, today = self.period, timezone.localdate()
        # Months read from the roll-up: wholly inside the period (the current month counts as
        # whole when the period runs to today: nothing has happened after today).
        roll_from = period.start if period.start.day == 1 else next_month(period.start)
        after_end = period.end + ONE_DAY
        whole_until = after_end if after_end.day == 1 or period.end >= today else period.end.replace(day=1)
        roll_to = min(self.rolled_until, whole_until) if self.rolled_until else roll_from
        out: Tallied[datetime.date] = Tallied()
        if roll_to > roll_from:
            rolled = (
                ActiveMonth.objects.filter(public=self.public, month__gte=roll_from, month__lt=roll_to)
                .order_by()
                .values("month")
                .annotate(n=Count("pk"))
            )
            for row in rolled:
                out[as_month(row["month"])] += row["n"]
            live_moments = period.within("moment") & (
                Q(moment__lt=midnight(roll_from)) | Q(moment__gte=midnight(roll_to))
            )
        else:
            live_moments = period.within("moment")
        sql, params = audience.active_people(self.public, live_moments).query.sql_with_params()
        with connection.cursor() as cursor:
            # Someone the roll-up already has for a month it answers is not counted again.
            cursor.execute(
                f"SELECT live.month, COUNT(*) FROM ({sql}) live WHERE NOT EXISTS ("  # noqa: S608
                f" SELECT 1 FROM {ActiveMonth._meta.db_table} r WHERE r.public = %s"
                " AND r.month >= %s AND r.month < %s AND r.month = live.month AND r.person = live.person"
                ") GROUP BY live.month",
                [*params, self.public, roll_from, roll_to],
            )
            for month, n in cursor.fetchall():
                out[as_month(month)] += n
        return dict(out)


def rebuild(
    *, today: datetime.date | None = None, progress: Callable[[str], None] | None = None
) -> RollupState:
    """Count every day before `today` into the roll-up, from scratch, in one transaction.

    Readers see the old roll-up until the new one is committed; two rebuilds at once wait for
    each other (the state row is locked first). Only aggregates leave the database: per-day
    counts are a few thousand rows, the (month, person) pairs are written by the database
    itself (`INSERT … SELECT`).
    """
    today = today or timezone.localdate()
    until = midnight(today)
    started = time.monotonic()
    steps = [(public, tally) for public in (False, True) for tally in TALLIES.values()]
    with transaction.atomic():
        state, _created = RollupState.objects.select_for_update().get_or_create(
            pk=1, defaults={"complete_until": today, "rebuilt_at": timezone.now()}
        )
        DailyCount.objects.all().delete()
        ActiveMonth.objects.all().delete()
        for number, (public, tally) in enumerate(steps, start=1):
            rows = (
                _keyed(tally, tally.rows(public))
                .filter(**{f"{tally.moment}__lt": until})
                .annotate(day=TruncDate(tally.moment))
                .values("day", "tally_key")
                .annotate(total=Count("pk"))
            )
            DailyCount.objects.bulk_create(
                (
                    DailyCount(
                        tally=tally.name,
                        public=public,
                        day=row["day"],
                        key=_key(row["tally_key"]),
                        n=row["total"],
                    )
                    for row in rows.iterator()
                ),
                batch_size=2000,
            )
            if progress:
                progress(f"{number}/{len(steps) + 2} {tally.name} ({'public' if public else 'team'})")
        for number, public in enumerate((False, True), start=len(steps) + 1):
            sql, params = audience.active_people(public, Q(moment__lt=until)).query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {ActiveMonth._meta.db_table} (public, month, person)"  # noqa: S608
                    f" SELECT %s, active.month, active.person FROM ({sql}) active",
                    [public, *params],
                )
            if progress:
                progress(f"{number}/{len(steps) + 2} active people ({'public' if public else 'team'})")
        state.complete_until = today
        state.rebuilt_at = timezone.now()
        state.seconds = round(time.monotonic() - started, 3)
        state.save()
    return state
