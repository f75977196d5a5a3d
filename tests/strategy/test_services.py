"""The update cycle through its services: text, suggestions, anchors, decisions, publication."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from geraportal.notifications.models import Notification
from geraportal.strategy import services
from geraportal.strategy.models import Follower, Phase, Section, SectionVersion, StrategyEdition, Suggestion
from tests.accounts.factories import UserFactory
from tests.notifications.delivery import fan_out_events

from .conftest import TEXT_WIRTSCHAFT, set_phase

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _data(section: Section, **changes) -> services.SectionData:
    fields = {name: getattr(section, name) for name in services.SectionData.__dataclass_fields__}
    fields.update(changes)
    return services.SectionData(**fields)


def _suggest(section, author, quote="Ansprechpartner an einer Stelle", replacement="Ansprechpartner im Netz"):
    return services.suggestion_submit(
        section=section,
        author=author,
        kind="change",
        quote=quote,
        replacement=replacement,
        text="Weil es hilft.",
    )


def test_a_new_update_copies_the_published_text_and_gets_default_dates(update, base_edition):
    assert update.previous == base_edition
    assert [s.key for s in update.sections.all()] == ["wirtschaft", "energie", "m-licht"]
    assert update.sections.get(key="wirtschaft").body_de == TEXT_WIRTSCHAFT
    assert SectionVersion.objects.filter(section__edition=update).count() == 3
    dates = services.default_dates(year=2026)
    assert update.consultation_starts == dates.consultation_starts
    assert dates.consultation_starts < dates.consultation_ends < dates.review_ends < dates.decision_ends
    assert dates.decision_ends < datetime.date(2026, 12, 31)


def test_default_dates_follow_the_schedule_after_2026():
    # 2027 is no update year: its cycle is that of 2028.
    assert services.default_dates(year=2027) == services.default_dates(year=2028)


def test_phases_follow_from_dates(update):
    for phase in (Phase.DRAFT, Phase.CONSULTATION, Phase.REVIEW, Phase.DECISION, Phase.APPROVAL):
        assert set_phase(update, phase).phase() == phase


def test_advance_walks_through_the_phases_and_keeps_the_dates_in_order(update):
    today = timezone.localdate()
    seen = [update.phase()]
    for _ in range(4):
        update = services.edition_advance(edition=update, today=today)
        seen.append(update.phase())
    assert seen == [Phase.DRAFT, Phase.CONSULTATION, Phase.REVIEW, Phase.DECISION, Phase.APPROVAL]
    with pytest.raises(ValidationError):
        services.edition_advance(edition=update, today=today)


def test_suggestions_survive_edits_of_other_passages(update, citizen, team_member):
    set_phase(update, Phase.CONSULTATION)
    section = update.sections.get(key="wirtschaft")
    suggestion = _suggest(section, citizen)
    old_position = suggestion.position

    # The team rewrites the first sentence (before the passage): the anchor moves along.
    section = services.section_save(
        edition=update,
        section=section,
        by=team_member,
        data=_data(section, body_de="Neuer, längerer erster Satz. " + section.body_de),
        note="Einleitung ergänzt",
    )
    suggestion.refresh_from_db()
    assert suggestion.anchor == Suggestion.Anchor.OK
    assert suggestion.position == old_position + len("Neuer, längerer erster Satz. ")
    assert section.body_de[suggestion.position :].startswith(suggestion.quote)

    # Another section changes: nothing happens to this suggestion.
    energie = update.sections.get(key="energie")
    services.section_save(
        edition=update, section=energie, by=team_member, data=_data(energie, body_de="Anders.")
    )
    suggestion.refresh_from_db()
    assert suggestion.anchor == Suggestion.Anchor.OK


def test_a_suggestion_whose_passage_changed_is_flagged_not_moved(update, citizen, team_member):
    set_phase(update, Phase.CONSULTATION)
    section = update.sections.get(key="wirtschaft")
    suggestion = _suggest(section, citizen)
    services.section_save(
        edition=update,
        section=section,
        by=team_member,
        data=_data(section, body_de=section.body_de.replace("an einer Stelle", "im Bürgerbüro")),
    )
    suggestion.refresh_from_db()
    assert suggestion.anchor == Suggestion.Anchor.LOST
    # Restored text: found again.
    services.section_save(edition=update, section=section, by=team_member, data=_data(section))
    suggestion.refresh_from_db()
    assert suggestion.anchor == Suggestion.Anchor.OK


def test_a_passage_that_occurs_twice_is_told_apart_by_its_context(update, citizen):
    set_phase(update, Phase.CONSULTATION)
    section = update.sections.get(key="wirtschaft")
    second = section.body_de.rindex("Mittelstand")
    suggestion = services.suggestion_submit(
        section=section,
        author=citizen,
        kind="change",
        quote="Mittelstand",
        replacement="Handwerk",
        text="Genauer.",
        prefix_hint="Stelle. Der ",
        suffix_hint=" ist das Rückgrat",
    )
    assert suggestion.position == second


def test_a_suggestion_on_a_passage_that_does_not_exist_is_refused(update, citizen):
    set_phase(update, Phase.CONSULTATION)
    section = update.sections.get(key="wirtschaft")
    with pytest.raises(ValidationError) as error:
        _suggest(section, citizen, quote="Dieser Satz steht nirgends")
    assert "quote" in error.value.error_dict
    assert not Suggestion.objects.exists()


def test_suggestions_only_during_the_consultation(update, citizen):
    section = update.sections.get(key="wirtschaft")
    for phase in (Phase.DRAFT, Phase.REVIEW):
        set_phase(update, phase)
        with pytest.raises(ValidationError):
            _suggest(section, citizen)


def test_the_cycle_from_suggestion_to_publication(update, citizen, team_member, moderator, strategy_member):
    follower = UserFactory()
    services.follow_set(user=follower, follow=True)
    set_phase(update, Phase.CONSULTATION)
    section = update.sections.get(key="wirtschaft")
    accepted = _suggest(section, citizen)
    declined = _suggest(section, citizen, quote="Rückgrat der Stadt", replacement="Herz der Stadt")

    set_phase(update, Phase.REVIEW)
    services.suggestion_recommend(
        suggestion=accepted,
        by=moderator,
        verdict="accept",
        note="Gut.",
        thread_url="/workgroups/wirtschaft/diskussionen/1/",
    )
    assert accepted.recommendation.theme == "wirtschaft"

    set_phase(update, Phase.DECISION)
    services.suggestion_decide(suggestion=accepted, by=team_member, status="accepted", reason="Klarer.")
    services.suggestion_decide(suggestion=declined, by=team_member, status="declined", reason="Bleibt so.")
    section.refresh_from_db()
    assert "Ansprechpartner im Netz" in section.body_de
    assert "Rückgrat der Stadt" in section.body_de
    version = section.versions.order_by("-number").first()
    assert version.suggestion_id == accepted.pk and version.note == "Klarer."
    assert section.body_html_de and "im Netz" in section.body_html_de

    set_phase(update, Phase.APPROVAL)
    services.edition_approve(edition=update, by=strategy_member, note="Einverstanden.")
    update.refresh_from_db()
    assert update.phase() == Phase.APPROVED

    services.edition_publish(
        edition=update,
        by=team_member,
        council_date=datetime.date(2026, 12, 10),
        council_resolution="DS 2026/300",
    )
    update.refresh_from_db()
    assert update.phase() == Phase.PUBLISHED
    fan_out_events()
    kinds = dict(Notification.objects.filter(recipient=citizen).values_list("event_key", "kind"))
    assert f"strategy.suggestion:{accepted.pk}:decided" in kinds
    assert f"strategy.published:{update.pk}" in kinds
    assert Notification.objects.filter(
        recipient=follower, event_key=f"strategy.published:{update.pk}"
    ).exists()


def test_accept_with_changes_puts_the_teams_wording_in(update, citizen, team_member):
    set_phase(update, Phase.CONSULTATION)
    suggestion = _suggest(update.sections.get(key="wirtschaft"), citizen)
    set_phase(update, Phase.DECISION)
    services.suggestion_decide(
        suggestion=suggestion,
        by=team_member,
        status="accepted_changed",
        reason="Etwas anders.",
        final_text="Hilfe",
    )
    assert "Unternehmen finden Hilfe." in update.sections.get(key="wirtschaft").body_de


def test_a_decision_needs_a_reason_and_a_lost_passage_cannot_be_applied(update, citizen, team_member):
    set_phase(update, Phase.CONSULTATION)
    section = update.sections.get(key="wirtschaft")
    suggestion = _suggest(section, citizen)
    set_phase(update, Phase.DECISION)
    with pytest.raises(ValidationError):
        services.suggestion_decide(suggestion=suggestion, by=team_member, status="accepted", reason=" ")
    services.section_save(
        edition=update, section=section, by=team_member, data=_data(section, body_de="Ganz neuer Text.")
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.suggestion_decide(suggestion=suggestion, by=team_member, status="accepted", reason="Ja.")
    assert "no longer in the text" in str(error.value)
    # Declining still works, and nothing was half-written.
    services.suggestion_decide(suggestion=suggestion, by=team_member, status="declined", reason="Überholt.")
    assert update.sections.get(key="wirtschaft").body_de == "Ganz neuer Text."


def test_the_strategy_group_approves_only_when_every_change_is_decided(update, citizen, strategy_member):
    set_phase(update, Phase.CONSULTATION)
    _suggest(update.sections.get(key="wirtschaft"), citizen)
    set_phase(update, Phase.APPROVAL)
    with translation.override("en"), pytest.raises(ValidationError, match="not decided"):
        services.edition_approve(edition=update, by=strategy_member)
    assert StrategyEdition.objects.get(pk=update.pk).approved_at is None


def test_followers_hear_once_that_the_consultation_opened(update):
    follower = UserFactory()
    Follower.objects.create(user=follower)
    today = timezone.localdate()
    services.edition_advance(edition=update, today=today)
    assert services.consultations_announce(today=today) == 0  # announced already by the advance
    fan_out_events()
    assert (
        Notification.objects.filter(
            recipient=follower, event_key=f"strategy.consultation:{update.pk}"
        ).count()
        == 1
    )


def test_a_consultation_that_opens_by_date_is_announced_by_the_daily_task(update):
    follower = UserFactory()
    Follower.objects.create(user=follower)
    set_phase(update, Phase.CONSULTATION)
    assert services.consultations_announce(today=timezone.localdate()) == 1
    assert services.consultations_announce(today=timezone.localdate()) == 0
    fan_out_events()
    assert Notification.objects.filter(recipient=follower, kind="strategy_update").count() == 1


def test_an_update_begun_late_starts_as_a_draft_without_dates(base_edition, team_member, clock):
    clock.move_to(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC))
    late = services.edition_create(year=2026, title="Spät", summary="…", by=team_member)
    assert late.consultation_starts is None and late.phase() == Phase.DRAFT
    late = services.edition_advance(edition=late, today=timezone.localdate())
    assert late.phase() == Phase.CONSULTATION
    assert (late.consultation_ends - late.consultation_starts).days == 41


def test_my_data_holds_my_suggestions_and_deleting_my_account_keeps_the_public_record(update, citizen):
    from geraportal.accounts.personal_data import export_for
    from geraportal.accounts.services import account_delete

    set_phase(update, Phase.CONSULTATION)
    section = update.sections.get(key="wirtschaft")
    open_one = _suggest(section, citizen)
    Follower.objects.create(user=citizen)
    data = export_for(citizen)["strategy"]
    assert data["follows_the_strategy"] is True
    assert [s["text"] for s in data["suggestions"]] == ["Weil es hilft."]

    account_delete(user=citizen, delete_contributions=True)
    assert not Follower.objects.filter(user=citizen).exists()
    assert not Suggestion.objects.filter(pk=open_one.pk).exists()  # open: gone with the person's words
