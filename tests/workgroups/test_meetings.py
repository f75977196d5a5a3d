import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from geraportal.core import ical
from workgroups import services
from workgroups.models import RSVP, CalendarFeed, Meeting

from .factories import MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "Arbeitstreffen",
        "starts_at": "2031-05-04T18:00",
        "ends_at": "2031-05-04T20:00",
        "location": "Rathaus, Kornmarkt 12",
        "online_url": "",
        "agenda": "1. Begrüßung",
        "visibility": "public",
    }
    return {**data, **overrides}


def test_moderator_schedules_a_meeting_in_german_time(client, moderator, member, energy):
    client.force_login(moderator)
    response = client.post(reverse("workgroups:meeting_create", kwargs={"slug": energy.slug}), _form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at == datetime(2031, 5, 4, 16, 0, tzinfo=UTC)  # 18:00 summer time in Gera


def test_meeting_ending_before_it_starts_is_refused_and_nothing_is_saved(client, moderator, energy):
    client.force_login(moderator)
    response = client.post(
        reverse("workgroups:meeting_create", kwargs={"slug": energy.slug}), _form(ends_at="2031-05-04T17:00")
    )
    assert response.status_code == 200
    assert "nach seinem Beginn enden" in response.text
    assert "Arbeitstreffen" in response.text
    assert not Meeting.objects.exists()


def test_service_refuses_an_end_before_the_start_too(moderator, energy):
    start = timezone.now() + timedelta(days=1)
    data = services.MeetingData(
        title="x",
        starts_at=start,
        ends_at=start - timedelta(hours=1),
        location="x",
        online_url="",
        agenda="",
        visibility="public",
    )
    with pytest.raises(services.WorkgroupError):
        services.meeting_create(group=energy, by=moderator, data=data)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org"])
def test_online_link_must_be_a_web_address(client, moderator, energy, url):
    client.force_login(moderator)
    response = client.post(
        reverse("workgroups:meeting_create", kwargs={"slug": energy.slug}), _form(online_url=url)
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_markup_in_meeting_fields_is_inert(client, moderator, energy):
    meeting = MeetingFactory(
        group=energy,
        visibility="public",
        title="<script>alert(1)</script>",
        location="<img src=x onerror=alert(1)>",
        agenda="<script>alert(2)</script>[x](javascript:alert(3))",
        minutes="<iframe src=https://example.org></iframe>",
    )
    page = client.get(meeting.get_absolute_url()).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "javascript:alert" not in page and "<iframe" not in page


def test_rsvp_counts(client, member, moderator, energy):
    meeting = MeetingFactory(group=energy)
    client.force_login(member)
    client.post(
        reverse("workgroups:meeting_rsvp", kwargs={"slug": energy.slug, "pk": meeting.pk}), {"answer": "yes"}
    )
    services.meeting_rsvp(meeting=meeting, user=moderator, answer="maybe")
    client.post(
        reverse("workgroups:meeting_rsvp", kwargs={"slug": energy.slug, "pk": meeting.pk}), {"answer": "no"}
    )
    assert dict(RSVP.objects.values_list("user_id", "answer")) == {member.pk: "no", moderator.pk: "maybe"}
    page = client.get(meeting.get_absolute_url()).text
    assert "Ja: <strong>0</strong>" in page and "Vielleicht: <strong>1</strong>" in page


def test_rsvp_with_htmx_answers_with_the_updated_part(client, member, energy):
    meeting = MeetingFactory(group=energy)
    client.force_login(member)
    response = client.post(
        reverse("workgroups:meeting_rsvp", kwargs={"slug": energy.slug, "pk": meeting.pk}),
        {"answer": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert 'aria-live="polite"' in response.text and "Ja: <strong>1</strong>" in response.text


def test_rsvp_to_a_past_meeting_is_refused(client, member, energy):
    past = timezone.now() - timedelta(days=2)
    meeting = MeetingFactory(group=energy, starts_at=past, ends_at=past + timedelta(hours=1))
    client.force_login(member)
    response = client.post(
        reverse("workgroups:meeting_rsvp", kwargs={"slug": energy.slug, "pk": meeting.pk}),
        {"answer": "yes"},
        follow=True,
    )
    assert "bereits begonnen" in response.text
    assert not RSVP.objects.exists()


def test_moderator_adds_minutes_after_the_meeting(client, moderator, energy):
    past = timezone.now() - timedelta(days=2)
    meeting = MeetingFactory(group=energy, starts_at=past, ends_at=past + timedelta(hours=1))
    client.force_login(moderator)
    data = _form(
        starts_at=timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
        minutes="**Beschlossen:** Solarleuchte testen",
    )
    client.post(reverse("workgroups:meeting_edit", kwargs={"slug": energy.slug, "pk": meeting.pk}), data)
    page = client.get(meeting.get_absolute_url()).text
    assert "<strong>Beschlossen:</strong>" in page


# --- iCalendar ---------------------------------------------------------------------------


def test_ics_escapes_text_and_folds_long_lines():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "ä" * 100
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_meeting_ics_is_valid_icalendar_with_a_link_back(client, energy, settings):
    settings.SITE_URL = "https://beteiligung.gera.de"
    meeting = MeetingFactory(
        group=energy,
        visibility="public",
        title="Treffen; mit, Sonderzeichen",
        starts_at=datetime(2031, 1, 10, 17, 0, tzinfo=UTC),
        ends_at=datetime(2031, 1, 10, 19, 0, tzinfo=UTC),
        agenda="Punkt 1\nPunkt 2 " + "lang " * 40,
    )
    response = client.get(reverse("workgroups:meeting_ics", kwargs={"slug": energy.slug, "pk": meeting.pk}))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert f"UID:workgroups-meeting-{meeting.pk}@beteiligung.gera.de" in unfolded
    assert "DTSTART:20310110T170000Z" in unfolded and "DTEND:20310110T190000Z" in unfolded
    assert "DTSTAMP:" in unfolded
    assert "SUMMARY:Treffen\\; mit\\, Sonderzeichen (Energie und Umwelt)" in unfolded
    assert f"URL:https://beteiligung.gera.de{meeting.get_absolute_url()}" in unfolded
    assert "Punkt 1\\nPunkt 2" in unfolded


def test_group_feed_shows_only_public_meetings_to_outsiders(client, member, citizen, energy):
    MeetingFactory(group=energy, visibility="public", title="Offenes Treffen")
    MeetingFactory(group=energy, visibility="members", title="Internes Treffen")
    url = reverse("workgroups:calendar", kwargs={"slug": energy.slug})
    client.force_login(citizen)
    body = client.get(url).content.decode()
    assert "Offenes Treffen" in body and "Internes Treffen" not in body
    client.force_login(member)
    assert "Internes Treffen" in client.get(url).content.decode()


def _personal_feed_url(client, group) -> str:
    """The personal calendar address as the group's pages show it to the logged-in member."""
    page = client.get(group.get_absolute_url()).text
    address_page = reverse("workgroups:calendar_address", kwargs={"slug": group.slug})
    assert address_page in page
    page = client.get(address_page).text
    url = re.search(r'value="https?://[^/"]+(/[^"]*kalender\.ics\?token=[^"]+)"', page).group(1)
    return html.unescape(url)


def test_members_personal_feed_works_without_a_session_and_stops_when_they_leave(
    client, member, moderator, energy
):
    MeetingFactory(group=energy, visibility="members", title="Internes Treffen")
    MeetingFactory(group=energy, visibility="public", title="Offenes Treffen")
    client.force_login(member)
    url = _personal_feed_url(client, energy)
    client.logout()
    response = client.get(url)
    assert "Internes Treffen" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    services.membership_leave(group=energy, user=member)
    body = client.get(url).content.decode()
    assert "Internes Treffen" not in body and "Offenes Treffen" in body


def test_personal_feed_address_stays_the_same_between_visits(client, member, energy):
    client.force_login(member)
    assert _personal_feed_url(client, energy) == _personal_feed_url(client, energy)


def test_feed_address_shows_no_ids_of_the_member_or_the_group(client, member, energy):
    client.force_login(member)
    token = _personal_feed_url(client, energy).split("token=", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # random, not a signed payload


def test_after_resetting_the_old_feed_address_shows_public_meetings_only(client, member, energy):
    MeetingFactory(group=energy, visibility="members", title="Internes Treffen")
    MeetingFactory(group=energy, visibility="public", title="Offenes Treffen")
    client.force_login(member)
    old = _personal_feed_url(client, energy)
    response = client.post(reverse("workgroups:calendar_reset", kwargs={"slug": energy.slug}), follow=True)
    assert response.status_code == 200
    assert "old address now shows public meetings only" in response.text or "alte Adresse" in response.text
    new = _personal_feed_url(client, energy)
    assert new != old
    client.logout()
    old_body = client.get(old).content.decode()
    assert old_body.startswith("BEGIN:VCALENDAR")
    assert "Internes Treffen" not in old_body and "Offenes Treffen" in old_body
    assert "Internes Treffen" in client.get(new).content.decode()


def test_meeting_list_offers_the_personal_address_to_members_only(client, member, citizen, energy):
    url = reverse("workgroups:meeting_list", kwargs={"slug": energy.slug})
    address_page = reverse("workgroups:calendar_address", kwargs={"slug": energy.slug})
    client.force_login(member)
    page = client.get(url).text
    assert address_page in page and "kalender.ics" in page
    client.force_login(citizen)
    page = client.get(url).text
    assert address_page not in page and "kalender.ics?token=" not in page
    assert client.get(address_page).status_code == 403


def test_only_people_with_a_personal_address_can_reset_one(client, citizen, energy):
    url = reverse("workgroups:calendar_reset", kwargs={"slug": energy.slug})
    assert client.post(url).status_code == 302  # to the login
    client.force_login(citizen)
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405


def test_old_signed_feed_addresses_no_longer_show_private_meetings(client, member, energy):
    MeetingFactory(group=energy, visibility="members", title="Internes Treffen")
    token = signing.dumps({"u": member.pk, "g": energy.pk}, salt="workgroups.calendar")
    url = reverse("workgroups:calendar", kwargs={"slug": energy.slug}) + f"?token={token}"
    assert "Internes Treffen" not in client.get(url).content.decode()


def test_forged_or_foreign_feed_token_shows_public_meetings_only(client, member, energy, business):
    MeetingFactory(group=energy, visibility="members", title="Internes Treffen")
    MembershipFactory(group=business, user=member)
    foreign = services.calendar_feed_token(group=business, user=member)
    for token in ("garbage", foreign, "A" * 43, "\x00" * 43):
        url = reverse("workgroups:calendar", kwargs={"slug": energy.slug})
        response = client.get(url, {"token": token})
        assert response.status_code == 200
        assert "Internes Treffen" not in response.content.decode()


def test_deleting_the_account_removes_its_calendar_addresses(member, energy):
    services.calendar_feed_token(group=energy, user=member)
    services.personal_data_erase(member, delete_contributions=False)
    assert not CalendarFeed.objects.filter(user=member).exists()
