"""Every write in the working groups. Views, the demo, tasks and tests call these; none gets a request.

Each function is one transaction. Notifications are recorded inside it (the notifications
app sends them after commit); files are removed from storage only after commit, so a
rolled-back deletion never loses a file, and a failed upload leaves no stray file behind.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from geraportal.accounts.models import User
from geraportal.core.audit import snapshot, staff_change_record
from geraportal.core.markdown import render_markdown

from . import notifications
from . import references as reference_registry
from .filetypes import FileType, safe_filename
from .models import (
    RSVP,
    CalendarFeed,
    Document,
    DocumentVersion,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
    Post,
    Thread,
    ThreadRead,
    ThreadReference,
    WorkingGroup,
)
from .selectors import forget_memberships

HiddenT = TypeVar("HiddenT", Post, Thread)

if TYPE_CHECKING:
    from geraportal.accounts.models import User


class WorkgroupError(Exception):
    """A refusal with a message for the person who tried (already translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _notify(**kwargs) -> None:
    from geraportal.notifications.services import notify

    notify(**kwargs)


def _moderator_users(group: WorkingGroup) -> list:
    return [
        m.user
        for m in Membership.objects.filter(group=group, role=Membership.Role.MODERATOR).select_related("user")
    ]


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}"


# --- membership --------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, group: WorkingGroup, user: "User", motivation: str) -> JoinRequest:
    if Membership.objects.filter(group=group, user=user).exists():
        raise WorkgroupError(_("You are already a member of this group."))
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(group=group, user=user, motivation=motivation.strip())
    except IntegrityError as exc:
        raise WorkgroupError(
            _("You have already asked to join this group. The moderators will decide soon.")
        ) from exc
    _notify(
        kind=notifications.WORKGROUP,
        recipients=_moderator_users(group),
        event_key=f"workgroups.join_requested:{join_request.pk}",
        template="workgroups/notifications/join_requested",
        context={"group": group.name_de, "group_en": group.name_en, "person": user.public_name},
        url=reverse("workgroups:members", kwargs={"slug": group.slug}),
        actor=user,
    )
    return join_request


def _audit(by: "User", action: str, obj, *, summary: str, before: dict | None = None, after: dict) -> None:
    """One audit row for a moderator's action on `obj`, with the fields that changed."""
    staff_change_record(actor=by, action=action, target=obj, summary=summary, before=before, after=after)


def _decide(join_request: JoinRequest, *, status: str, by: "User") -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if status not in JoinRequest.TRANSITIONS[join_request.status]:  # type: ignore[index]
        raise WorkgroupError(_("This request has already been decided."))
    join_request.status = status
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    return join_request


@transaction.atomic
def join_request_accept(*, join_request: JoinRequest, by: "User") -> Membership:
    join_request = _decide(join_request, status=JoinRequest.Status.ACCEPTED, by=by)
    membership, _created = Membership.objects.get_or_create(group=join_request.group, user=join_request.user)
    group = join_request.group
    _audit(
        by,
        "workgroup_join_accepted",
        membership,
        summary=f"{join_request.user.email} – {group.slug}",
        before={"status": JoinRequest.Status.PENDING},
        after={"status": join_request.status, "role": membership.role},
    )
    _notify(
        kind=notifications.WORKGROUP,
        recipients=[join_request.user],
        event_key=f"workgroups.join_accepted:{join_request.pk}",
        template="workgroups/notifications/join_accepted",
        context={"group": group.name_de, "group_en": group.name_en},
        url=group.get_absolute_url(),
        actor=by,
    )
    forget_memberships(join_request.user)
    return membership


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, by: "User", reason: str = "") -> JoinRequest:
    join_request = _decide(join_request, status=JoinRequest.Status.DECLINED, by=by)
    group = join_request.group
    _audit(
        by,
        "workgroup_join_declined",
        join_request,
        summary=f"{join_request.user.email} – {group.slug}",
        before={"status": JoinRequest.Status.PENDING},
        after={"status": join_request.status, "reason": reason.strip()},
    )
    _notify(
        kind=notifications.WORKGROUP,
        recipients=[join_request.user],
        event_key=f"workgroups.join_declined:{join_request.pk}",
        template="workgroups/notifications/join_declined",
        context={"group": group.name_de, "group_en": group.name_en, "reason": reason.strip()},
        url=group.get_absolute_url(),
        actor=by,
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, user: "User") -> JoinRequest:
    if join_request.user_id != user.pk:
        raise WorkgroupError(_("This is not your request."))
    return _decide(join_request, status=JoinRequest.Status.WITHDRAWN, by=user)


@transaction.atomic
def invitation_create(
    *, group: WorkingGroup, email: str, by: "User", now: datetime | None = None
) -> Invitation:
    now = now or timezone.now()
    email = email.strip()
    if Membership.objects.filter(group=group, user__email__iexact=email).exists():
        raise WorkgroupError(_("A person with this e-mail address is already a member."))
    invitation = Invitation.objects.create(
        group=group,
        email=email,
        token=secrets.token_urlsafe(32),
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=settings.WORKGROUPS_INVITATION_DAYS),
    )
    _audit(
        by,
        "workgroup_invitation_created",
        invitation,
        summary=f"{email} – {group.slug}",
        after={"email": email, "expires_at": invitation.expires_at},
    )
    _enqueue_invitation(invitation)
    return invitation


def _enqueue_invitation(invitation: Invitation) -> None:
    """Write the invitation e-mail to the outbox, in this transaction.

    The invitee may have no account yet, so this e-mail cannot go through the notifications
    of users. The outbox sends it after commit and retries while the mail server is down, so
    a failing server never costs the moderator the invitation (or a server error). It is in
    German, the portal's language, unless the address belongs to someone who chose another.
    """
    from geraportal.notifications.services import email_enqueue

    invitee = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    language = invitee.language if invitee and invitee.language else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "invitation": invitation,
            "group": invitation.group,
            "inviter": invitation.invited_by.public_name if invitation.invited_by else "",
            "url": _absolute(invitation.get_absolute_url()),
        }
        subject = render_to_string("workgroups/email/invitation_subject.txt", context)
        text = render_to_string("workgroups/email/invitation.txt", context)
    email_enqueue(
        key=f"workgroups.invitation:{invitation.pk}",
        to_email=invitation.email,
        recipient=invitee,
        # One line: nothing the group's name contains can reach another mail header.
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        text=text,
    )


def _verified_emails(user: "User") -> set[str]:
    return {
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    }


@transaction.atomic
def invitation_accept(*, token: str, user: "User", now: datetime | None = None) -> Membership:
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("group").filter(token=token).first()
    if invitation is None:
        raise WorkgroupError(_("This invitation link is not valid."))
    if invitation.is_used:
        if invitation.accepted_by_id == user.pk:
            raise WorkgroupError(_("You have already accepted this invitation."))
        raise WorkgroupError(_("This invitation has already been used."))
    if invitation.is_expired(now):
        raise WorkgroupError(
            _("This invitation has expired. Please ask the group's moderators for a new one.")
        )
    if invitation.email.lower() not in _verified_emails(user):
        raise WorkgroupError(
            _(
                "This invitation was sent to another e-mail address. Please log in with the account "
                "of that address, or add and confirm the address in your profile."
            )
        )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    membership, _created = Membership.objects.get_or_create(group=invitation.group, user=user)
    # An open request to join is answered by the invitation.
    JoinRequest.objects.filter(group=invitation.group, user=user, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.ACCEPTED, decided_at=now, decided_by=invitation.invited_by
    )
    forget_memberships(user)
    return membership


def invitations_accept_for_email(
    *, user: "User", email: str, now: datetime | None = None
) -> list[Membership]:
    """Someone just confirmed `email`: open invitations to that address make them a member."""
    now = now or timezone.now()
    memberships = []
    for invitation in Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    ):
        try:
            memberships.append(invitation_accept(token=invitation.token, user=user, now=now))
        except WorkgroupError:
            continue
    return memberships


def _ensure_a_moderator_remains(membership: Membership) -> None:
    if membership.role != Membership.Role.MODERATOR:
        return
    others = (
        Membership.objects.select_for_update()
        .filter(group_id=membership.group_id, role=Membership.Role.MODERATOR)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise WorkgroupError(
            _("A group needs at least one moderator. Please make someone else moderator first.")
        )


@transaction.atomic
def membership_leave(*, group: WorkingGroup, user: "User") -> None:
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is None:
        raise WorkgroupError(_("You are not a member of this group."))
    _ensure_a_moderator_remains(membership)
    membership.delete()
    forget_memberships(user)


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: "User") -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role not in Membership.Role.values:
        raise WorkgroupError(_("This role does not exist."))
    if role == Membership.Role.MEMBER:
        _ensure_a_moderator_remains(membership)
    before = {"role": membership.role}
    membership.role = role
    membership.save(update_fields=["role"])
    _audit(
        by,
        "workgroup_role_changed",
        membership,
        summary=_membership_summary(membership),
        before=before,
        after={"role": role},
    )
    forget_memberships(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: "User") -> None:
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    _ensure_a_moderator_remains(membership)
    _audit(
        by,
        "workgroup_member_removed",
        membership,
        summary=_membership_summary(membership),
        before={"role": membership.role},
        after={"role": None},
    )
    membership.delete()
    forget_memberships(membership.user)


def _membership_summary(membership: Membership) -> str:
    group_slug = WorkingGroup.objects.values_list("slug", flat=True).get(pk=membership.group_id)
    return f"{membership.user.email} – {group_slug}"


# --- discussions -------------------------------------------------------------------------

MENTION = re.compile(r"(?<![\w@])@")


def mentioned_members(*, group: WorkingGroup, text: str) -> list:
    """Members whose display name follows an "@" in `text` (names may contain spaces)."""
    if "@" not in text:
        return []
    lowered = text.casefold()
    found = []
    for membership in Membership.objects.filter(group=group).select_related("user"):
        name = membership.user.display_name.strip()
        if not name:
            continue
        needle = "@" + name.casefold()
        start = lowered.find(needle)
        while start != -1:
            end = start + len(needle)
            if (start == 0 or not lowered[start - 1].isalnum()) and (
                end == len(lowered) or not lowered[end].isalnum()
            ):
                found.append(membership.user)
                break
            start = lowered.find(needle, start + 1)
    return found


@dataclass(frozen=True)
class ThreadData:
    title: str
    visibility: str
    body: str
    references: tuple[tuple[str, int], ...] = ()


@transaction.atomic
def thread_create(*, group: WorkingGroup, author: "User", data: ThreadData) -> Thread:
    now = timezone.now()
    thread = Thread.objects.create(
        group=group,
        title=data.title.strip(),
        visibility=data.visibility,
        author=author,
        created_at=now,
        last_post_at=now,
    )
    ThreadReference.objects.bulk_create(
        [
            ThreadReference(thread=thread, kind=kind, object_id=object_id)
            for kind, object_id in set(data.references)
        ]
    )
    post = Post.objects.create(
        thread=thread, author=author, body=data.body, body_html=render_markdown(data.body), created_at=now
    )
    ThreadRead.objects.create(thread=thread, user=author, last_read_post_id=post.pk, read_at=now)
    _tell_new_post(
        post=post,
        url=thread.get_absolute_url(),
        audience=notifications.MEMBERS,
        audience_args={"group_id": group.pk},
        event_key=f"workgroups.thread_new:{thread.pk}",
        template="workgroups/notifications/thread_new",
    )
    return thread


@transaction.atomic
def post_create(
    *, thread: Thread, author: "User", body: str, reply_to: Post | None = None, moderator: bool = False
) -> Post:
    thread = Thread.objects.select_for_update().select_related("group").get(pk=thread.pk)
    if thread.locked_at is not None and not moderator:
        raise WorkgroupError(_("This discussion is closed. No new posts can be added."))
    if thread.hidden_at is not None and not moderator:
        raise WorkgroupError(_("This discussion has been hidden by the moderators."))
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise WorkgroupError(_("You can only reply to a post in the same discussion."))
    now = timezone.now()
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        body_html=render_markdown(body),
        reply_to=reply_to,
        created_at=now,
    )
    thread.last_post_at = now
    thread.save(update_fields=["last_post_at"])
    ThreadRead.objects.update_or_create(
        thread=thread, user=author, defaults={"last_read_post_id": post.pk, "read_at": now}
    )
    # Everyone who took part in the thread hears of replies — if they are still in the group.
    _tell_new_post(
        post=post,
        url=thread.get_absolute_url() + f"#post-{post.pk}",
        audience=notifications.THREAD_PARTICIPANTS,
        audience_args={"thread_id": thread.pk},
        event_key=f"workgroups.post_new:{post.pk}",
        template="workgroups/notifications/post_new",
    )
    return post


def _tell_new_post(
    *, post: Post, url: str, audience: str, audience_args: dict, event_key: str, template: str
) -> None:
    """The people mentioned in a new post hear of the mention; the `audience` of the group (its
    members for a new thread, the thread's participants for a reply) hears of the post."""
    thread, author = post.thread, post.author
    group = thread.group
    mentioned = mentioned_members(group=group, text=post.body)
    context = {
        "group": group.name_de,
        "group_en": group.name_en,
        "thread": thread.title,
        "person": author.public_name,
    }
    _notify(
        kind=notifications.MENTION,
        recipients=mentioned,
        event_key=f"workgroups.mention:{post.pk}",
        template="workgroups/notifications/mention",
        context=context,
        url=url,
        actor=author,
    )
    _notify(
        kind=notifications.WORKGROUP,
        audience=audience,
        audience_args=audience_args,
        exclude=[u.pk for u in mentioned],  # told of the mention instead
        event_key=event_key,
        template=template,
        context=context,
        url=url,
        actor=author,
    )


@transaction.atomic
def post_edit(*, post: Post, editor: "User", body: str) -> Post:
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    # Who may edit (the author, still inside the group) is `workgroups.change_post`, checked
    # by the view; here only the state of the post and its thread.
    if post.hidden_at is not None:
        raise WorkgroupError(_("This post has been hidden by the moderators and cannot be edited."))
    if post.thread.hidden_at is not None:
        raise WorkgroupError(_("This discussion has been hidden by the moderators."))
    if post.thread.locked_at is not None:
        raise WorkgroupError(_("This discussion is closed. Posts can no longer be edited."))
    if body == post.body:
        return post
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    return post


@transaction.atomic
def post_hide(*, post: Post, by: "User", reason: str) -> Post:
    return _set_hidden(post, by=by, reason=_hide_reason(reason), actor=by)


@transaction.atomic
def post_unhide(*, post: Post, by: "User") -> Post:
    return _set_hidden(post, by=None, reason=None, actor=by)


def _hide_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise WorkgroupError(_("Please give a reason; the author will see it."))
    return reason


def _set_hidden(obj: HiddenT, *, by: "User | None", reason: str | None, actor: "User") -> HiddenT:
    """Hide a post or thread with a reason its author sees, or unhide it (reason None)."""
    fields = ("hidden_at", "hidden_reason")
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = snapshot(obj, fields)
    obj.hidden_at = timezone.now() if reason is not None else None
    obj.hidden_reason = reason or ""
    obj.hidden_by = by
    obj.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    kind = "workgroup_thread" if isinstance(obj, Thread) else "workgroup_post"
    title = obj.title if isinstance(obj, Thread) else obj.thread.title
    _audit(
        actor,
        f"{kind}_{'hidden' if reason is not None else 'unhidden'}",
        obj,
        summary=title,
        before=before,
        after=snapshot(obj, fields),
    )
    return obj


@transaction.atomic
def thread_set_pinned(*, thread: Thread, pinned: bool, by: "User") -> Thread:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    before = snapshot(thread, ["pinned_at"])
    thread.pinned_at = timezone.now() if pinned else None
    thread.save(update_fields=["pinned_at"])
    _audit(
        by,
        "workgroup_thread_pinned" if pinned else "workgroup_thread_unpinned",
        thread,
        summary=thread.title,
        before=before,
        after=snapshot(thread, ["pinned_at"]),
    )
    return thread


@transaction.atomic
def thread_set_locked(*, thread: Thread, locked: bool, by: "User") -> Thread:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    before = snapshot(thread, ["locked_at"])
    thread.locked_at = timezone.now() if locked else None
    thread.save(update_fields=["locked_at"])
    _audit(
        by,
        "workgroup_thread_locked" if locked else "workgroup_thread_unlocked",
        thread,
        summary=thread.title,
        before=before,
        after=snapshot(thread, ["locked_at"]),
    )
    return thread


@transaction.atomic
def thread_hide(*, thread: Thread, by: "User", reason: str) -> Thread:
    return _set_hidden(thread, by=by, reason=_hide_reason(reason), actor=by)


@transaction.atomic
def thread_unhide(*, thread: Thread, by: "User") -> Thread:
    return _set_hidden(thread, by=None, reason=None, actor=by)


def thread_mark_read(
    *, thread: Thread, user: "User", up_to_post_id: int, known: ThreadRead | None = None
) -> None:
    """Remember how far `user` has read; never moves backwards. `known`: the row, if already fetched."""
    if not user.is_authenticated or not up_to_post_id:
        return
    now = timezone.now()
    if known is not None:
        ThreadRead.objects.filter(pk=known.pk, last_read_post_id__lt=up_to_post_id).update(
            last_read_post_id=up_to_post_id, read_at=now
        )
        return
    updated = ThreadRead.objects.filter(thread=thread, user=user, last_read_post_id__lt=up_to_post_id).update(
        last_read_post_id=up_to_post_id, read_at=now
    )
    if not updated:
        # A parallel request of the same person may have inserted it first: then leave it.
        ThreadRead.objects.bulk_create(
            [ThreadRead(thread=thread, user=user, last_read_post_id=up_to_post_id, read_at=now)],
            ignore_conflicts=True,
        )


def references_parse(urls: list[str]) -> tuple[list[tuple[str, int]], list[str]]:
    """(recognised references, URLs that no registered kind recognises)."""
    found, unknown = [], []
    for url in urls:
        parsed = reference_registry.parse(url)
        if parsed is None:
            unknown.append(url)
        elif parsed not in found:
            found.append(parsed)
    return found, unknown


# --- documents ---------------------------------------------------------------------------


def document_version_store(
    document: Document, upload, file_type: FileType, *, number: int, by: "User"
) -> DocumentVersion:
    # A random name: nothing about the upload (not even its name) decides where it lands.
    name = f"{document.group_id}/{secrets.token_hex(16)}.{file_type.extension}"
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=safe_filename(getattr(upload, "name", ""), file_type),
        content_type=file_type.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    upload.seek(0)
    version.file.save(name, upload, save=False)
    try:
        version.save()
    except Exception:
        # Nothing half-written: no row, so no file either.
        version.file.storage.delete(version.file.name)  # type: ignore[arg-type]
        raise
    return version


@dataclass(frozen=True)
class DocumentData:
    title: str
    description: str
    visibility: str


@transaction.atomic
def document_upload(
    *, group: WorkingGroup, by: "User", data: DocumentData, upload, file_type: FileType
) -> Document:
    now = timezone.now()
    document = Document.objects.create(
        group=group,
        title=data.title.strip(),
        description=data.description.strip(),
        visibility=data.visibility,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    document_version_store(document, upload, file_type, number=1, by=by)
    return document


@transaction.atomic
def document_add_version(*, document: Document, by: "User", upload, file_type: FileType) -> DocumentVersion:
    document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = document_version_store(document, upload, file_type, number=number, by=by)
    document.updated_at = timezone.now()
    document.save(update_fields=["updated_at"])
    return version


@transaction.atomic
def document_delete(*, document: Document, by: "User") -> None:
    versions = list(DocumentVersion.objects.filter(document=document))
    document.delete()

    def remove_files():
        for version in versions:
            version.file.storage.delete(version.file.name)  # type: ignore[arg-type]

    transaction.on_commit(remove_files)


# --- meetings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingData:
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    online_url: str
    agenda: str
    visibility: str
    minutes: str = ""


def _check_times(data: MeetingData) -> None:
    if data.ends_at <= data.starts_at:
        raise WorkgroupError(_("The meeting must end after it starts."))


@transaction.atomic
def meeting_create(*, group: WorkingGroup, by: "User", data: MeetingData) -> Meeting:
    _check_times(data)
    meeting = Meeting.objects.create(group=group, created_by=by, **data.__dict__)
    _notify(
        kind=notifications.WORKGROUP,
        audience=notifications.MEMBERS,
        audience_args={"group_id": group.pk},
        event_key=f"workgroups.meeting_new:{meeting.pk}",
        template="workgroups/notifications/meeting_new",
        context={
            "group": group.name_de,
            "group_en": group.name_en,
            "meeting": meeting.title,
            "starts_at": meeting.starts_at.isoformat(),
        },
        url=meeting.get_absolute_url(),
        actor=by,
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: "User", data: MeetingData) -> Meeting:
    _check_times(data)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    for field, value in data.__dict__.items():
        setattr(meeting, field, value)
    meeting.updated_at = timezone.now()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_rsvp(*, meeting: Meeting, user: "User", answer: str, now: datetime | None = None) -> RSVP:
    if answer not in RSVP.Answer.values:
        raise WorkgroupError(_("Please answer yes, no or maybe."))
    if meeting.is_past(now):
        raise WorkgroupError(_("This meeting has already begun; replies are closed."))
    rsvp, _created = RSVP.objects.update_or_create(
        meeting=meeting, user=user, defaults={"answer": answer, "answered_at": now or timezone.now()}
    )
    return rsvp


def calendar_feed_token(*, group: WorkingGroup, user: "User") -> str:
    """The token of `user`'s personal calendar address of `group`, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(
        group=group, user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed.token


@transaction.atomic
def calendar_feed_reset(*, group: WorkingGroup, user: "User") -> str:
    """A new personal calendar address; the old one from now on shows public meetings only."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        group=group, user=user, defaults={"token": token, "created_at": timezone.now()}
    )
    return token


# --- personal data -----------------------------------------------------------------------


def personal_data_export(user: "User") -> dict:
    return {
        "memberships": [
            {"group": m.group.name_de, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("group")
        ],
        "join_requests": [
            {
                "group": r.group.name_de,
                "motivation": r.motivation,
                "status": r.status,
                "at": r.created_at.isoformat(),
            }
            for r in JoinRequest.objects.filter(user=user).select_related("group")
        ],
        "threads": [
            {
                "group": t.group.name_de,
                "title": t.title,
                "visibility": t.visibility,
                "at": t.created_at.isoformat(),
            }
            for t in Thread.objects.filter(author=user).select_related("group")
        ],
        "posts": [
            {
                "group": p.thread.group.name_de,
                "thread": p.thread.title,
                "text": p.body,
                "at": p.created_at.isoformat(),
                "edited_at": p.edited_at.isoformat() if p.edited_at else None,
            }
            for p in Post.objects.filter(author=user).select_related("thread__group")
        ],
        "documents": [
            {
                "document": v.document.title,
                "file_name": v.original_name,
                "version": v.number,
                "at": v.uploaded_at.isoformat(),
            }
            for v in DocumentVersion.objects.filter(uploaded_by=user).select_related("document")
        ],
        "meeting_replies": [
            {"meeting": r.meeting.title, "starts_at": r.meeting.starts_at.isoformat(), "answer": r.answer}
            for r in RSVP.objects.filter(user=user).select_related("meeting")
        ],
    }


def personal_data_erase(user: "User", *, delete_contributions: bool) -> None:
    """Called inside the account-deletion transaction.

    Memberships, requests, invitations to the address, replies to meetings and reading
    positions are personal and go. Threads, posts and documents are contributions: they stay
    (shown as from "Deleted participant") unless the person asks to delete them too.
    """
    Membership.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    RSVP.objects.filter(user=user).delete()
    ThreadRead.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    if delete_contributions:
        files = [(v.file.storage, v.file.name) for v in DocumentVersion.objects.filter(uploaded_by=user)]
        DocumentVersion.objects.filter(uploaded_by=user).delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])  # type: ignore[arg-type, func-returns-value]
        Document.objects.filter(versions__isnull=True).delete()
        Post.objects.filter(author=user).delete()
        # A thread opened by the person goes with its discussion; others' replies in it too.
        Thread.objects.filter(author=user).delete()
    forget_memberships(user)


# --- The back-office: a group's texts -----------------------------------------------------


@transaction.atomic
def group_texts_update(*, group: WorkingGroup, by, data: dict) -> WorkingGroup:
    """Change a group's name and description (German and English), with an audit row."""
    fields = ("name_de", "name_en", "description_de", "description_en")
    locked = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    before = snapshot(locked, fields)
    for name in fields:
        setattr(locked, name, data[name])
    locked.full_clean()
    locked.save(update_fields=list(fields))
    staff_change_record(
        actor=by,
        action="workgroup_texts_changed",
        target=locked,
        summary=locked.slug,
        before=before,
        after=snapshot(locked, fields),
    )
    return locked
