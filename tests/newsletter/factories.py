import factory
from django.utils import timezone

from geraportal.newsletter.models import NewsletterIssue, NewsletterSubscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber."""

    class Meta:
        model = NewsletterSubscriber

    email = factory.Sequence(lambda n: f"leser{n}@example.org")
    status = NewsletterSubscriber.Status.CONFIRMED
    language = "de"
    requested_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterIssue

    subject = "Neues aus der Smart City"
    intro = "Liebe Leserinnen und Leser,\n\nes gibt **Neuigkeiten**."
