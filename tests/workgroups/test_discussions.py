import json

import pytest
from django.urls import reverse

from geraportal.notifications.models import Notification
from tests.notifications.delivery import fan_out_events
from tests.paths import TESTDATA
from workgroups import references, services
from workgroups.models import Membership, Post, Thread, ThreadReference
from workgroups.notifications import MENTION, WORKGROUP
from workgroups.selectors import forget_memberships

from .factories import MembershipFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

HOSTILE = json.loads((TESTDATA / "hostile-inputs.json").read_text())


def _thread_url(thread):
    return reverse("workgroups:thread_detail", kwargs={"slug": thread.group.slug, "pk": thread.pk})


def test_member_starts_a_members_only_thread(client, member, energy):
    client.force_login(member)
    response = client.post(
        reverse("workgroups:thread_create", kwargs={"slug": energy.slug}),
        {"title": "Solarleuchten", "visibility": "members", "body": "Wer kennt sich aus?"},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response.url == _thread_url(thread)
    assert thread.posts.get().body == "Wer kennt sich aus?"


def test_member_of_other_group_cannot_read_private_thread(client, other_member, member, energy):
    thread = ThreadFactory(group=energy, author=member, title="Geheime Planung")
    client.force_login(other_member)
    assert client.get(_thread_url(thread)).status_code == 404
    listing = client.get(reverse("workgroups:thread_list", kwargs={"slug": energy.slug}))
    group_page = client.get(energy.get_absolute_url())
    assert "Geheime Planung" not in listing.text and "Geheime Planung" not in group_page.text


def test_citizen_reads_a_public_thread_but_cannot_post(client, citizen, member, energy):
    thread = ThreadFactory(group=energy, author=member, visibility="public", title="Offene Runde")
    PostFactory(thread=thread, author=member, body="Hallo Gera")
    client.force_login(citizen)
    page = client.get(_thread_url(thread))
    assert "Hallo Gera" in page.text
    response = client.post(
        reverse("workgroups:post_create", kwargs={"slug": energy.slug, "pk": thread.pk}), {"body": "x"}
    )
    assert response.status_code == 403
    assert thread.posts.count() == 1


@pytest.mark.parametrize("payload", HOSTILE["markup"])
def test_markup_in_posts_is_rendered_inert(client, member, energy, payload):
    thread = ThreadFactory(group=energy, author=member)
    client.force_login(member)
    client.post(
        reverse("workgroups:post_create", kwargs={"slug": energy.slug, "pk": thread.pk}), {"body": payload}
    )
    post = Post.objects.get(thread=thread)
    assert post.body == payload  # what was written is kept as written
    html = post.body_html.lower()
    for dangerous in (
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "<style",
        "ontoggle",
        "onload",
        "<svg",
        "data:",
    ):
        assert dangerous not in html
    page = client.get(_thread_url(thread)).text.lower()
    assert "<script>alert" not in page and "onerror=alert" not in page


def test_reply_refers_to_the_post_it_answers(client, member, moderator, energy):
    thread = ThreadFactory(group=energy, author=moderator)
    first = PostFactory(thread=thread, author=moderator)
    client.force_login(member)
    client.post(
        reverse("workgroups:post_create", kwargs={"slug": energy.slug, "pk": thread.pk}),
        {"body": "Genau!", "reply_to": first.pk},
    )
    reply = Post.objects.get(body="Genau!")
    assert reply.reply_to == first
    assert f'href="#post-{first.pk}"' in client.get(_thread_url(thread)).text


def test_posting_into_a_locked_thread_is_refused(client, member, moderator, energy):
    thread = ThreadFactory(group=energy, author=member)
    services.thread_set_locked(thread=thread, locked=True, by=moderator)
    client.force_login(member)
    response = client.post(
        reverse("workgroups:post_create", kwargs={"slug": energy.slug, "pk": thread.pk}),
        {"body": "Noch was"},
        follow=True,
    )
    assert response.status_code == 200
    assert "geschlossen" in response.text or "closed" in response.text
    assert not thread.posts.exists()


def test_empty_post_shows_the_thread_again_with_an_error(client, member, energy):
    thread = ThreadFactory(group=energy, author=member)
    client.force_login(member)
    response = client.post(
        reverse("workgroups:post_create", kwargs={"slug": energy.slug, "pk": thread.pk}), {"body": "   "}
    )
    assert response.status_code == 400
    assert not thread.posts.exists()


def test_author_edits_own_post_and_it_is_marked_edited(client, member, energy):
    thread = ThreadFactory(group=energy, author=member)
    post = PostFactory(thread=thread, author=member, body="Erste Fassung")
    client.force_login(member)
    client.post(
        reverse("workgroups:post_edit", kwargs={"slug": energy.slug, "pk": thread.pk, "post_pk": post.pk}),
        {"body": "Zweite Fassung"},
    )
    post.refresh_from_db()
    assert post.body == "Zweite Fassung" and post.edited_at is not None
    assert "bearbeitet" in client.get(_thread_url(thread)).text


def _post_edit_url(post):
    thread = post.thread
    return reverse(
        "workgroups:post_edit", kwargs={"slug": thread.group.slug, "pk": thread.pk, "post_pk": post.pk}
    )


def test_removed_member_can_no_longer_edit_their_post_in_a_public_thread(client, member, moderator, energy):
    thread = ThreadFactory(group=energy, author=member, visibility="public")
    post = PostFactory(thread=thread, author=member, body="Original")
    services.membership_remove(membership=Membership.objects.get(group=energy, user=member), by=moderator)
    client.force_login(member)
    assert client.get(_post_edit_url(post)).status_code == 403
    client.post(_post_edit_url(post), {"body": "Nach dem Ausschluss geändert"})
    post.refresh_from_db()
    assert post.body == "Original" and post.edited_at is None
    assert _post_edit_url(post) not in client.get(_thread_url(thread)).text


def test_removed_member_is_refused_by_the_edit_rule(member, moderator, energy):
    # The rule is the one place that says who may edit; the view asks it (test above).
    thread = ThreadFactory(group=energy, author=member, visibility="public")
    post = PostFactory(thread=thread, author=member, body="Original")
    assert member.has_perm("workgroups.change_post", post)
    Membership.objects.filter(group=energy, user=member).delete()
    forget_memberships(member)
    assert not member.has_perm("workgroups.change_post", Post.objects.get(pk=post.pk))


def test_author_cannot_edit_a_post_in_a_thread_the_moderators_hid(client, member, moderator, energy):
    thread = ThreadFactory(group=energy, author=member, visibility="members")
    post = PostFactory(thread=thread, author=member, body="Original")
    services.thread_hide(thread=thread, by=moderator, reason="Spam")
    client.force_login(member)
    assert client.get(_post_edit_url(post)).status_code == 403
    client.post(_post_edit_url(post), {"body": "Versteckt geändert"})
    post.refresh_from_db()
    assert post.body == "Original"
    with pytest.raises(services.WorkgroupError):
        services.post_edit(post=Post.objects.get(pk=post.pk), editor=member, body="Versteckt geändert")


def test_moderator_hides_a_post_with_a_reason_the_author_sees(client, member, moderator, citizen, energy):
    thread = ThreadFactory(group=energy, author=member, visibility="public")
    post = PostFactory(thread=thread, author=member, body="Unfreundlicher Text")
    client.force_login(moderator)
    client.post(
        reverse("workgroups:post_hide", kwargs={"slug": energy.slug, "pk": thread.pk, "post_pk": post.pk}),
        {"reason": "Bitte sachlich bleiben"},
    )
    client.force_login(member)
    page = client.get(_thread_url(thread)).text
    assert "Bitte sachlich bleiben" in page and "Unfreundlicher Text" in page
    client.force_login(moderator)
    assert "Bitte sachlich bleiben" in client.get(_thread_url(thread)).text


@pytest.mark.parametrize("reader", ["anonymous", "citizen", "other_member_of_the_group"])
def test_hidden_post_text_and_reason_stay_with_author_and_moderators(
    client, member, moderator, citizen, energy, reader
):
    thread = ThreadFactory(group=energy, author=moderator, visibility="public")
    post = PostFactory(thread=thread, author=member, body="Unfreundlicher Text")
    services.post_hide(post=post, by=moderator, reason="Bitte sachlich bleiben")
    if reader == "citizen":
        client.force_login(citizen)
    elif reader == "other_member_of_the_group":
        client.force_login(MembershipFactory(group=energy).user)
    response = client.get(_thread_url(thread))
    assert "This post has been hidden" in response.text or "ausgeblendet" in response.text
    assert "Unfreundlicher Text" not in response.text
    assert "Bitte sachlich bleiben" not in response.text
    # Decided in the view: the page is not even given the text or the reason.
    (shown,) = [p for p in response.context["posts"] if p.pk == post.pk]
    assert (shown.body, shown.body_html, shown.hidden_reason) == ("", "", "")
    assert not shown.show_body and not shown.show_reason


def test_hidden_thread_reason_is_shown_to_its_author_and_moderators_only(client, member, moderator, energy):
    thread = ThreadFactory(group=energy, author=member, visibility="public")
    PostFactory(thread=thread, author=member, body="Erster Beitrag")
    services.thread_hide(thread=thread, by=moderator, reason="Doppelt eröffnet")
    for person in (member, moderator):
        client.force_login(person)
        assert "Doppelt eröffnet" in client.get(_thread_url(thread)).text
    client.force_login(MembershipFactory(group=energy).user)
    assert client.get(_thread_url(thread)).status_code == 404


def test_hiding_without_a_reason_is_refused(client, member, moderator, energy):
    thread = ThreadFactory(group=energy, author=member)
    post = PostFactory(thread=thread, author=member)
    client.force_login(moderator)
    response = client.post(
        reverse("workgroups:post_hide", kwargs={"slug": energy.slug, "pk": thread.pk, "post_pk": post.pk}),
        {"reason": ""},
    )
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.hidden_at is None


def test_hidden_thread_disappears_for_others_but_not_for_its_author(
    client, member, moderator, citizen, energy
):
    thread = ThreadFactory(group=energy, author=member, visibility="public")
    services.thread_hide(thread=thread, by=moderator, reason="Doppelt")
    client.force_login(citizen)
    assert client.get(_thread_url(thread)).status_code == 404
    client.force_login(member)
    assert "Doppelt" in client.get(_thread_url(thread)).text


def test_pinned_thread_comes_first(client, member, moderator, energy):
    older = ThreadFactory(group=energy, author=member, title="Alt")
    ThreadFactory(group=energy, author=member, title="Neu")
    services.thread_set_pinned(thread=older, pinned=True, by=moderator)
    assert list(Thread.objects.values_list("title", flat=True)) == ["Alt", "Neu"]


def test_mentioned_member_is_notified(member, moderator, energy):
    thread = ThreadFactory(group=energy, author=moderator)
    services.post_create(thread=thread, author=moderator, body="Was meinst du, @Bernd Mitglied?")
    fan_out_events()
    assert Notification.objects.filter(recipient=member, kind=MENTION).count() == 1


def test_mention_of_a_non_member_notifies_nobody(citizen, moderator, energy):
    citizen.display_name = "Anna Beispiel"
    citizen.save()
    thread = ThreadFactory(group=energy, author=moderator)
    services.post_create(thread=thread, author=moderator, body="@Anna Beispiel schau mal")
    fan_out_events()
    assert not Notification.objects.filter(recipient=citizen).exists()


def test_unread_markers_count_new_posts_since_the_last_visit(client, member, moderator, energy):
    thread = ThreadFactory(group=energy, author=moderator, title="Zähler")
    PostFactory(thread=thread, author=moderator)
    client.force_login(member)
    client.get(_thread_url(thread))  # read everything so far
    for text in ("eins", "zwei", "drei"):
        services.post_create(thread=thread, author=moderator, body=text)
    page = client.get(energy.get_absolute_url()).text
    assert "3 neue Beiträge seit Ihrem letzten Besuch" in page
    thread_page = client.get(_thread_url(thread)).text
    assert "3 neue Beiträge seit Ihrem letzten Besuch" in thread_page
    assert "neue Beiträge" not in client.get(energy.get_absolute_url()).text


@pytest.fixture
def idea_kind():
    kind = references.Kind(
        name="idea",
        label="Idee",
        parse_url=lambda path: (
            int(path.split("/")[2]) if path.startswith("/ideas/") and path.split("/")[2].isdigit() else None
        ),
        describe=lambda ids, user: {
            i: references.Target(title=f"Idee {i}", url=f"/ideas/{i}/") for i in ids if i != 13
        },
    )
    # Stand in for the ideas app's own kind for the test, and put it back afterwards.
    real = {k.name: k for k in references.kinds()}.get("idea")
    references.register(kind)
    yield kind
    references.unregister("idea")
    if real is not None:
        references.register(real)


def test_thread_references_ideas_shown_as_links_both_ways(client, member, citizen, energy, idea_kind):
    from workgroups.selectors import threads_referencing

    client.force_login(member)
    client.post(
        reverse("workgroups:thread_create", kwargs={"slug": energy.slug}),
        {
            "title": "Zu Idee 7",
            "visibility": "public",
            "body": "Siehe Idee",
            "references": "https://portal/ideas/7/\n/ideas/13/",
        },
    )
    thread = Thread.objects.get()
    assert set(ThreadReference.objects.values_list("kind", "object_id")) == {("idea", 7), ("idea", 13)}
    page = client.get(_thread_url(thread)).text
    assert 'href="/ideas/7/"' in page and "/ideas/13/" not in page  # 13 is not visible to this user
    assert threads_referencing(kind="idea", object_id=7, user=citizen) == [thread]


def test_private_thread_is_not_listed_as_referencing_for_outsiders(member, citizen, energy, idea_kind):
    from workgroups.selectors import threads_referencing

    thread = ThreadFactory(group=energy, author=member, visibility="members")
    ThreadReference.objects.create(thread=thread, kind="idea", object_id=7)
    assert threads_referencing(kind="idea", object_id=7, user=citizen) == []
    assert threads_referencing(kind="idea", object_id=7, user=member) == [thread]


def test_unknown_reference_address_is_refused_and_the_form_keeps_the_text(client, member, energy, idea_kind):
    client.force_login(member)
    response = client.post(
        reverse("workgroups:thread_create", kwargs={"slug": energy.slug}),
        {
            "title": "Titel bleibt",
            "visibility": "public",
            "body": "Text",
            "references": "https://evil.example/x",
        },
    )
    assert response.status_code == 200 and "Titel bleibt" in response.text
    assert not Thread.objects.exists()


def test_removed_member_no_longer_hears_of_replies(member, moderator, energy):
    thread = ThreadFactory(group=energy, author=member)
    PostFactory(thread=thread, author=member)
    services.membership_remove(membership=member.workgroup_memberships.get(), by=moderator)
    services.post_create(thread=thread, author=moderator, body="Antwort")
    fan_out_events()
    assert not Notification.objects.filter(recipient=member).exists()


def test_other_group_members_are_not_notified_of_a_new_thread(member, other_member, energy):
    MembershipFactory(group=energy)
    services.thread_create(
        group=energy, author=member, data=services.ThreadData(title="T", visibility="members", body="B")
    )
    fan_out_events()
    assert not Notification.objects.filter(recipient=other_member).exists()
    fan_out_events()
    assert Notification.objects.filter(kind=WORKGROUP).count() == 1


def test_a_former_member_sees_the_group_s_threads_as_the_public_does(client, member, moderator, energy):
    """Their own hidden thread is listed for a member (with its mark), not once they left:
    outside the group, its page is the public's (issue 16)."""
    thread = ThreadFactory(group=energy, author=member, visibility="public", title="Doppelte Frage")
    services.thread_hide(thread=thread, by=moderator, reason="Doppelt")
    client.force_login(member)
    assert "Doppelte Frage" in client.get(energy.get_absolute_url()).text
    services.membership_leave(group=energy, user=member)
    assert "Doppelte Frage" not in client.get(energy.get_absolute_url()).text
