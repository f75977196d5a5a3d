"""Hiding suggestions that are spam, abusive or off topic, without the Django admin: the service
(audit row, the author told once with the reason), the view's bad input, and that a hidden
suggestion's words appear on no public page or API answer — only to its author."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from geraportal.core.models import StaffAction
from geraportal.notifications.models import Notification, NotificationEvent
from geraportal.strategy import services
from geraportal.strategy.models import Phase, Suggestion
from geraportal.strategy.notifications import STRATEGY_UPDATE
from tests.accounts.factories import UserFactory
from tests.notifications.delivery import fan_out_events

from .conftest import set_phase

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

SPAM = "Billige Uhren unter example.test kaufen"


@pytest.fixture
def consultation(update):
    return set_phase(update, Phase.CONSULTATION)


@pytest.fixture
def spam(consultation, citizen):
    return services.suggestion_submit(
        section=consultation.sections.get(key="wirtschaft"),
        author=citizen,
        kind="change",
        quote="an einer Stelle",
        replacement="im Netz",
        text=SPAM,
    )


def _hide(suggestion, by, reason="Werbung, kein Bezug zur Strategie."):
    return services.suggestion_set_hidden(suggestion=suggestion, by=by, hidden=True, reason=reason)


# --- The service -------------------------------------------------------------------------


def test_hiding_writes_an_audit_row_and_tells_the_author_once_with_the_reason(spam, citizen, team_member):
    _hide(spam, team_member)
    spam.refresh_from_db()
    assert spam.hidden and spam.hidden_reason == "Werbung, kein Bezug zur Strategie."
    row = StaffAction.objects.get(action="strategy_suggestion_hidden")
    assert row.actor == team_member and row.object_id == str(spam.pk)
    assert row.before == {"hidden": False, "hidden_reason": ""}
    assert row.after == {"hidden": True, "hidden_reason": "Werbung, kein Bezug zur Strategie."}

    fan_out_events()
    fan_out_events()
    notes = Notification.objects.filter(recipient=citizen, kind=STRATEGY_UPDATE)
    assert notes.count() == 1
    assert notes.get().context["reason"] == "Werbung, kein Bezug zur Strategie."


def test_showing_again_is_audited_and_clears_the_reason(spam, team_member):
    _hide(spam, team_member)
    services.suggestion_set_hidden(suggestion=spam, by=team_member, hidden=False)
    spam.refresh_from_db()
    assert not spam.hidden and spam.hidden_reason == ""
    assert StaffAction.objects.filter(action="strategy_suggestion_unhidden").count() == 1


def test_hiding_needs_a_reason(spam, team_member):
    with pytest.raises(ValidationError) as error:
        _hide(spam, team_member, reason="   ")
    assert "reason" in error.value.message_dict
    spam.refresh_from_db()
    assert not spam.hidden
    assert not StaffAction.objects.filter(action__startswith="strategy_suggestion").exists()
    assert not NotificationEvent.objects.exists()


def test_hiding_twice_or_showing_a_visible_one_is_refused(spam, team_member):
    with pytest.raises(ValidationError):
        services.suggestion_set_hidden(suggestion=spam, by=team_member, hidden=False)
    _hide(spam, team_member)
    with pytest.raises(ValidationError):
        _hide(spam, team_member, reason="Noch einmal")
    assert StaffAction.objects.filter(action="strategy_suggestion_hidden").count() == 1
    assert NotificationEvent.objects.count() == 1


def test_a_hidden_open_change_does_not_hold_up_the_approval(spam, team_member, strategy_member):
    _hide(spam, team_member)
    set_phase(spam.edition, Phase.APPROVAL)
    services.edition_approve(edition=spam.edition, by=strategy_member)
    spam.edition.refresh_from_db()
    assert spam.edition.approved_at is not None


def test_the_author_of_nothing_but_hidden_suggestions_hears_nothing_of_the_publication(
    spam, team_member, strategy_member
):
    _hide(spam, team_member)
    set_phase(spam.edition, Phase.APPROVAL)
    services.edition_approve(edition=spam.edition, by=strategy_member)
    services.edition_publish(
        edition=spam.edition,
        by=team_member,
        council_date=datetime.date(2026, 12, 10),
        council_resolution="DS 1",
    )
    fan_out_events()
    published = f"strategy.published:{spam.edition.pk}"
    assert not Notification.objects.filter(recipient=spam.author, event_key=published).exists()


def test_a_hidden_change_is_not_decided(spam, team_member):
    _hide(spam, team_member)
    set_phase(spam.edition, Phase.DECISION)
    with pytest.raises(ValidationError):
        services.suggestion_decide(suggestion=spam, by=team_member, status="declined", reason="Nein.")


# --- The view ----------------------------------------------------------------------------


def _moderate_url(suggestion, pk=None):
    return reverse(
        "strategy_public:moderate", kwargs={"year": suggestion.edition.year, "pk": pk or suggestion.pk}
    )


def test_the_team_hides_a_suggestion_from_its_workspace(client, spam, team_member):
    client.force_login(team_member)
    workspace = client.get(reverse("strategy:edition", kwargs={"year": spam.edition.year})).text
    assert _moderate_url(spam) in workspace
    response = client.post(_moderate_url(spam), {"hidden": "1", "reason": "Werbung"})
    assert response.status_code == 302
    spam.refresh_from_db()
    assert spam.hidden and spam.hidden_reason == "Werbung"


def test_the_groups_moderator_hides_from_the_review_page(client, spam, moderator):
    set_phase(spam.edition, Phase.REVIEW)
    client.force_login(moderator)
    review = client.get(
        reverse("strategy_public:review", kwargs={"year": spam.edition.year, "theme": "wirtschaft"})
    ).text
    assert _moderate_url(spam) in review
    response = client.post(_moderate_url(spam), {"hidden": "1", "reason": "Werbung"})
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=spam.pk).hidden


def test_hiding_without_a_reason_gets_a_message_in_german(client, spam, team_member):
    client.force_login(team_member)
    response = client.post(_moderate_url(spam), {"hidden": "1", "reason": ""}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Bitte geben Sie den Grund für das Ausblenden an" in response.text
    assert not Suggestion.objects.get(pk=spam.pk).hidden


def test_hiding_a_hidden_one_again_gets_a_message_and_keeps_the_reason_typed(client, spam, team_member):
    _hide(spam, team_member)
    client.force_login(team_member)
    response = client.post(_moderate_url(spam), {"hidden": "1", "reason": "Mein neuer Grund"})
    assert response.status_code == 400
    assert "Mein neuer Grund" in response.text
    assert "Dieser Vorschlag ist bereits ausgeblendet." in response.text
    assert Suggestion.objects.get(pk=spam.pk).hidden_reason == "Werbung, kein Bezug zur Strategie."


def test_an_unknown_suggestion_or_garbled_input_is_no_500(client, spam, team_member):
    client.force_login(team_member)
    assert client.post(_moderate_url(spam, pk=999999), {"hidden": "1", "reason": "x"}).status_code == 404
    assert client.post(_moderate_url(spam), {"hidden": "vielleicht", "reason": "x"}).status_code == 400
    assert client.get(_moderate_url(spam)).status_code == 405
    assert not Suggestion.objects.get(pk=spam.pk).hidden


def test_a_citizen_and_another_groups_moderator_may_not_hide(client, spam, citizen):
    other = UserFactory()
    from workgroups.models import Membership, WorkingGroup

    Membership.objects.create(
        group=WorkingGroup.objects.get(slug="energie-umwelt"), user=other, role=Membership.Role.MODERATOR
    )
    for user in (citizen, other):
        client.force_login(user)
        assert client.post(_moderate_url(spam), {"hidden": "1", "reason": "x"}).status_code == 403
    assert not Suggestion.objects.get(pk=spam.pk).hidden


# --- Nothing leaks -----------------------------------------------------------------------


def _public_answers(client, edition) -> dict[str, str]:
    year = edition.year
    urls = [
        reverse("strategy_public:index"),
        reverse("strategy_public:edition", kwargs={"year": year}),
        reverse("strategy_public:section_history", kwargs={"year": year, "key": "wirtschaft"}),
        reverse("strategy_public:compare") + f"?old=2025&new={year}",
        reverse("pages:search") + "?q=Uhren",
        reverse("pages:sitemap"),
        "/api/v1/strategy/editions/",
        f"/api/v1/strategy/editions/{year}/",
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_a_hidden_suggestion_appears_on_no_public_page_or_api_answer(
    client, spam, citizen, team_member, strategy_member
):
    # Accepted first (so it is in the text's history and the diff), then hidden.
    set_phase(spam.edition, Phase.DECISION)
    services.suggestion_decide(suggestion=spam, by=team_member, status="accepted", reason="Vorerst ja.")
    _hide(spam, team_member, reason="Werbung")
    set_phase(spam.edition, Phase.APPROVAL)
    services.edition_approve(edition=spam.edition, by=strategy_member)
    services.edition_publish(edition=spam.edition, by=team_member)

    for who in (None, UserFactory()):
        client.logout()
        if who:
            client.force_login(who)
        for url, text in _public_answers(client, spam.edition).items():
            assert f"vorschlag-{spam.pk}" not in text and SPAM not in text, url

    client.force_login(citizen)
    page = client.get(spam.edition.get_absolute_url()).text
    assert f'id="vorschlag-{spam.pk}"' in page and "Werbung" in page


def test_the_author_sees_the_hidden_suggestion_with_the_reason_others_do_not(
    client, spam, citizen, team_member
):
    _hide(spam, team_member, reason="Kein Bezug zum Abschnitt")
    client.force_login(UserFactory())
    assert SPAM not in client.get(spam.edition.get_absolute_url()).text
    client.logout()
    assert SPAM not in client.get(spam.edition.get_absolute_url()).text
    client.force_login(citizen)
    page = client.get(spam.edition.get_absolute_url()).text
    assert SPAM in page and "Kein Bezug zum Abschnitt" in page


def test_the_moderation_buttons_cost_no_query_per_section(client, spam, moderator, team_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from geraportal.strategy.models import Section

    url = spam.edition.get_absolute_url()
    for user in (moderator, team_member):
        client.force_login(user)
        counts = []
        for extra in (0, 20):
            for i in range(extra):
                Section.objects.create(
                    edition=spam.edition, key=f"extra-{i}", theme="wirtschaft", title_de="X", body_de="Text."
                )
            with CaptureQueriesContext(connection) as queries:
                page = client.get(url).text
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        assert _moderate_url(spam) in page
        Section.objects.filter(key__startswith="extra-").delete()
