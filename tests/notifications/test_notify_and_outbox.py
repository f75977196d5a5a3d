"""notify(): who hears of an event, once; the outbox sends each e-mail once, retries, sweeps."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from geraportal.notifications import kinds, services
from geraportal.notifications.digests import digest_build, digests_send
from geraportal.notifications.kinds import Frequency
from geraportal.notifications.models import Notification, OutboxEmail
from geraportal.notifications.rendering import unsubscribe_token
from ideas.notifications import IDEA_STATUS
from tests.accounts.factories import UserFactory
from workgroups.notifications import MENTION

TEMPLATE = "tests/notifications/sample"


def send(recipients, *, key="sample:1", actor=None, title="Bank im Park", url="/workgroups/"):
    """Record an event and fan it out as the task does after commit; returns how many were notified."""
    event = services.notify(
        kind=IDEA_STATUS,
        recipients=recipients,
        event_key=key,
        template=TEMPLATE,
        context={"title": title},
        url=url,
        actor=actor,
    )
    return services.event_fan_out(event_id=event.pk) if event else 0


@pytest.mark.django_db
def test_event_reaches_each_recipient_once_and_never_the_actor(django_capture_on_commit_callbacks):
    anna, bernd = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert send([anna, bernd, anna], actor=bernd) == 1
        assert send([anna], actor=bernd) == 0  # the same event again
    assert Notification.objects.filter(recipient=anna).count() == 1
    assert not Notification.objects.filter(recipient=bernd).exists()
    (message,) = mail.outbox
    assert message.to == [anna.email]
    assert message.subject == "Sample: Bank im Park"
    assert "Bank im Park" in message.body and "http://127.0.0.1:8000/workgroups/" in message.body
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT


@pytest.mark.django_db
def test_email_is_in_the_recipients_language_with_one_click_unsubscribe(django_capture_on_commit_callbacks):
    english = UserFactory(language="en", display_name="Ann")
    with django_capture_on_commit_callbacks(execute=True):
        send([english])
    (message,) = mail.outbox
    assert message.body.startswith("Hello Ann,")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/notifications/unsubscribe/"
    )
    html = message.alternatives[0][0]
    assert "Stop these e-mails" in html


@pytest.mark.django_db
def test_german_recipient_gets_german(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send([UserFactory(language="de", display_name="Jörg")])
    assert mail.outbox[0].body.startswith("Hallo Jörg,")
    assert "Diese E-Mails abbestellen" in mail.outbox[0].body


@pytest.mark.django_db
def test_nothing_is_sent_when_the_event_is_rolled_back(django_capture_on_commit_callbacks):
    anna = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send([anna])
        raise RuntimeError("the event failed")
    assert not Notification.objects.exists() and not OutboxEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_header_injection_in_a_title_cannot_add_recipients(django_capture_on_commit_callbacks):
    anna = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        send([anna], title="Hallo\r\nBcc: boese@example.org")
    (message,) = mail.outbox
    assert message.recipients() == [anna.email]
    assert "\n" not in message.subject and "\r" not in message.subject


@pytest.mark.django_db
def test_deleted_and_inactive_people_are_not_notified():
    gone = UserFactory()
    from geraportal.accounts.services import account_delete

    account_delete(user=gone)
    inactive = UserFactory(is_active=False)
    assert send([gone, inactive]) == 0


class FlakySMTP:
    """An e-mail connection that refuses the first `failures` messages."""

    def __init__(self, failures: int):
        self.failures = failures
        self.sent = []

    def send_messages(self, messages):
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("SMTP server says no")
        self.sent.extend(messages)
        return len(messages)


@pytest.mark.django_db
def test_failed_sends_are_retried_with_backoff_and_arrive_once():
    anna = UserFactory()
    send([anna])  # no commit callbacks run: the e-mail waits in the outbox
    email = OutboxEmail.objects.get()
    smtp = FlakySMTP(failures=2)
    now = timezone.now()
    assert services.outbox_send(email_id=email.pk, connection=smtp, now=now) == "pending"
    email.refresh_from_db()
    assert email.attempts == 1 and "SMTP server says no" in email.last_error
    assert email.next_attempt_at > now
    # Not due yet: nothing happens.
    assert services.outbox_send(email_id=email.pk, connection=smtp, now=now) == "pending"
    assert email.attempts == 1
    later = email.next_attempt_at + timedelta(seconds=1)
    assert services.outbox_send(email_id=email.pk, connection=smtp, now=later) == "pending"
    email.refresh_from_db()
    assert services.outbox_send(email_id=email.pk, connection=smtp, now=email.next_attempt_at) == "sent"
    assert services.outbox_send(email_id=email.pk, connection=smtp, now=email.next_attempt_at) == "sent"
    assert len(smtp.sent) == 1


@pytest.mark.django_db
def test_an_email_that_keeps_failing_is_marked_failed():
    send([UserFactory()])
    email = OutboxEmail.objects.get()
    smtp = FlakySMTP(failures=100)
    for _ in range(services.MAX_ATTEMPTS):
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=None)
        services.outbox_send(email_id=email.pk, connection=smtp)
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED and email.attempts == services.MAX_ATTEMPTS


@pytest.mark.django_db
def test_sweep_sends_what_was_never_queued_and_resumes_cut_off_sends():
    anna, bernd = UserFactory(), UserFactory()
    send([anna], key="a")
    send([bernd], key="b")
    cut_off = OutboxEmail.objects.get(recipient=bernd)
    # A worker died mid-send long ago.
    OutboxEmail.objects.filter(pk=cut_off.pk).update(
        status="sending", attempts=1, next_attempt_at=timezone.now() - timedelta(minutes=1)
    )
    assert services.outbox_sweep() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([anna.email, bernd.email])
    assert services.outbox_sweep() == 0


@pytest.mark.django_db
def test_digest_bundles_pending_notifications_once_grouped_by_thing():
    anna = UserFactory(language="de")
    services.preferences_update(user=anna, frequencies={IDEA_STATUS: Frequency.DAILY})
    send([anna], key="e1", title="Bank im Park", url="/workgroups/wirtschaft/")
    send([anna], key="e2", title="Bank im Park (2)", url="/workgroups/wirtschaft/")
    send([anna], key="e3", title="Radweg", url="/workgroups/energie-umwelt/")
    assert not OutboxEmail.objects.exists()  # nothing immediate

    email = digest_build(user=anna, frequency=Frequency.DAILY)
    assert email is not None
    assert email.subject == "Ihre tägliche Übersicht: 3 neue Benachrichtigungen"
    body = email.body_text
    assert body.index("Bank im Park (2)") < body.index("Bank im Park\n")  # newest first within a group
    assert body.count("/workgroups/wirtschaft/") == 1  # one group per thing
    # Each event in at most one digest; an empty digest is not sent.
    assert digest_build(user=anna, frequency=Frequency.DAILY) is None
    assert set(Notification.objects.values_list("email", flat=True)) == {email.pk}


@pytest.mark.django_db
def test_weekly_digest_goes_out_again_the_week_after():
    anna = UserFactory()
    services.preferences_update(user=anna, frequencies={IDEA_STATUS: Frequency.WEEKLY})
    send([anna], key="week1")
    assert digests_send(frequency=Frequency.WEEKLY) == 1
    send([anna], key="week2")
    assert digests_send(frequency=Frequency.WEEKLY) == 1
    assert OutboxEmail.objects.filter(recipient=anna).count() == 2


@pytest.mark.django_db
def test_never_means_no_email_but_the_bell_still_shows_it(client):
    anna = UserFactory()
    services.preferences_update(user=anna, frequencies={IDEA_STATUS: Frequency.NEVER})
    send([anna])
    assert not OutboxEmail.objects.exists()
    assert digests_send(frequency=Frequency.DAILY) == 0
    client.force_login(anna)
    page = client.get("/")
    assert '1<span class="visually-hidden"> ungelesen' in page.text


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_leads_to_the_thing(client):
    anna = UserFactory()
    send([anna], url="/workgroups/wirtschaft/")
    notification = Notification.objects.get()
    client.force_login(anna)
    listing = client.get(reverse("notifications:list"))
    assert "Sample: Bank im Park" in listing.text
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == "/workgroups/wirtschaft/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_nobody_opens_someone_elses_notification(client):
    send([UserFactory()])
    client.force_login(UserFactory())
    assert client.get(reverse("notifications:open", args=[Notification.objects.get().pk])).status_code == 404


@pytest.mark.django_db
def test_preferences_page_saves_choices(client):
    anna = UserFactory()
    client.force_login(anna)
    data = dict.fromkeys(kinds.values(), Frequency.WEEKLY)
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert services.preferences_of(anna) == data
    bad = client.post(reverse("notifications:preferences"), {**data, MENTION: "hourly"})
    assert bad.status_code == 200 and "gültige Auswahl" in bad.text


@pytest.mark.django_db
def test_one_click_unsubscribe_works_without_login_or_cookies(client):
    anna = UserFactory()
    token = unsubscribe_token(user_id=anna.pk, kind=IDEA_STATUS)
    url = reverse("notifications:unsubscribe", args=[token])
    # A GET (e.g. a link scanner) only asks.
    assert "Jetzt abbestellen" in client.get(url).text
    assert services.preferences_of(anna)[IDEA_STATUS] == Frequency.IMMEDIATELY
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert services.preferences_of(anna)[IDEA_STATUS] == Frequency.NEVER


@pytest.mark.django_db
def test_tampered_unsubscribe_token_is_refused_with_a_message(client):
    anna = UserFactory()
    token = unsubscribe_token(user_id=anna.pk, kind=IDEA_STATUS)
    response = client.post(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "Dieser Link ist nicht gültig" in response.text


@pytest.mark.django_db
def test_personal_data_export_and_deletion_include_notifications(client):
    from geraportal.accounts.personal_data import export_for
    from geraportal.accounts.services import account_delete

    anna = UserFactory()
    send([anna])
    assert export_for(anna)["notifications"]["notifications"][0]["kind"] == "idea_status"
    account_delete(user=anna)
    assert not Notification.objects.exists() and not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_the_digests_unsubscribe_link_stops_digests_only(client):
    from ideas.notifications import FOLLOWED

    anna = UserFactory()
    services.preferences_update(user=anna, frequencies={FOLLOWED: Frequency.WEEKLY})
    before = services.preferences_of(anna)
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=anna.pk, kind="digest")])
    assert client.post(url).status_code == 200
    after = services.preferences_of(anna)
    for kind, frequency in before.items():
        if frequency in (Frequency.DAILY, Frequency.WEEKLY):
            assert after[kind] == Frequency.NEVER, kind
        else:  # mentions, status news of one's own ideas: still at once
            assert after[kind] == frequency, kind
    assert after[MENTION] == Frequency.IMMEDIATELY and after[IDEA_STATUS] == Frequency.IMMEDIATELY


@pytest.mark.django_db
def test_a_digest_groups_comments_per_idea_with_who_and_an_excerpt():
    from ideas import services as idea_services
    from ideas.notifications import FOLLOWED
    from tests.ideas.factories import IdeaFactory

    anna = UserFactory(language="de")
    services.preferences_update(user=anna, frequencies={FOLLOWED: Frequency.DAILY})
    idea = IdeaFactory(title="Trinkbrunnen am Markt")
    idea_services.idea_follow(idea=idea, user=anna)
    for name, text in [("Bernd", "Gute Idee, auch im Sommer."), ("Clara", "Bitte barrierefrei bauen!")]:
        idea_services.comment_create(idea=idea, author=UserFactory(display_name=name), body=text)
    for event in services.NotificationEvent.objects.all():
        services.event_fan_out(event_id=event.pk)
    body = digest_build(user=anna, frequency=Frequency.DAILY).body_text
    assert body.count("Trinkbrunnen am Markt") == 1  # one heading for the idea
    assert "Bernd: Gute Idee, auch im Sommer." in body
    assert "Clara: Bitte barrierefrei bauen!" in body
