import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import translation

from geraportal.notifications.models import Notification, OutboxEmail
from tests.accounts.factories import UserFactory
from tests.notifications.delivery import fan_out_events
from workgroups import services
from workgroups.models import Invitation, JoinRequest, Membership
from workgroups.notifications import WORKGROUP
from workgroups.rules import is_group_member, is_group_moderator
from workgroups.selectors import member_group_ids, moderated_group_ids

from .factories import MembershipFactory, group

pytestmark = pytest.mark.django_db


def _members_url(group):
    return reverse("workgroups:members", kwargs={"slug": group.slug})


def test_contract_predicates_and_selectors_are_safe_for_anonymous(energy):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not is_group_member(anonymous, energy)
    assert not is_group_moderator(anonymous, energy)
    assert member_group_ids(anonymous) == set() and moderated_group_ids(anonymous) == set()


def test_contract_selectors_list_the_groups_of_a_person(energy, business, moderator):
    MembershipFactory(group=business, user=moderator)
    assert member_group_ids(moderator) == {energy.pk, business.pk}
    assert moderated_group_ids(moderator) == {energy.pk}
    assert is_group_moderator(moderator, energy) and not is_group_moderator(moderator, business)


def test_citizen_asks_to_join_and_moderators_hear_of_it(client, citizen, energy, moderator):
    client.force_login(citizen)
    response = client.post(
        reverse("workgroups:join", kwargs={"slug": energy.slug}),
        {"motivation": "Ich kenne mich mit Solar aus."},
    )
    assert response.status_code == 302
    request = JoinRequest.objects.get(user=citizen)
    assert request.status == "pending"
    fan_out_events()
    assert Notification.objects.filter(recipient=moderator, kind=WORKGROUP).exists()
    page = client.get(energy.get_absolute_url())
    assert "wartet auf die Moderation" in page.text or "waiting for the moderators" in page.text


def test_a_second_request_while_one_is_pending_is_refused_clearly(citizen, energy):
    services.join_request_create(group=energy, user=citizen, motivation="Bitte aufnehmen")
    with pytest.raises(services.WorkgroupError):
        services.join_request_create(group=energy, user=citizen, motivation="Nochmal bitte")
    assert JoinRequest.objects.filter(user=citizen).count() == 1


def test_too_short_motivation_keeps_what_was_typed(client, citizen, energy):
    client.force_login(citizen)
    response = client.post(reverse("workgroups:join", kwargs={"slug": energy.slug}), {"motivation": "hi"})
    assert response.status_code == 200
    assert "hi</textarea>" in response.text
    assert not JoinRequest.objects.exists()


def test_moderator_accepts_and_the_requester_is_told(client, citizen, energy, moderator):
    request = services.join_request_create(group=energy, user=citizen, motivation="Ich möchte helfen.")
    client.force_login(moderator)
    response = client.post(reverse("workgroups:join_accept", kwargs={"slug": energy.slug, "pk": request.pk}))
    assert response.status_code == 302
    assert Membership.objects.filter(group=energy, user=citizen, role="member").exists()
    fan_out_events()
    assert Notification.objects.filter(
        recipient=citizen, kind=WORKGROUP, event_key__contains="accepted"
    ).exists()


def test_moderator_declines_with_a_reason_the_requester_sees(client, citizen, energy, moderator):
    request = services.join_request_create(group=energy, user=citizen, motivation="Ich möchte helfen.")
    client.force_login(moderator)
    client.post(
        reverse("workgroups:join_decline", kwargs={"slug": energy.slug, "pk": request.pk}),
        {"reason": "Die Gruppe ist gerade voll."},
    )
    request.refresh_from_db()
    assert request.status == "declined"
    fan_out_events()
    note = Notification.objects.get(recipient=citizen, event_key__contains="declined")
    assert note.context["reason"] == "Die Gruppe ist gerade voll."
    assert not Membership.objects.filter(user=citizen).exists()


def test_a_decided_request_cannot_be_decided_again(client, citizen, energy, moderator):
    request = services.join_request_create(group=energy, user=citizen, motivation="Ich möchte helfen.")
    services.join_request_decline(join_request=request, by=moderator)
    client.force_login(moderator)
    response = client.post(
        reverse("workgroups:join_accept", kwargs={"slug": energy.slug, "pk": request.pk}), follow=True
    )
    assert not Membership.objects.filter(user=citizen).exists()
    assert "bereits entschieden" in response.text or "already been decided" in response.text


def test_member_leaves_the_group(client, member, moderator, energy):
    client.force_login(member)
    client.post(reverse("workgroups:leave", kwargs={"slug": energy.slug}))
    assert not Membership.objects.filter(user=member).exists()


def test_the_last_moderator_cannot_leave_or_be_demoted(client, moderator, energy):
    with pytest.raises(services.WorkgroupError):
        services.membership_leave(group=energy, user=moderator)
    with pytest.raises(services.WorkgroupError):
        services.membership_set_role(
            membership=Membership.objects.get(user=moderator), role="member", by=moderator
        )
    assert Membership.objects.get(user=moderator).role == "moderator"


def test_moderator_promotes_and_removes_members(client, member, moderator, energy):
    client.force_login(moderator)
    membership = Membership.objects.get(user=member)
    client.post(
        reverse("workgroups:member_role", kwargs={"slug": energy.slug, "pk": membership.pk}),
        {"role": "moderator"},
    )
    membership.refresh_from_db()
    assert membership.role == "moderator"
    client.post(reverse("workgroups:member_remove", kwargs={"slug": energy.slug, "pk": membership.pk}))
    assert not Membership.objects.filter(user=member).exists()


def test_member_list_shows_members_to_members_only(client, member, moderator, citizen, energy):
    client.force_login(member)
    assert "Clara Moderation" in client.get(_members_url(energy)).text
    client.force_login(citizen)
    assert client.get(_members_url(energy)).status_code == 403


# --- invitations ---------------------------------------------------------------------------


def test_invitation_is_emailed_and_works_for_an_existing_account(
    client, moderator, energy, mailoutbox, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="eva@example.org")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workgroups:invite", kwargs={"slug": energy.slug}), {"email": "eva@example.org"})
    (mail,) = mailoutbox
    assert mail.to == ["eva@example.org"]
    link = re.search(r"https?://\S+/workgroups/einladung/\S+/", mail.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.force_login(invitee)
    response = client.post("/" + path)
    assert response.status_code == 302
    assert Membership.objects.filter(group=energy, user=invitee).exists()


def test_invitation_link_cannot_be_used_twice(moderator, energy):
    invitee = UserFactory(email="eva@example.org")
    invitation = services.invitation_create(group=energy, email="eva@example.org", by=moderator)
    services.invitation_accept(token=invitation.token, user=invitee)
    other = UserFactory(email="eva2@example.org")
    EmailAddress.objects.create(user=other, email="EVA@example.org", verified=True)
    with pytest.raises(services.WorkgroupError, match="already been used|bereits verwendet"):
        services.invitation_accept(token=invitation.token, user=other)
    assert not Membership.objects.filter(user=other).exists()


def test_expired_invitation_is_refused(moderator, energy, clock):
    invitee = UserFactory(email="eva@example.org")
    invitation = services.invitation_create(group=energy, email="eva@example.org", by=moderator)
    clock.shift(timedelta(days=15))
    with pytest.raises(services.WorkgroupError):
        services.invitation_accept(token=invitation.token, user=invitee)
    assert not Membership.objects.filter(user=invitee).exists()


def test_invitation_used_by_another_account_is_refused_with_a_clear_message(client, moderator, energy):
    invitation = services.invitation_create(group=energy, email="eva@example.org", by=moderator)
    stranger = UserFactory(email="mallory@example.org")
    client.force_login(stranger)
    response = client.post(invitation.get_absolute_url(), follow=True)
    assert response.status_code == 200
    assert "andere E-Mail-Adresse" in response.text or "another e-mail address" in response.text
    assert not Membership.objects.filter(user=stranger).exists()
    assert Invitation.objects.get().accepted_at is None


def test_unknown_invitation_token_is_a_404(client):
    unknown = "A" * 43
    assert client.get(reverse("workgroups:invitation", kwargs={"token": unknown})).status_code == 404


@pytest.mark.parametrize("token", ["nope", "%00", "a%00" + "b" * 42, "x" * 200, "%E2%80%AE" + "a" * 40])
def test_malformed_invitation_link_is_a_404(client, token):
    assert client.get(f"/workgroups/einladung/{token}/").status_code == 404


@pytest.mark.postgres
@pytest.mark.parametrize("token", ["%00", "a%00" + "b" * 42])
def test_invitation_link_with_a_nul_byte_is_a_404_on_postgres(client, moderator, energy, token):
    services.invitation_create(group=energy, email="eva@example.org", by=moderator)
    assert client.get(f"/workgroups/einladung/{token}/").status_code == 404


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.mark.django_db(transaction=True)
def test_invitation_is_kept_and_queued_when_the_mail_server_is_down(settings, reference_data):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    energy = group("energie-umwelt")
    moderator = MembershipFactory(group=energy, role="moderator").user
    client = Client(raise_request_exception=False)
    client.force_login(moderator)
    response = client.post(
        reverse("workgroups:invite", kwargs={"slug": energy.slug}), {"email": "eva@example.org"}, follow=True
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get(group=energy, email="eva@example.org")
    email = OutboxEmail.objects.get(idempotency_key=f"workgroups.invitation:{invitation.pk}")
    assert email.to_email == "eva@example.org"
    assert email.status == OutboxEmail.Status.PENDING
    assert invitation.get_absolute_url() in email.body_text


def test_invitation_email_is_german_for_an_address_without_account(moderator, energy):
    with translation.override("en"):
        invitation = services.invitation_create(group=energy, email="neu@example.org", by=moderator)
    email = OutboxEmail.objects.get(idempotency_key=f"workgroups.invitation:{invitation.pk}")
    assert "Einladung" in email.subject


def test_invitation_email_follows_the_language_of_the_invitees_account(moderator, energy):
    UserFactory(email="eva@example.org", language="en")
    invitation = services.invitation_create(group=energy, email="EVA@example.org", by=moderator)
    email = OutboxEmail.objects.get(idempotency_key=f"workgroups.invitation:{invitation.pk}")
    assert "Invitation to the working group" in email.subject


def test_person_without_account_signs_up_and_lands_as_member(client, moderator, energy, mailoutbox):
    invitation = services.invitation_create(group=energy, email="neu@example.org", by=moderator)
    page = client.get(invitation.get_absolute_url())
    assert reverse("account_signup") in page.text
    client.post(
        reverse("account_signup") + f"?next={invitation.get_absolute_url()}",
        {
            "email": "neu@example.org",
            "password1": "Gera-ist-smart-2026",
            "password2": "Gera-ist-smart-2026",
            "display_name": "Neu",
            "accept_privacy": "on",
            "next": invitation.get_absolute_url(),
        },
    )
    confirmation = [m for m in mailoutbox if "neu@example.org" in m.to][-1]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    client.post(path)
    membership = Membership.objects.get(group=energy, user__email="neu@example.org")
    assert membership.role == "member"
    assert Invitation.objects.get().accepted_by == membership.user
