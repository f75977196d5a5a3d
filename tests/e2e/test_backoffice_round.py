"""The SMARTCity team walks one whole round in the back-office, without /admin/."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from geraportal.accounts.roles import SMARTCITY_TEAM
from geraportal.pages.models import Event
from ideas.models import Competition, Idea
from pilots.models import Pilot
from plenary.models import Poll
from tests.accounts.factories import UserFactory, give_mfa
from tests.ideas.factories import IdeaFactory
from workgroups.models import WorkingGroup

from .conftest import axe_violations
from .test_plenary_voting import _session_cookie, login


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db(transaction=True)
def test_the_team_runs_a_round_without_admin(browser, live_server, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    now = timezone.now()
    group = WorkingGroup.objects.get(slug="energie-umwelt")
    officer = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM], display_name="Tina Team")
    give_mfa(officer)
    juror = UserFactory(display_name="Jana Jurorin")
    participant = UserFactory(display_name="Paul Teilnehmer")
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    context.add_cookies([_session_cookie(officer, live_server.url)])
    try:
        # The start page is linked from the header.
        page.goto("/")
        page.get_by_role("link", name="Verwaltungsbereich").first.click()
        expect(page.locator("h1")).to_be_visible()
        assert axe_violations(page) == []

        # A competition with a jury; its submission has just ended.
        page.goto("/staff/wettbewerbe/neu/")
        page.locator("#id_title").fill("Ideen für Gera 2026")
        page.locator("#id_slug").fill("ideen-2026")
        page.locator("#id_description").fill("Der Wettbewerb.")
        page.locator("#id_submission_start").fill(_local(now - timedelta(days=10)))
        page.locator("#id_submission_end").fill(_local(now + timedelta(days=1)))
        page.locator("#id_results_at").fill(_local(now + timedelta(days=20)))
        page.locator("#id_winners_count").fill("1")
        page.locator("#id_jury_emails").fill(juror.email)
        page.locator("#id_criteria-0-name").fill("Nutzen")
        page.locator("#id_criteria-0-weight").fill("2")
        page.locator("main form button.btn-primary").first.click()
        expect(page.locator(".alert-success")).to_be_visible()
        competition = Competition.objects.get(slug="ideen-2026")
        assert list(competition.jury.all()) == [juror]
        idea = IdeaFactory(author=participant, theme=group, title="Solarbank am Markt")
        Idea.objects.filter(pk=idea.pk).update(competition=competition)
        Competition.objects.filter(pk=competition.pk).update(submission_end=now - timedelta(minutes=1))

        # The juror scores (on the portal's jury page).
        juror_context = browser.new_context(base_url=live_server.url, locale="de-DE")
        juror_page = juror_context.new_page()
        login(juror_page, juror)
        juror_page.goto(f"/ideas/competitions/ideen-2026/jury/{idea.pk}/")
        criterion = competition.criteria.get()
        juror_page.locator(f"#id_c{criterion.pk}").select_option("5")
        juror_page.locator("main form button.btn-primary").first.click()
        juror_context.close()

        # Publish the ranking with the jury's reason: the participant gets mail.
        mail.outbox.clear()
        page.goto(f"/staff/wettbewerbe/{competition.pk}/rangliste/")
        page.locator("main form button.btn-primary").first.click()  # without a reason: refused, nothing lost
        expect(page.locator("#error-summary")).to_be_visible()
        page.locator(f"#id_reason_{idea.pk}").fill("Einfach und sofort nützlich.")
        page.locator("main form button.btn-primary").first.click()
        expect(page.locator(".alert-success")).to_be_visible()
        assert any(participant.email in m.to for m in mail.outbox)

        # A plenary meeting with a poll on two proposals; opening tells the eligible voters.
        proposals = [
            Pilot.objects.create(title=t, slug=s, summary="…", working_group=group, status="proposed")
            for t, s in (("Autarke Solarleuchte", "solarleuchte"), ("Smarte Müllentsorgung", "muell"))
        ]
        page.goto("/staff/plenum/sitzungen/neu/")
        page.locator("#id_title").fill("Plenum 2026")
        page.locator("#id_slug").fill("plenum-2026")
        page.locator("#id_starts_at").fill(_local(now + timedelta(days=2)))
        page.locator("#id_place").fill("Rathaus Gera")
        page.locator("#id_agenda-0-pilot").select_option(str(proposals[0].pk))
        page.locator("#id_agenda-1-pilot").select_option(str(proposals[1].pk))
        page.locator("main form button.btn-primary").first.click()
        expect(page.locator(".alert-success")).to_be_visible()
        page.get_by_role("link", name="Neue Abstimmung in dieser Sitzung").or_(
            page.get_by_role("link", name="New poll at this meeting")
        ).click()
        page.locator("#id_title").fill("Priorisierung")
        page.locator("#id_method").select_option("approval")
        page.locator("#id_max_choices").fill("1")
        page.locator("#id_eligibility").select_option("citizens")
        page.locator("#id_secret").uncheck()
        for pilot in proposals:
            page.locator(f"input[name=proposals][value='{pilot.pk}']").check()
        page.locator("main form button.btn-primary").first.click()
        poll = Poll.objects.get(title="Priorisierung")
        mail.outbox.clear()
        page.goto(poll.get_absolute_url())
        page.get_by_role("button", name="Abstimmung öffnen").click()
        expect(page.get_by_role("button", name="Abstimmung schließen")).to_be_visible()
        assert any(participant.email in m.to for m in mail.outbox)

        # A member votes; the team closes and publishes; the voters hear of the result.
        voter_context = browser.new_context(base_url=live_server.url, locale="de-DE")
        voter_page = voter_context.new_page()
        login(voter_page, participant)
        voter_page.goto(poll.get_absolute_url())
        voter_page.get_by_label("Autarke Solarleuchte").check()
        voter_page.get_by_role("button", name="Stimmzettel prüfen").click()
        voter_page.get_by_role("button", name="Stimmzettel abgeben").click()
        expect(voter_page.get_by_text("Ihr Stimmzettel wurde gezählt.")).to_be_visible()
        voter_context.close()
        page.reload()
        page.get_by_role("button", name="Abstimmung schließen").click()
        mail.outbox.clear()
        page.get_by_role("button", name="Ergebnis veröffentlichen").click()
        expect(page.get_by_role("table").first).to_be_visible()
        assert any(participant.email in m.to for m in mail.outbox)

        # An idea from a workshop, on behalf of the participant; then proposed as a pilot.
        workshop = Event.objects.create(
            title="Mobilität",
            starts_at=now - timedelta(days=1),
            ends_at=now - timedelta(hours=20),
            location="Rathaus",
        )
        page.goto(f"/staff/beitraege/neu/?workshop={workshop.pk}")
        page.locator("#id_title").fill("Fahrradbügel am Bahnhof")
        page.locator("#id_body").fill("Mehr Platz für Räder.")
        page.locator("#id_theme").select_option(str(group.pk))
        page.locator("#id_origin-contact_email").fill(participant.email)
        page.locator("main form button.btn-primary").first.click()  # no consent yet: refused, nothing lost
        expect(page.locator("#error-summary")).to_be_visible()
        assert page.locator("#id_title").input_value() == "Fahrradbügel am Bahnhof"
        page.locator("#id_origin-consent").check()
        page.locator("main form button.btn-primary").first.click()
        expect(page.get_by_text("Mobilität").first).to_be_visible()
        workshop_idea = Idea.objects.get(title="Fahrradbügel am Bahnhof")
        assert workshop_idea.author == participant and workshop_idea.source == "workshop"
        assert axe_violations(page) == []
        page.get_by_role("button", name="Als Pilotprojekt vorschlagen").or_(
            page.get_by_role("button", name="Propose as a pilot")
        ).click()
        draft = Pilot.objects.get(source_ideas=workshop_idea)
        assert draft.status == "draft" and draft.working_group == group
    finally:
        context.close()
