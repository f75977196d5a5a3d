import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from geraportal.accounts import personal_data
from geraportal.accounts.services import account_delete
from tests.notifications.delivery import fan_out_events
from workgroups import services
from workgroups.filetypes import PDF
from workgroups.models import RSVP, Membership, Post, Thread

from .factories import MeetingFactory, MembershipFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def _fill(group, author, *, threads: int, posts: int):
    for i in range(threads):
        thread = ThreadFactory(group=group, author=author, visibility="public" if i % 2 else "members")
        for _ in range(posts):
            PostFactory(thread=thread, author=MembershipFactory(group=group).user)
        MeetingFactory(group=group, visibility="public" if i % 2 else "members")
    return thread


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("role", ["anonymous", "member", "moderator", "team"])
def test_group_page_needs_a_pinned_number_of_queries(
    client, energy, member, moderator, team_member, role, size, django_assert_num_queries
):
    _fill(energy, member, threads=size, posts=size)
    user = {"anonymous": None, "member": member, "moderator": moderator, "team": team_member}[role]
    if user:
        client.force_login(user)
    # The team's 2FA check costs one more query than other logged-in people. The person's roles
    # are asked first (is the page the public's?): kept between requests in production.
    queries = {"anonymous": 7, "member": 11, "moderator": 11, "team": 12}[role]
    with django_assert_num_queries(queries):
        response = client.get(energy.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 30])
@pytest.mark.parametrize("role", ["anonymous", "member", "moderator", "team"])
def test_thread_page_needs_a_pinned_number_of_queries(
    client, energy, member, moderator, team_member, role, size, django_assert_num_queries
):
    thread = ThreadFactory(group=energy, author=member, visibility="public")
    for i in range(size):
        reply_to = PostFactory(thread=thread, author=MembershipFactory(group=energy).user)
        PostFactory(thread=thread, author=member, reply_to=reply_to if i % 2 else None)
    user = {"anonymous": None, "member": member, "moderator": moderator, "team": team_member}[role]
    if user:
        client.force_login(user)
    queries = {"anonymous": 3, "member": 9, "moderator": 9, "team": 10}[role]
    with django_assert_num_queries(queries):
        response = client.get(thread.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", ["thread_list", "document_list", "meeting_list", "members"])
def test_lists_stay_flat_as_rows_are_added(client, energy, member, url_name, django_assert_num_queries):
    from django.urls import reverse

    _fill(energy, member, threads=6, posts=3)
    for i in range(5):
        services.document_upload(
            group=energy,
            by=member,
            data=services.DocumentData(title=f"D{i}", description="", visibility="public"),
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
            file_type=PDF,
        )
    client.force_login(member)
    queries = {"thread_list": 6, "document_list": 7, "meeting_list": 7, "members": 6}[url_name]
    with django_assert_num_queries(queries):
        assert client.get(reverse(f"workgroups:{url_name}", kwargs={"slug": energy.slug})).status_code == 200


def test_export_contains_memberships_posts_and_rsvps(member, energy):
    thread = services.thread_create(
        group=energy,
        author=member,
        data=services.ThreadData(title="Mein Thema", visibility="members", body="Hallo"),
    )
    services.meeting_rsvp(meeting=MeetingFactory(group=energy), user=member, answer="maybe")
    data = personal_data.export_for(member)["workgroups"]
    assert data["memberships"] == [
        {"group": "Energie und Umwelt", "role": "member", "since": data["memberships"][0]["since"]}
    ]
    assert data["threads"][0]["title"] == thread.title
    assert data["posts"][0]["text"] == "Hallo"
    assert data["meeting_replies"][0]["answer"] == "maybe"


def test_export_of_another_person_leaves_out_my_private_posts(member, citizen, energy):
    services.thread_create(
        group=energy,
        author=member,
        data=services.ThreadData(title="Geheim", visibility="members", body="Intern"),
    )
    assert "Intern" not in str(personal_data.export_for(citizen))


def test_account_deletion_anonymises_posts_and_removes_memberships(member, energy):
    thread = services.thread_create(
        group=energy,
        author=member,
        data=services.ThreadData(title="Bleibt", visibility="public", body="Mein Text"),
    )
    services.meeting_rsvp(meeting=MeetingFactory(group=energy), user=member, answer="yes")
    account_delete(user=member)
    post = Post.objects.get(thread=thread)
    assert post.body == "Mein Text" and post.author.public_name == "Gelöschte Person"
    assert not Membership.objects.filter(user=member).exists()
    assert not RSVP.objects.filter(user=member).exists()


def test_account_deletion_with_contributions_deletes_posts(member, moderator, energy):
    other = ThreadFactory(group=energy, author=moderator)
    PostFactory(thread=other, author=member, body="Weg damit")
    services.thread_create(
        group=energy, author=member, data=services.ThreadData(title="Auch weg", visibility="public", body="x")
    )
    account_delete(user=member, delete_contributions=True)
    assert not Post.objects.filter(body="Weg damit").exists()
    assert not Thread.objects.filter(title="Auch weg").exists()
    assert Thread.objects.filter(pk=other.pk).exists()


def test_private_content_is_not_in_notifications_of_non_members(member, citizen, energy):
    from geraportal.notifications.models import Notification

    services.thread_create(
        group=energy,
        author=member,
        data=services.ThreadData(title="Geheim", visibility="members", body="@Anna"),
    )
    fan_out_events()
    assert not Notification.objects.filter(recipient=citizen).exists()
