"""Demo newsletter subscribers (confirmed through both opt-in steps) and one sent issue."""

from datetime import timedelta

from django.utils import timezone

from geraportal.core import demo

from .models import NewsletterIssue, NewsletterSubscriber, NewsletterSubscriptionEvent

SUBSCRIBERS = [
    ("leserin@example.org", "de"),
    ("nachbar.lusan@example.org", "de"),
    ("verein.bieblach@example.org", "de"),
    ("reader@example.org", "en"),
    ("buergerin@example.org", "de"),
]


@demo.step(order=38)
def newsletter_subscribers(report) -> None:
    now = timezone.now()
    created = 0
    for number, (email, language) in enumerate(SUBSCRIBERS):
        requested = now - timedelta(days=30 - number, hours=2)
        subscriber, new = NewsletterSubscriber.objects.get_or_create(
            email=email,
            defaults={
                "language": language,
                "status": NewsletterSubscriber.Status.CONFIRMED,
                "requested_at": requested,
                "confirmation_sent_at": requested,
                "confirmed_at": requested + timedelta(minutes=7),
            },
        )
        if new:
            created += 1
            NewsletterSubscriptionEvent.objects.bulk_create(
                [
                    NewsletterSubscriptionEvent(subscriber=subscriber, action="requested", at=requested),
                    NewsletterSubscriptionEvent(
                        subscriber=subscriber, action="confirmed", at=requested + timedelta(minutes=7)
                    ),
                ]
            )
    report(f"{created} confirmed newsletter subscribers created ({len(SUBSCRIBERS)} in all).")
    _, new = NewsletterIssue.objects.get_or_create(
        subject="Newsletter Frühjahr 2026: Strategie-Update und neue Workshops",
        defaults={
            "intro": "Liebe Leserinnen und Leser,\n\ndas **Strategie-Update 2026** beginnt – "
            "und die Workshop-Reihe *Smart City zum Anfassen* geht weiter.",
        },
    )
    report("Draft newsletter issue created." if new else "Draft newsletter issue exists.")
