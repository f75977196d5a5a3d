"""What the dashboard counts: the period, and which rows each audience's figures count.

- `public=False`, the SMARTCity team's dashboard: everything, hidden ideas and members-only
  working-group content included, and the turnout of every poll that has been opened.
- `public=True`, the public summary: only what the website shows a visitor anyway (see
  `selectors` for the reasons).

Both the live figures (`selectors`) and the nightly roll-up (`rollup`) count through these
functions, so the two can never disagree about what a figure includes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ideas.models import Comment, Idea, Source, Support
from pilots.models import Pilot
from plenary.models import Poll, VoterRoll
from workgroups.models import Meeting, Post, Thread, Visibility


def month_of(name: str) -> TruncMonth:
    """The first day of the month of a moment, in the city's time zone."""
    return TruncMonth(name, output_field=DateField())


def as_month(value: Any) -> Any:
    """A month as the database returned it outside the ORM's conversion (date, datetime or ISO
    text) as the first day of that month; None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    return datetime.date.fromisoformat(str(value)[:10]).replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def midnight(day: datetime.date) -> datetime.datetime:
    """The first moment of a day in the city's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in the city's time zone."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_months(cls, today: datetime.date, months: int = 12) -> Period:
        """The current month and the `months - 1` before it, up to today."""
        first = today.replace(day=1)
        for _step in range(months - 1):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        return cls(start=first, end=today)

    @property
    def since(self) -> datetime.datetime:
        return midnight(self.start)

    @property
    def until(self) -> datetime.datetime:
        """The first moment after the period (exclusive bound)."""
        return midnight(self.end + datetime.timedelta(days=1))

    def months(self) -> list[datetime.date]:
        month = self.start.replace(day=1)
        out = []
        while month <= self.end:
            out.append(month)
            month = next_month(month)
        return out

    def within(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.since, f"{name}__lt": self.until})


def ideas(public: bool) -> QuerySet:
    return Idea.objects.public() if public else Idea.objects.all()


def comments(public: bool) -> QuerySet:
    everything = Comment.objects.all()
    return everything.filter(hidden=False, idea__hidden=False) if public else everything


def supports(public: bool) -> QuerySet:
    return Support.objects.filter(idea__hidden=False) if public else Support.objects.all()


def threads(public: bool) -> QuerySet:
    everything = Thread.objects.all()
    return everything.filter(visibility=Visibility.PUBLIC, hidden_at__isnull=True) if public else everything


def posts(public: bool) -> QuerySet:
    everything = Post.objects.all()
    if public:
        return everything.filter(
            hidden_at__isnull=True, thread__visibility=Visibility.PUBLIC, thread__hidden_at__isnull=True
        )
    return everything


def meetings(public: bool) -> QuerySet:
    return Meeting.objects.public() if public else Meeting.objects.all()


def polls(public: bool) -> QuerySet:
    if public:
        return Poll.objects.filter(status=Poll.Status.PUBLISHED)
    return Poll.objects.exclude(status=Poll.Status.DRAFT)


def pilots(public: bool) -> QuerySet:
    return Pilot.objects.public() if public else Pilot.objects.all()


def active_people(public: bool, moments: Q) -> QuerySet:
    """(person, month) once for everyone who took part — an idea, a comment, a support, a post
    in a working group, a vote in a plenary poll — at a moment `moments` admits.

    `moments` is a condition on a field named `moment`. Contributions entered by staff for
    someone without an account (a workshop, a call, a letter) have the staff member as author;
    they are counted in the ideas per source, not as the staff member's participation.
    """
    offline_for_nobody = ~Q(source=Source.ONLINE) & Q(author=F("entered_by"))

    def part(queryset: QuerySet, person: str, moment: str) -> QuerySet:
        return (
            queryset.order_by()
            .annotate(moment=F(moment))
            .filter(moments)
            .annotate(person=F(person), month=month_of(moment))
            .values("person", "month")
        )

    votes = VoterRoll.objects.filter(poll__in=polls(public).values("pk"))
    # UNION (not UNION ALL) keeps each (person, month) once.
    return part(ideas(public).exclude(offline_for_nobody), "author_id", "created_at").union(
        part(comments(public).exclude(offline_for_nobody), "author_id", "created_at"),
        part(supports(public), "user_id", "created_at"),
        part(posts(public), "author_id", "created_at"),
        part(votes, "user_id", "voted_at"),
    )
