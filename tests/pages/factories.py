from datetime import timedelta

import factory
from django.utils import timezone

from geraportal.pages.models import Event, NewsPost


class NewsPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsPost

    title = factory.Sequence(lambda n: f"Neuigkeit Nummer {n}")
    slug = factory.Sequence(lambda n: f"neuigkeit-{n}")
    teaser = "Kurz gesagt: Es gibt etwas Neues aus der Smart City."
    body = "Ein **wichtiger** Absatz.\n\nNoch ein Absatz."
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Workshop {n}")
    description = "Sensoren zum Anfassen."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    location = "Rathaus Gera, Kornmarkt 12"
