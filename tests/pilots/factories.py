import datetime

import factory

from pilots.models import Milestone, Pilot, PilotStatusChange, PilotUpdate
from tests.accounts.factories import UserFactory
from workgroups.models import WorkingGroup

COUNCIL_DECIDED = {"approved", "rejected", "tendering", "implementation", "completed", "cancelled"}


def group(slug: str = "energie-umwelt") -> WorkingGroup:
    return WorkingGroup.objects.get(slug=slug)


class PilotFactory(factory.django.DjangoModelFactory):
    """A pilot in any status; statuses after the council decision come with date and number."""

    class Meta:
        model = Pilot
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Pilotprojekt Nummer {n}")
    slug = factory.Sequence(lambda n: f"pilotprojekt-{n}")
    summary = "Sensoren messen die Luftqualität in der Innenstadt."
    working_group = factory.LazyFunction(group)
    status = Pilot.Status.PROPOSED
    council_date = factory.LazyAttribute(
        lambda o: datetime.date(2021, 2, 24) if o.status in COUNCIL_DECIDED else None
    )
    council_resolution = factory.LazyAttribute(lambda o: "DS 2021/123" if o.status in COUNCIL_DECIDED else "")

    @factory.post_generation
    def ideas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.source_ideas.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    pilot = factory.SubFactory(PilotFactory)
    title = factory.Sequence(lambda n: f"Meilenstein {n}")


class PilotUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotUpdate

    pilot = factory.SubFactory(PilotFactory)
    title = factory.Sequence(lambda n: f"Neuigkeit {n}")
    body = "Die Sensoren sind montiert."
    body_html = "<p>Die Sensoren sind montiert.</p>"


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotStatusChange

    pilot = factory.SubFactory(PilotFactory)
    from_status = "draft"
    to_status = "proposed"


__all__ = ["UserFactory"]
