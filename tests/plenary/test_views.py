import json

import pytest
from django.db import connection
from django.urls import reverse

from plenary import services
from plenary.models import Ballot, Poll, SealedBallot
from plenary.results import recount

from .conftest import PASSPHRASE, close_and_count


def poll_url(poll, name="poll"):
    return reverse(f"plenary:{name}", kwargs={"pk": poll.pk})


@pytest.mark.django_db
def test_plenary_pages_are_public(client, meeting, make_poll, django_assert_num_queries):
    poll = services.poll_open(poll=make_poll())
    with django_assert_num_queries(2):
        assert "Plenum 2026" in client.get(reverse("plenary:list")).text
    page = client.get(meeting.get_absolute_url())
    assert poll.title in page.text and "Zu dieser Sitzung anmelden" not in page.text
    with django_assert_num_queries(2):
        response = client.get(poll_url(poll))
    assert "Melden Sie sich an, um abzustimmen." in response.text


@pytest.mark.django_db
def test_draft_polls_exist_only_for_the_team(client, citizen, team_member, make_poll):
    poll = make_poll()
    client.force_login(citizen)
    assert client.get(poll_url(poll)).status_code == 404
    client.force_login(team_member)
    assert "Abstimmung öffnen" in client.get(poll_url(poll)).text


@pytest.mark.django_db
def test_vote_with_confirmation_then_receipt(client, make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    a, b, *_ = poll.options.values_list("pk", flat=True)
    client.force_login(voters[0])
    form_page = client.get(poll_url(poll))
    assert "Stimmzettel prüfen" in form_page.text
    confirm = client.post(poll_url(poll, "poll_confirm"), {f"option_{a}": "on", f"option_{b}": "on"})
    assert "noch nicht gezählt" in confirm.text
    assert not SealedBallot.objects.exists()  # nothing counts before the confirmation
    data = {"confirmation": confirm.context["confirmation"]}
    counted = client.post(poll_url(poll, "poll_cast"), data)
    # The answer is the receipt itself (no redirect and no second request in a plenary's busiest
    # second); sending it again, e.g. by reloading the page, shows the same receipt.
    assert counted.status_code == 200
    assert "Ihr Stimmzettel wurde gezählt" in counted.text
    code = counted.context["receipt"].code
    assert code in counted.text
    digest = SealedBallot.objects.get().digest
    assert digest in counted.text  # the receipt carries the hash of the sealed ballot
    assert "Sie haben abgestimmt" in client.get(poll_url(poll)).text
    # A double click sends the same form again: same receipt, still one ballot.
    again = client.post(poll_url(poll, "poll_cast"), data)
    assert "Ihr Stimmzettel wurde gezählt" in again.text and code in again.text
    assert SealedBallot.objects.count() == 1 and not Ballot.objects.exists()


@pytest.mark.django_db
def test_the_cast_is_lean(client, make_poll, voters, django_assert_num_queries):
    """All voters of a plenary cast in the same second (issue 16), so the cast does only what
    counting needs, and answers with the receipt rather than a redirect to a second page. Its
    queries are pinned: the user (the session comes from the cache); in the transaction
    (savepoint in tests) the poll with its option ids under a shared lock, read once (two
    queries on SQLite, which has no arrays), the permission checks on that row (the person's
    groups and the frozen voter list; the ballot comes signed from the confirmation page, so
    there is no form to build), the roll row and the sealed ballot written (an earlier roll
    shows as a conflict); then the page's header counts the person's unread notifications."""
    poll = services.poll_open(poll=make_poll(voters=voters))
    a, b, *_ = poll.options.values_list("pk", flat=True)
    client.force_login(voters[0])
    confirm = client.post(poll_url(poll, "poll_confirm"), {f"option_{a}": "on", f"option_{b}": "on"})
    data = {"confirmation": confirm.context["confirmation"]}
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 10):
        cast = client.post(poll_url(poll, "poll_cast"), data)
    assert cast.status_code == 200
    assert [t.name for t in cast.templates][0] == "plenary/poll_receipt.html"
    assert SealedBallot.objects.count() == 1


@pytest.mark.django_db
def test_a_signed_ballot_still_needs_the_right_to_vote_in_the_poll_as_it_is(
    client, make_poll, voters, monkeypatch
):
    """The cast reads the poll once, under its lock, and checks the permissions on that row
    before anything is written: a voter refused by the view's checks there casts nothing (403);
    a confirmation signed for someone not on the voter list is refused (403), one for a poll
    that is a draft again looks like a missing poll (404), one for a poll that is gone is a
    404; nothing is written."""
    from django.core.exceptions import PermissionDenied

    from plenary import views
    from plenary.views import _confirmation_token
    from tests.accounts.factories import UserFactory

    poll = services.poll_open(poll=make_poll(voters=voters))
    a = poll.options.values_list("pk", flat=True)[0]
    client.force_login(voters[1])
    signed = _confirmation_token(voters[1], poll, {a: 1}, "v" * 32)
    checked = []

    def refuse(request, locked):
        checked.append(locked.pk)
        raise PermissionDenied

    with monkeypatch.context() as patched:
        patched.setattr(views, "_may_vote", refuse)
        assert client.post(poll_url(poll, "poll_cast"), {"confirmation": signed}).status_code == 403
    assert checked == [poll.pk] and not poll.voter_roll.exists()
    outsider = UserFactory()
    client.force_login(outsider)
    signed = _confirmation_token(outsider, poll, {a: 1}, "k" * 32)
    assert client.post(poll_url(poll, "poll_cast"), {"confirmation": signed}).status_code == 403
    client.force_login(voters[0])
    signed = _confirmation_token(voters[0], poll, {a: 1}, "k" * 32)
    Poll.objects.filter(pk=poll.pk).update(status=Poll.Status.DRAFT)
    assert client.post(poll_url(poll, "poll_cast"), {"confirmation": signed}).status_code == 404
    gone = Poll(pk=poll.pk + 1000)
    signed = _confirmation_token(voters[0], gone, {a: 1}, "k" * 32)
    assert client.post(poll_url(gone, "poll_cast"), {"confirmation": signed}).status_code == 404
    assert not SealedBallot.objects.exists() and not poll.voter_roll.exists()


@pytest.mark.django_db
def test_an_approval_poll_names_its_number_not_a_placeholder(client, make_poll):
    poll = services.poll_open(poll=make_poll(max_choices=2))
    text = client.get(poll_url(poll)).text
    assert "Zustimmung: bis zu 2 Vorschläge ankreuzen" in text
    assert "Kreuzen Sie bis zu 2 Vorschläge an." in text
    assert "bis zu k " not in text and "bis zu <strong>k" not in text


@pytest.mark.django_db
def test_too_many_ticks_are_refused_and_the_ticks_stay(client, make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters, max_choices=2))
    a, b, c, _d = poll.options.values_list("pk", flat=True)
    client.force_login(voters[0])
    ticks = {f"option_{a}": "on", f"option_{b}": "on", f"option_{c}": "on"}
    response = client.post(poll_url(poll, "poll_confirm"), ticks)
    assert response.status_code == 200
    assert "höchstens 2 sind erlaubt" in response.text
    assert response.text.count("checked") >= 3
    assert not SealedBallot.objects.exists()


@pytest.mark.django_db
def test_nobody_sees_partial_results_staff_see_turnout_only(client, team_member, make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    a = poll.options.values_list("pk", flat=True)[0]
    services.ballot_cast(poll=poll, user=voters[0], choices={a: 1}, submission_key="k")
    client.force_login(team_member)
    page = client.get(poll_url(poll))
    assert "Bisherige Beteiligung: 1 von 5" in page.text
    assert "Ergebnis je Vorschlag" not in page.text
    assert client.get(poll_url(poll, "poll_results_csv")).status_code == 404
    assert client.get(poll_url(poll, "poll_ballots_json")).status_code == 404


@pytest.mark.django_db
def test_published_result_page_csv_and_recount(client, team_member, make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters, method="yes_no", quorum=3))
    options = list(poll.options.values_list("pk", flat=True))
    for person in voters[:4]:
        services.ballot_cast(poll=poll, user=person, choices=dict.fromkeys(options, 1), submission_key="k")
    client.force_login(team_member)
    client.post(reverse("plenary:poll_action", kwargs={"pk": poll.pk, "action": "close"}))
    client.post(poll_url(poll, "poll_count"), {"passphrase": PASSPHRASE})
    client.post(reverse("plenary:poll_action", kwargs={"pk": poll.pk, "action": "publish"}))
    poll.refresh_from_db()
    assert poll.status == Poll.Status.PUBLISHED
    client.logout()
    page = client.get(poll_url(poll))
    assert "Ergebnis je Vorschlag" in page.text and poll.ballot_hash in page.text
    assert "Das Quorum wurde erreicht." in page.text
    # On a phone the table is what one reads first: it comes before the chart.
    assert (
        0
        < page.text.index('class="table-responsive result-table"')
        < page.text.index('<svg class="result-chart"')
    )
    csv_text = client.get(poll_url(poll, "poll_results_csv")).content.decode()
    assert "Mobilitätsinsel" in csv_text and poll.ballot_hash in csv_text
    export = json.loads(client.get(poll_url(poll, "poll_ballots_json")).content)
    assert len(export["ballots"]) == 4
    assert recount(export) == services.poll_result(poll=poll)


@pytest.mark.django_db
def test_registration_for_a_meeting(client, citizen, meeting):
    client.force_login(citizen)
    response = client.post(reverse("plenary:meeting_register", kwargs={"slug": meeting.slug}), follow=True)
    assert "Sie sind für diese Sitzung angemeldet." in response.text
    assert meeting.attendees.filter(user=citizen).exists()


@pytest.mark.django_db
def test_staff_actions_are_closed_to_citizens(client, citizen, make_poll):
    poll = make_poll()
    client.force_login(citizen)
    response = client.post(reverse("plenary:poll_action", kwargs={"pk": poll.pk, "action": "open"}))
    assert response.status_code == 403
    poll.refresh_from_db()
    assert poll.status == Poll.Status.DRAFT


@pytest.mark.django_db
def test_meetings_appear_in_the_events_calendar(client, meeting):
    month = meeting.starts_at.strftime("%Y-%m")
    page = client.get(reverse("events:list"), {"month": month})
    assert "Plenum 2026" in page.text
    ics = client.get(reverse("events:export"), {"month": month}).content.decode()
    assert f"UID:plenary-meeting-{meeting.pk}@geraportal" in ics


@pytest.mark.django_db
def test_a_ballot_only_counts_through_the_confirmation_page(client, make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    a, b, *_ = poll.options.values_list("pk", flat=True)
    client.force_login(voters[0])
    direct = client.post(poll_url(poll, "poll_cast"), {f"option_{a}": "True"}, follow=True)
    assert "Bitte prüfen und bestätigen Sie Ihren Stimmzettel" in direct.text
    confirm = client.post(poll_url(poll, "poll_confirm"), {f"option_{a}": "on"})
    token = confirm.context["confirmation"]
    # Altered, or someone else's, or for another poll, the confirmation counts nothing.
    other_poll = services.poll_open(poll=make_poll())  # the same meeting: the same voters
    client.post(poll_url(poll, "poll_cast"), {"confirmation": token[:-2] + "xx"})
    client.post(poll_url(other_poll, "poll_cast"), {"confirmation": token})
    client.force_login(voters[1])
    client.post(poll_url(poll, "poll_cast"), {"confirmation": token})
    assert not SealedBallot.objects.exists()
    # Fields sent with it do not change the ballot: what was confirmed counts.
    client.force_login(voters[0])
    smuggled = {"confirmation": token, f"option_{b}": "True", f"option_{a}": ""}
    client.post(poll_url(poll, "poll_cast"), smuggled)
    result = services.poll_result(poll=close_and_count(poll))
    scores = {row.option_id: row.score for row in result.options}
    assert result.ballots == 1 and scores[a] == 1 and scores[b] == 0


@pytest.mark.django_db
def test_the_label_voters_saw_is_the_label_of_the_result(client, make_poll, voters, team_member):
    from pilots.models import Pilot

    poll = services.poll_open(poll=make_poll(voters=voters))
    Pilot.objects.filter(title="Mobilitätsinsel").update(title="Mobilitätsinsel – von der Stadt empfohlen")
    client.force_login(voters[0])
    assert "von der Stadt empfohlen" not in client.get(poll_url(poll)).text
    a = poll.options.values_list("pk", flat=True)[0]
    services.ballot_cast(poll=poll, user=voters[0], choices={a: 1}, submission_key="k")
    services.poll_publish(poll=close_and_count(poll), by=team_member)
    export = services.poll_export(poll=Poll.objects.get(pk=poll.pk))
    assert "Mobilitätsinsel" in [o["title"] for o in export["options"]]


@pytest.mark.django_db
def test_a_groups_draft_cannot_be_put_to_the_vote(make_poll):
    from pilots.models import Pilot

    poll = make_poll()
    Pilot.objects.filter(pk=poll.options.first().pilot_id).update(status="draft")
    with pytest.raises(services.PlenaryError, match="Entwurf"):
        services.poll_open(poll=poll)
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.DRAFT


@pytest.mark.django_db
def test_a_citizen_verified_after_a_citizens_poll_opened_is_told_why_they_cannot_vote(client, make_poll):
    from tests.accounts.factories import UserFactory

    poll = services.poll_open(poll=make_poll(secret=False, eligibility=Poll.Eligibility.CITIZENS))
    newcomer = UserFactory(language="en")  # signed up after the list of voters was fixed
    client.force_login(newcomer)
    text = client.get(poll_url(poll)).text
    assert "You are not eligible to vote in this poll. Who may vote was fixed when the poll opened" in text


@pytest.mark.django_db
def test_a_reloaded_receipt_stays_a_receipt_after_the_close(client, make_poll, voters):
    """The cast answers with the receipt, so a reload sends the cast again: after the poll has
    closed, or after the confirmation's hour, the voter must not read "not counted"."""
    poll = services.poll_open(poll=make_poll(voters=voters))
    a = poll.options.values_list("pk", flat=True)[0]
    client.force_login(voters[0])
    confirm = client.post(poll_url(poll, "poll_confirm"), {f"option_{a}": "on"})
    data = {"confirmation": confirm.context["confirmation"]}
    receipt = client.post(poll_url(poll, "poll_cast"), data).context["receipt"]
    services.poll_close(poll=poll)
    reloaded = client.post(poll_url(poll, "poll_cast"), data)
    assert reloaded.status_code == 200 and receipt.code in reloaded.text
    assert "nicht gezählt" not in reloaded.text
    # An unreadable or expired confirmation of someone who voted: the poll page (with the hash
    # of their sealed ballot), no false alarm.
    again = client.post(poll_url(poll, "poll_cast"), {"confirmation": "garbage"}, follow=True)
    assert "nicht gezählt" not in again.text and receipt.digest in again.text


@pytest.mark.django_db
def test_a_signed_token_of_another_shape_is_refused_not_a_500(client, make_poll, voters):
    """E.g. a confirmation page from before an upgrade: signed, but not our payload."""
    from django.core import signing

    from plenary.views import CONFIRMATION_SALT

    poll = services.poll_open(poll=make_poll(voters=voters))
    client.force_login(voters[0])
    old_shape = signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(f"{voters[0].pk}|{poll.pk}|k|1:1")
    response = client.post(poll_url(poll, "poll_cast"), {"confirmation": old_shape}, follow=True)
    assert response.status_code == 200
    assert "Bitte prüfen und bestätigen Sie Ihren Stimmzettel" in response.text
    assert not SealedBallot.objects.exists()
