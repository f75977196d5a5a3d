"""The officers' passphrase screens, the confirmation step's checks and the published hash list.

New strings are compared through gettext in German, so these tests hold before and after the
catalogues are translated.
"""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from plenary import services
from plenary.models import Poll, SealedBallot, VoterRoll
from plenary.results import digest_list_hash, recount

from .conftest import PASSPHRASE, close_and_count


def url(poll, name):
    return reverse(f"plenary:{name}", kwargs={"pk": poll.pk})


def de(text: str) -> str:
    with translation.override("de"):
        return gettext(text)


def page_text(response) -> str:
    import html

    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_officer_sets_the_passphrase_and_opens_a_secret_poll(client, team_member, make_poll, voters):
    poll = make_poll(voters=voters, secret=False)
    Poll.objects.filter(pk=poll.pk).update(secret=True)  # a secret draft without a key yet
    client.force_login(team_member)
    page = client.get(url(poll, "poll_open_secret"))
    assert page.status_code == 200
    assert de("A lost passphrase cannot be recovered") in page_text(page)
    passphrase = "Elster Brücke Rathaus Kornmarkt"
    response = client.post(
        url(poll, "poll_open_secret"),
        {"passphrase": passphrase, "passphrase_again": passphrase, "understood": "on"},
    )
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.status == Poll.Status.OPEN and len(poll.public_key) == 64 and len(poll.key_salt) == 32
    stored = json.dumps(list(Poll.objects.filter(pk=poll.pk).values())[0], default=str)
    assert passphrase not in stored  # neither the passphrase nor the private key is stored
    assert list(poll.audit_entries.values_list("action", flat=True).order_by("pk")) == [
        "poll_key_set",
        "poll_opened",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"passphrase": "", "passphrase_again": "", "understood": "on"}, "Please enter the passphrase."),
        ({"passphrase": "kurz", "passphrase_again": "kurz", "understood": "on"}, "at least"),
        ({"passphrase": "x" * 100_000, "passphrase_again": "x" * 100_000, "understood": "on"}, None),
        (
            {
                "passphrase": "Elster Brücke Rathaus",
                "passphrase_again": "Elster Brücke Rathau",
                "understood": "on",
            },
            "The two passphrases differ.",
        ),
        (
            {"passphrase": "Elster Brücke Rathaus", "passphrase_again": "Elster Brücke Rathaus"},
            "Please confirm that you keep the passphrase safe.",
        ),
    ],
)
def test_a_bad_passphrase_at_opening_is_explained_and_nothing_opens(
    client, team_member, make_poll, data, message
):
    poll = make_poll(secret=False)
    Poll.objects.filter(pk=poll.pk).update(secret=True)
    client.force_login(team_member)
    response = client.post(url(poll, "poll_open_secret"), data)
    assert response.status_code == 200
    text = page_text(response)
    assert 'id="error-summary"' in text and 'role="alert"' in text
    if message == "at least":
        assert de("The passphrase must have at least %(min)s characters.") % {"min": 16} in text
    elif message:
        assert de(message) in text
    poll.refresh_from_db()
    assert poll.status == Poll.Status.DRAFT and poll.public_key == ""


@pytest.mark.django_db
def test_a_secret_poll_does_not_open_without_a_passphrase(client, team_member, make_poll):
    poll = make_poll(secret=False)
    Poll.objects.filter(pk=poll.pk).update(secret=True)
    client.force_login(team_member)
    client.post(reverse("plenary:poll_action", kwargs={"pk": poll.pk, "action": "open"}))
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.DRAFT
    assert services.close_due_polls() == 0  # nor on schedule


@pytest.mark.django_db
def test_officer_pages_are_closed_to_others(client, citizen, make_poll, voters):
    draft = make_poll()
    assert client.get(url(draft, "poll_open_secret")).status_code == 404  # a draft's existence is private
    client.force_login(citizen)
    assert client.get(url(draft, "poll_open_secret")).status_code == 404
    poll = services.poll_open(poll=make_poll(voters=voters))
    services.poll_close(poll=poll)
    assert client.post(url(poll, "poll_count"), {"passphrase": PASSPHRASE}).status_code == 403
    client.logout()
    response = client.get(url(poll, "poll_count"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert Poll.objects.get(pk=poll.pk).counted_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("wrong", ["", "falsche Passphrase, ganz sicher", "x" * 100_000, PASSPHRASE + "\x00"])
def test_a_wrong_passphrase_at_counting_is_explained_and_nothing_is_counted(
    client, team_member, make_poll, voters, wrong
):
    poll = services.poll_open(poll=make_poll(voters=voters))
    services.ballot_cast(poll=poll, user=voters[0], choices={poll.options.first().pk: 1}, submission_key="k")
    services.poll_close(poll=poll)
    client.force_login(team_member)
    response = client.post(url(poll, "poll_count"), {"passphrase": wrong})
    assert response.status_code == 200
    assert 'id="error-summary"' in page_text(response)
    poll.refresh_from_db()
    assert poll.awaits_count and SealedBallot.objects.count() == 1


@pytest.mark.django_db
def test_officer_counts_with_the_passphrase_then_publishes(client, team_member, make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    services.ballot_cast(poll=poll, user=voters[0], choices={poll.options.first().pk: 1}, submission_key="k")
    client.force_login(team_member)
    client.post(reverse("plenary:poll_action", kwargs={"pk": poll.pk, "action": "close"}))
    detail = page_text(client.get(poll.get_absolute_url()))
    assert url(poll, "poll_count") in detail and "Ergebnis je Vorschlag" not in detail
    # Publishing before counting is refused.
    client.post(reverse("plenary:poll_action", kwargs={"pk": poll.pk, "action": "publish"}))
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED
    page = client.get(url(poll, "poll_count"))
    assert page.status_code == 200 and de("Count the ballots") in page_text(page)
    response = client.post(url(poll, "poll_count"), {"passphrase": f"  {PASSPHRASE} "}, follow=True)
    assert "Ergebnis je Vorschlag" in response.text
    assert Poll.objects.get(pk=poll.pk).counted_at is not None
    # Counting twice changes nothing.
    again = client.post(url(poll, "poll_count"), {"passphrase": PASSPHRASE}, follow=True)
    assert de("This poll has no sealed ballots waiting to be counted.") in page_text(again)


@pytest.mark.django_db
def test_the_confirmation_step_checks_eligibility(client, citizen, make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    a = poll.options.first().pk
    client.force_login(citizen)  # not an attendee
    response = client.post(url(poll, "poll_confirm"), {f"option_{a}": "on"}, follow=True)
    assert "Sie sind in dieser Abstimmung nicht stimmberechtigt." in response.text
    assert "confirmation" not in (response.context or {})


@pytest.mark.django_db
def test_a_field_for_another_polls_proposal_is_refused_not_ignored(client, make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters))
    other = make_poll(secret=False)
    a = poll.options.first().pk
    foreign = other.options.first().pk
    client.force_login(voters[0])
    refused = de("The ballot names a proposal that is not part of this poll.")
    response = client.post(url(poll, "poll_confirm"), {f"option_{a}": "on", f"option_{foreign}": "on"})
    assert response.status_code == 200 and refused in page_text(response)
    assert "confirmation" not in response.context
    # Sent along with a confirmed ballot, it changes nothing: the signed ballot counts, alone.
    confirm = client.post(url(poll, "poll_confirm"), {f"option_{a}": "on"})
    data = {"option_abc": "1", f"option_{foreign}": "on", "confirmation": confirm.context["confirmation"]}
    cast = client.post(url(poll, "poll_cast"), data)
    assert cast.context["receipt"].code == VoterRoll.objects.get().receipt
    assert SealedBallot.objects.count() == 1


@pytest.mark.django_db
def test_every_voter_finds_their_hash_in_the_published_list_and_the_export_recounts(
    client, team_member, make_poll, voters
):
    poll = services.poll_open(poll=make_poll(voters=voters, method="points"))
    a, b, c, _d = poll.options.values_list("pk", flat=True)
    receipts = [
        services.ballot_cast(poll=poll, user=person, choices=choices, submission_key="k")
        for person, choices in zip(voters, [{a: 3}, {a: 2, b: 3}, {c: 1}, {}, {b: 3, c: 2}], strict=True)
    ]
    assert client.get(url(poll, "poll_ballot_hashes")).status_code == 404  # not before publishing
    poll = close_and_count(poll)
    services.poll_publish(poll=poll, by=team_member)
    poll.refresh_from_db()
    assert poll.ballot_hash == digest_list_hash([r.digest for r in receipts])
    for person, receipt in zip(voters, receipts, strict=True):
        client.force_login(person)
        page = page_text(client.get(url(poll, "poll_ballot_hashes"), {"hash": receipt.digest.upper()}))
        assert de("Found: this sealed ballot was counted.") in page
        assert receipt.digest in page_text(client.get(poll.get_absolute_url()))
    missing = page_text(client.get(url(poll, "poll_ballot_hashes"), {"hash": "0" * 64}))
    assert (
        de(
            "Not found: no sealed ballot with this hash was counted. Please compare the hash with your "
            "receipt and contact the SMARTCity team."
        )
        in missing
    )
    invalid = client.get(url(poll, "poll_ballot_hashes"), {"hash": "<script>" * 20_000})
    assert invalid.status_code == 200
    export = json.loads(client.get(url(poll, "poll_ballots_json")).content)
    assert sorted(r.digest for r in receipts) == export["ciphertext_hashes"]
    assert recount(export) == services.poll_result(poll=poll)
    export["ciphertext_hashes"][0] = "f" * 64  # a list that is not the published one
    with pytest.raises(ValueError, match="published hash"):
        recount(export)


@pytest.mark.django_db
def test_named_polls_have_no_hash_list(client, team_member, make_poll, voters):
    poll = services.poll_open(poll=make_poll(voters=voters, secret=False))
    services.ballot_cast(poll=poll, user=voters[0], choices={poll.options.first().pk: 1}, submission_key="k")
    services.poll_close(poll=poll)  # no counting step for a named poll
    services.poll_publish(poll=poll, by=team_member)
    assert client.get(url(poll, "poll_ballot_hashes")).status_code == 404
    export = json.loads(client.get(url(poll, "poll_ballots_json")).content)
    assert "ciphertext_hashes" not in export and recount(export).ballots == 1
