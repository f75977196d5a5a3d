import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from geraportal.districts.models import District
from geraportal.notifications.models import Notification
from pilots.models import Milestone, Pilot, PilotFollow, PilotStatusChange, PilotUpdate
from tests.ideas.factories import IdeaFactory
from tests.notifications.delivery import fan_out_events

from .factories import MilestoneFactory, PilotFactory, PilotUpdateFactory, group

pytestmark = pytest.mark.django_db

HOSTILE = 'Sensor "<b>fett</b>" &amp; <script>alert("x")</script><img src=x onerror=alert(1)>'


# --- Visibility ---------------------------------------------------------------------------


def test_overview_shows_public_pilots_and_hides_drafts(client):
    PilotFactory(title="Mobilitätsinsel", status="implementation")
    PilotFactory(title="Geheimer Entwurf", status="draft")
    page = client.get(reverse("pilots:list")).content.decode()
    assert "Mobilitätsinsel" in page
    assert "Geheimer Entwurf" not in page


def test_draft_is_a_404_for_outsiders_and_visible_to_members(
    client, citizen, group_member, other_group_moderator
):
    draft = PilotFactory(status="draft")
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    client.force_login(other_group_moderator)
    assert client.get(url).status_code == 404
    client.force_login(group_member)
    assert client.get(url).status_code == 200


def test_draft_is_visible_to_the_smartcity_team_but_not_without_2fa(client, team_member_without_mfa):
    draft = PilotFactory(status="draft")
    client.force_login(team_member_without_mfa)
    assert client.get(draft.get_absolute_url()).status_code in (302, 404)


def test_filters_are_in_the_url(client):
    aga = District.objects.get(name="Aga")
    a = PilotFactory(title="Solarleuchte Aga", status="completed", working_group=group("energie-umwelt"))
    a.districts.add(aga)
    PilotFactory(title="Cockpit Wirtschaft", status="completed", working_group=group("wirtschaft"))
    PilotFactory(title="Noch im Bau", status="implementation", working_group=group("energie-umwelt"))
    page = client.get(
        reverse("pilots:list"), {"status": "completed", "group": "energie-umwelt"}
    ).content.decode()
    assert "Solarleuchte Aga" in page and "Cockpit Wirtschaft" not in page and "Noch im Bau" not in page
    page = client.get(reverse("pilots:list"), {"district": aga.slug}).content.decode()
    assert "Solarleuchte Aga" in page and "Noch im Bau" not in page


def test_bad_filter_values_are_ignored(client):
    response = client.get(reverse("pilots:list"), {"status": "<x>", "group": "'; DROP", "page": "abc"})
    assert response.status_code == 200


def test_board_has_one_column_per_public_stage(client):
    PilotFactory(title="Mobilitätsinsel", status="implementation")
    page = client.get(reverse("pilots:board")).content.decode()
    for status in (
        "proposed",
        "prioritised",
        "selected",
        "approved",
        "tendering",
        "implementation",
        "completed",
    ):
        assert f'id="column-{status}"' in page
    assert 'id="column-draft"' not in page


def test_map_works_without_a_tile_server_on_the_district_background(client, settings):
    settings.MAP_TILE_URL = ""
    PilotFactory(title="Solarleuchte", status="completed", latitude="50.880000", longitude="12.080000")
    response = client.get(reverse("pilots:map"), {"status": "completed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="pilots-map"' in page and 'data-tile-url=""' in page and "Solarleuchte" in page
    assert f'data-districts-url="{reverse("district_geojson")}"' in page
    assert 'href="/pilots/map/' in client.get(reverse("pilots:list")).content.decode()


def test_map_with_a_tile_server_has_the_list_beside_it(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    PilotFactory(title="Solarleuchte", status="completed", latitude="50.880000", longitude="12.080000")
    page = client.get(reverse("pilots:map")).content.decode()
    assert 'id="pilots-map"' in page and "Solarleuchte" in page
    data = client.get(reverse("pilots:geojson")).json()
    assert data["features"][0]["properties"]["title"] == "Solarleuchte"


def test_detail_shows_source_ideas_with_their_authors_public_names(client, idea_author):
    idea = IdeaFactory(author=idea_author, title="Licht im Park")
    pilot = PilotFactory(status="approved", ideas=[idea])
    page = client.get(pilot.get_absolute_url()).content.decode()
    assert "Licht im Park" in page and "Ida Ideengeberin" in page


def test_deleted_authors_show_as_deleted_participant(client, idea_author):
    from geraportal.accounts.services import account_delete

    idea = IdeaFactory(author=idea_author, title="Licht im Park")
    pilot = PilotFactory(status="approved", ideas=[idea])
    account_delete(user=idea_author, delete_contributions=False)
    page = client.get(pilot.get_absolute_url()).content.decode()
    assert "Ida Ideengeberin" not in page
    assert "Gelöschte Person" in page or "Deleted participant" in page


def test_detail_progress_bar_is_accessible_and_overdue_milestones_are_flagged(client):
    pilot = PilotFactory(status="implementation")
    MilestoneFactory(pilot=pilot, title="Ausschreibung", done_date=datetime.date.today())
    MilestoneFactory(pilot=pilot, title="Montage", due_date=datetime.date(2020, 1, 1))
    page = client.get(pilot.get_absolute_url()).content.decode()
    assert '<progress id="progress-detail" class="pilot-progress-bar" max="100" value="50">' in page
    assert "50 %" in page
    assert "überfällig" in page or "overdue" in page


# --- Query counts ---------------------------------------------------------------------------


@pytest.fixture
def many_pilots(db):
    districts = list(District.objects.all()[:5])
    pilots = Pilot.objects.bulk_create(
        [
            Pilot(
                title=f"Pilot {n}",
                slug=f"pilot-{n}",
                summary="Kurzbeschreibung",
                working_group=group("energie-umwelt"),
                status="implementation",
                council_date=datetime.date(2021, 2, 24),
                council_resolution=f"DS 2021/{n}",
            )
            for n in range(200)
        ]
    )
    Through = Pilot.districts.through
    Through.objects.bulk_create([Through(pilot=p, district=districts[n % 5]) for n, p in enumerate(pilots)])
    Milestone.objects.bulk_create([Milestone(pilot=p, title=f"M{k}") for p in pilots for k in range(3)])
    PilotUpdate.objects.bulk_create(
        [
            PilotUpdate(pilot=pilots[n % 10], title=f"U{n}", body="x", body_html="<p>x</p>")
            for n in range(2000)
        ]
    )
    PilotStatusChange.objects.bulk_create(
        [PilotStatusChange(pilot=pilots[0], from_status="draft", to_status="proposed") for _ in range(5)]
    )
    return pilots


def test_overview_query_count_is_flat(client, citizen, many_pilots, django_assert_num_queries):
    client.force_login(citizen)
    with django_assert_num_queries(9):
        response = client.get(reverse("pilots:list"))
    assert response.status_code == 200


def test_board_query_count_is_flat(client, citizen, many_pilots, django_assert_num_queries):
    client.force_login(citizen)
    with django_assert_num_queries(8):
        response = client.get(reverse("pilots:board"))
    assert response.status_code == 200


def test_detail_query_count_is_flat_with_many_updates(
    client, team_member, many_pilots, django_assert_num_queries
):
    client.force_login(team_member)
    pilot = many_pilots[0]
    with django_assert_num_queries(12):
        response = client.get(pilot.get_absolute_url())
    assert response.status_code == 200
    with django_assert_num_queries(12):
        response = client.get(pilot.get_absolute_url() + "?before=" + response.context["timeline"].older)
    assert response.status_code == 200


def test_anonymous_detail_query_count(client, many_pilots, django_assert_num_queries):
    with django_assert_num_queries(7):
        assert client.get(many_pilots[3].get_absolute_url()).status_code == 200


# --- Creating and editing -------------------------------------------------------------------


def _form(**overrides):
    data = {
        "title": "Smarte Parkbank",
        "summary": "Bänke mit Solarstrom und WLAN.",
        "description": "Mehr **Aufenthaltsqualität**.",
        "working_group": str(group("energie-umwelt").pk),
        "source_ideas": "",
        "budget_planned": "12000",
        "funding_share": "65",
    }
    data.update(overrides)
    return data


def test_group_moderator_creates_a_draft(client, group_moderator):
    client.force_login(group_moderator)
    response = client.post(reverse("pilots:create"), _form())
    pilot = Pilot.objects.get(title="Smarte Parkbank")
    assert response.status_code == 302
    assert pilot.status == "draft" and pilot.slug == "smarte-parkbank"
    assert PilotStatusChange.objects.get(pilot=pilot).to_status == "draft"


def test_citizen_cannot_create_pilots(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("pilots:create")).status_code == 403
    assert client.post(reverse("pilots:create"), _form()).status_code == 403


def test_moderator_cannot_create_for_another_group(client, other_group_moderator):
    client.force_login(other_group_moderator)
    response = client.post(reverse("pilots:create"), _form())
    assert response.status_code == 200
    assert not Pilot.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("budget_planned", "-5"),
        ("budget_planned", "1e309"),
        ("budget_planned", "abc"),
        ("budget_planned", "Infinity"),
        ("funding_share", "101"),
        ("funding_share", "-1"),
        ("funding_share", "abc"),
    ],
)
def test_bad_numbers_are_refused_with_a_message_and_the_input_stays(client, group_moderator, field, value):
    client.force_login(group_moderator)
    response = client.post(reverse("pilots:create"), _form(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "Smarte Parkbank" in response.content.decode()
    assert not Pilot.objects.exists()


def test_dates_in_the_wrong_order_are_refused(client, group_moderator):
    client.force_login(group_moderator)
    response = client.post(
        reverse("pilots:create"), _form(planned_start="2021-06-01", planned_end="2021-03-01")
    )
    assert response.context["form"].errors["planned_end"]
    response = client.post(
        reverse("pilots:create"), _form(actual_start="2021-06-01", actual_end="2021-03-01")
    )
    assert response.context["form"].errors["actual_end"]
    assert not Pilot.objects.exists()


def test_unknown_idea_numbers_are_refused(client, group_moderator):
    client.force_login(group_moderator)
    response = client.post(reverse("pilots:create"), _form(source_ideas="99999, abc"))
    assert response.context["form"].errors["source_ideas"]


@pytest.mark.parametrize("number", ["²", "1²", "١٢", "1e3", "-5", "1234567890"])
def test_idea_numbers_that_are_not_plain_digits_get_a_form_error(client, group_moderator, number):
    client.force_login(group_moderator)
    response = client.post(reverse("pilots:create"), _form(source_ideas=number))
    assert response.status_code == 200
    assert response.context["form"].errors["source_ideas"] == [f"„{number}“ ist keine Ideennummer."]
    assert response.context["form"]["source_ideas"].value() == number
    assert not Pilot.objects.exists()


def test_xss_in_every_text_is_shown_as_text(client, team_member):
    client.force_login(team_member)
    idea = IdeaFactory()
    data = _form(
        title=HOSTILE,
        summary=HOSTILE,
        description=HOSTILE + "\n\n[link](javascript:alert(1))",
        location_text=HOSTILE,
        contact_name=HOSTILE,
        contact_phone="<b>0365</b>",
        links=f"{HOSTILE} | https://example.org/a.pdf",
        source_ideas=str(idea.pk),
    )
    response = client.post(reverse("pilots:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    pilot = Pilot.objects.get()
    pilot.status = "implementation"
    pilot.council_date, pilot.council_resolution = datetime.date(2021, 2, 24), "DS 1"
    pilot.save()
    from pilots import services

    services.milestone_save(pilot=pilot, by=team_member, title=HOSTILE)
    services.progress_update_create(pilot=pilot, by=team_member, title=HOSTILE, body=HOSTILE)
    services.pilot_complete(pilot=pilot, by=team_member, note=HOSTILE)
    for url in (pilot.get_absolute_url(), reverse("pilots:list"), reverse("pilots:board")):
        page = client.get(url).content.decode()
        assert "<script>" not in page
        assert "onerror=" not in page.replace("onerror=alert(1)&gt;", "")
        assert "javascript:" not in page
    feed = client.get(reverse("pilots:feed_rss")).content.decode()
    assert "<script>" not in feed


# --- Transitions through the UI --------------------------------------------------------------


def test_transition_form_with_stale_status_shows_a_clear_message(client, team_member):
    pilot = PilotFactory(status="approved")
    client.force_login(team_member)
    url = reverse("pilots:transition", args=[pilot.slug, "tendering"])
    client.post(url, {"expected_status": "approved"})
    response = client.post(url, {"expected_status": "approved"}, follow=True)
    assert response.status_code == 200
    assert PilotStatusChange.objects.filter(pilot=pilot).count() == 1
    text = response.content.decode()
    assert "zwischenzeitlich" in text or "in the meantime" in text


def test_council_decision_without_date_through_the_ui(client, team_member):
    pilot = PilotFactory(status="selected")
    client.force_login(team_member)
    response = client.post(
        reverse("pilots:transition", args=[pilot.slug, "approved"]),
        {"expected_status": "selected", "resolution": "DS 2021/5"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["council_date"]
    assert Pilot.objects.get(pk=pilot.pk).status == "selected"


def test_impossible_transition_through_the_ui_is_a_message_not_a_500(client, team_member):
    pilot = PilotFactory(status="completed")
    client.force_login(team_member)
    response = client.post(
        reverse("pilots:transition", args=[pilot.slug, "tendering"]), {"expected_status": "completed"}
    )
    assert response.status_code == 400
    assert Pilot.objects.get(pk=pilot.pk).status == "completed"


def test_unknown_target_is_a_404(client, team_member):
    pilot = PilotFactory(status="approved")
    client.force_login(team_member)
    assert client.get(reverse("pilots:transition", args=[pilot.slug, "draft"])).status_code == 404
    assert client.get(reverse("pilots:transition", args=[pilot.slug, "bogus"])).status_code == 404


def test_anonymous_is_sent_to_login_and_citizen_gets_403(client, citizen):
    pilot = PilotFactory(status="approved")
    url = reverse("pilots:transition", args=[pilot.slug, "tendering"])
    assert client.post(url, {"expected_status": "approved"}).status_code == 302
    client.force_login(citizen)
    assert client.post(url, {"expected_status": "approved"}).status_code == 403


# --- Selection ---------------------------------------------------------------------------------


def _selection_data(pilots, rationale="Großer Nutzen"):
    data = {}
    for p in pilots:
        data[f"select_{p.pk}"] = "on"
        data[f"rationale_{p.pk}"] = rationale
    return data


def test_strategy_group_selects_and_records_the_proposal(client, strategy_member):
    pilots = [PilotFactory(status="prioritised", plenary_rank=n + 1) for n in range(3)]
    client.force_login(strategy_member)
    page = client.get(reverse("pilots:selection")).content.decode()
    assert pilots[0].title in page
    response = client.post(reverse("pilots:selection"), _selection_data(pilots[:2]))
    assert response.status_code == 302
    assert sorted(Pilot.objects.filter(status="selected").values_list("pk", flat=True)) == sorted(
        p.pk for p in pilots[:2]
    )
    assert Pilot.objects.get(pk=pilots[0].pk).selection_rationale == "Großer Nutzen"


def test_selecting_more_than_allowed_is_refused_with_a_message(client, strategy_member, settings):
    settings.PILOTS_MAX_SELECTED = 2
    pilots = [PilotFactory(status="prioritised", plenary_rank=n + 1) for n in range(3)]
    client.force_login(strategy_member)
    response = client.post(reverse("pilots:selection"), _selection_data(pilots))
    assert response.status_code == 400
    assert "2" in response.content.decode()
    assert not Pilot.objects.filter(status="selected").exists()


def test_selection_needs_a_rationale_each(client, strategy_member):
    pilot = PilotFactory(status="prioritised")
    client.force_login(strategy_member)
    response = client.post(reverse("pilots:selection"), _selection_data([pilot], rationale=""))
    assert response.status_code == 400
    assert Pilot.objects.get(pk=pilot.pk).status == "prioritised"


def test_citizen_cannot_see_the_selection(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("pilots:selection")).status_code == 403


def test_team_sees_the_selection_but_cannot_select(client, team_member):
    pilot = PilotFactory(status="prioritised")
    client.force_login(team_member)
    assert client.get(reverse("pilots:selection")).status_code == 200
    assert client.post(reverse("pilots:selection"), _selection_data([pilot])).status_code == 403


# --- Milestones and updates -------------------------------------------------------------------


def test_milestone_done_before_it_was_created_is_refused(client, team_member):
    pilot = PilotFactory(status="implementation")
    client.force_login(team_member)
    response = client.post(
        reverse("pilots:milestone_create", args=[pilot.slug]), {"title": "Montage", "done_date": "2001-01-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["done_date"]
    assert not Milestone.objects.exists()


def test_milestone_done_in_the_future_is_refused(client, team_member):
    pilot = PilotFactory(status="implementation")
    client.force_login(team_member)
    response = client.post(
        reverse("pilots:milestone_create", args=[pilot.slug]), {"title": "Montage", "done_date": "2999-01-01"}
    )
    assert response.status_code == 400


def test_update_notifies_followers_and_appears_on_the_timeline(client, team_member, citizen, idea_author):
    idea = IdeaFactory(author=idea_author)
    pilot = PilotFactory(status="implementation", ideas=[idea])
    PilotFollow.objects.create(pilot=pilot, user=citizen)
    client.force_login(team_member)
    response = client.post(
        reverse("pilots:update_create", args=[pilot.slug]),
        {"title": "Sensoren montiert", "body": "Alle **zwölf**."},
    )
    assert response.status_code == 302
    fan_out_events()
    assert Notification.objects.filter(recipient=citizen, kind="pilot_update").exists()
    fan_out_events()
    assert Notification.objects.filter(recipient=idea_author, kind="pilot_update").exists()
    page = client.get(pilot.get_absolute_url()).content.decode()
    assert "Sensoren montiert" in page and "<strong>zwölf</strong>" in page


def test_update_image_is_re_encoded_without_gps(client, team_member):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    pilot = PilotFactory(status="implementation")
    client.force_login(team_member)
    photo = (Path(__file__).resolve().parents[1] / "testdata" / "photo-with-gps.jpg").read_bytes()
    client.post(
        reverse("pilots:update_create", args=[pilot.slug]),
        {
            "title": "Foto",
            "body": "Baustelle",
            "image": SimpleUploadedFile("p.jpg", photo, "image/jpeg"),
            "image_alt": "Die Baustelle",
        },
    )
    update = PilotUpdate.objects.get()
    with update.image.open("rb") as f:
        assert not Image.open(f).getexif()
    assert client.get(reverse("pilots:update_image", args=[pilot.slug, update.pk])).status_code == 200


def test_decompression_bomb_is_refused(client, team_member):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    pilot = PilotFactory(status="implementation")
    client.force_login(team_member)
    bomb = (Path(__file__).resolve().parents[1] / "testdata" / "bomb-30000x30000.png").read_bytes()
    response = client.post(
        reverse("pilots:update_create", args=[pilot.slug]),
        {
            "title": "Foto",
            "body": "x",
            "image": SimpleUploadedFile("b.png", bomb, "image/png"),
            "image_alt": "x",
        },
    )
    assert response.status_code == 400
    assert not PilotUpdate.objects.exists()


def test_follow_and_unfollow(client, citizen):
    pilot = PilotFactory(status="implementation")
    client.force_login(citizen)
    client.post(reverse("pilots:follow", args=[pilot.slug]))
    assert PilotFollow.objects.filter(pilot=pilot, user=citizen).exists()
    client.post(reverse("pilots:follow", args=[pilot.slug]), {"follow": "0"})
    assert not PilotFollow.objects.filter(pilot=pilot, user=citizen).exists()


def test_nobody_follows_a_draft_they_cannot_see(client, citizen):
    draft = PilotFactory(status="draft")
    client.force_login(citizen)
    assert client.post(reverse("pilots:follow", args=[draft.slug])).status_code == 404


# --- Feeds and exports --------------------------------------------------------------------------


def test_feeds_list_updates_of_public_pilots_only(client):
    public = PilotFactory(status="implementation", title="Öffentlich")
    draft = PilotFactory(status="draft", title="Entwurf")
    PilotUpdateFactory(pilot=public, title="Sichtbare Neuigkeit")
    PilotUpdateFactory(pilot=draft, title="Geheime Neuigkeit")
    for name in ("pilots:feed_rss", "pilots:feed_atom"):
        body = client.get(reverse(name)).content.decode()
        assert "Sichtbare Neuigkeit" in body and "Geheime Neuigkeit" not in body
    assert client.get(reverse("pilots:pilot_feed_rss", args=[public.slug])).status_code == 200
    assert client.get(reverse("pilots:pilot_feed_atom", args=[draft.slug])).status_code == 404


def test_csv_export_is_safe_against_formula_injection(client):
    PilotFactory(status="completed", title='=HYPERLINK("http://evil")', budget_planned="36000")
    PilotFactory(status="draft", title="Entwurf")
    response = client.get(reverse("pilots:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["id", "title", "slug", "status"]
    assert len(rows) == 2
    assert rows[1][1].startswith("'=")
    assert "36000.00" in rows[1]


def test_json_export_has_status_progress_and_dates(client):
    pilot = PilotFactory(
        status="completed", actual_start=datetime.date(2021, 5, 1), actual_end=datetime.date(2022, 3, 1)
    )
    MilestoneFactory(pilot=pilot, done_date=datetime.date(2021, 6, 1))
    MilestoneFactory(pilot=pilot)
    data = json.loads(client.get(reverse("pilots:export_json")).content)
    row = data["pilots"][0]
    assert row["status"] == "completed" and row["progress_percent"] == 50
    assert row["actual_start"] == "2021-05-01" and row["council_date"] == "2021-02-24"


# --- Profile ----------------------------------------------------------------------------------


def test_citizen_sees_pilots_from_their_ideas_on_the_profile(client, idea_author):
    idea = IdeaFactory(author=idea_author, title="Solarbänke")
    PilotFactory(status="implementation", title="Autarke Solarleuchte", ideas=[idea])
    PilotFactory(status="draft", title="Interner Entwurf", ideas=[idea])
    client.force_login(idea_author)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Autarke Solarleuchte" in page and "Solarbänke" in page
    assert "Interner Entwurf" not in page
