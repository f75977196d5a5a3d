from datetime import timedelta

import factory
from django.utils import timezone

from geraportal.core.markdown import render_markdown
from tests.accounts.factories import UserFactory
from workgroups.models import RSVP, Document, Meeting, Membership, Post, Thread, WorkingGroup


def group(slug: str = "energie-umwelt") -> WorkingGroup:
    return WorkingGroup.objects.get(slug=slug)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.LazyFunction(group)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    group = factory.LazyFunction(group)
    title = factory.Sequence(lambda n: f"Diskussion {n}")
    visibility = "members"
    author = factory.SubFactory(UserFactory)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Beitrag **{n}**")
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    group = factory.LazyFunction(group)
    title = factory.Sequence(lambda n: f"Dokument {n}")
    visibility = "members"
    created_by = factory.SubFactory(UserFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.LazyFunction(group)
    title = factory.Sequence(lambda n: f"Treffen {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    location = "Rathaus Gera, Kornmarkt 12"
    agenda = "1. Begrüßung\n2. Stand der Ideen"
    visibility = "members"


class RSVPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RSVP

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    answer = "yes"
