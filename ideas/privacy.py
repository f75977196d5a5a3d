"""The ideas part of "download my data" and "delete my account"."""

from django.db.models import Q

from geraportal.accounts.personcache import person_fact_forget

from .models import Comment, Follow, Idea, JuryScore, Report, Support
from .selectors import FOLLOWED_IDEAS, SUPPORTED_IDEAS
from .services import _recount


def export(user) -> dict:
    return {
        "ideas": [
            {
                "id": i.pk,
                "title": i.title,
                "description": i.body,
                "theme": i.theme.slug,
                "district": i.district.name if i.district else None,
                "status": i.status,
                "hidden": i.hidden,
                "hidden_reason": i.hidden_reason,
                "place": i.location_text,
                "latitude": str(i.latitude) if i.latitude is not None else None,
                "longitude": str(i.longitude) if i.longitude is not None else None,
                "image_alt": i.image_alt,
                "has_image": bool(i.image),
                "submitted": i.created_at.isoformat(),
                "url": i.get_absolute_url(),
                "revisions": [
                    {"title": r.title, "description": r.body, "date": r.created_at.isoformat()}
                    for r in i.revisions.filter(editor=user)
                ],
            }
            for i in Idea.objects.filter(author=user).select_related("theme", "district").order_by("pk")
        ],
        "comments": [
            {
                "id": c.pk,
                "idea": c.idea_id,
                "reply_to": c.parent_id,
                "text": c.body,
                "hidden": c.hidden,
                "written": c.created_at.isoformat(),
                "edited": c.edited_at.isoformat() if c.edited_at else None,
            }
            for c in Comment.objects.filter(author=user).order_by("pk")
        ],
        "supports": [
            {"idea": s.idea_id, "title": s.idea.title, "date": s.created_at.isoformat()}
            for s in Support.objects.filter(user=user).select_related("idea").order_by("pk")
        ],
        "follows": [
            {"idea": f.idea_id, "title": f.idea.title, "date": f.created_at.isoformat()}
            for f in Follow.objects.filter(user=user).select_related("idea").order_by("pk")
        ],
        "reports": [
            {
                "idea": r.idea_id,
                "comment": r.comment_id,
                "reason": r.reason,
                "note": r.note,
                "date": r.created_at.isoformat(),
            }
            for r in Report.objects.filter(reporter=user).order_by("pk")
        ],
        "jury_scores": [
            {"idea": s.idea_id, "criterion": s.criterion.name, "score": s.score}
            for s in JuryScore.objects.filter(juror=user).select_related("criterion").order_by("pk")
        ],
    }


def erase(user, *, delete_contributions: bool) -> None:
    """Anonymise: rows stay with the tombstone user ("Deleted participant"). Delete: they go.

    Follows exist only to notify the person, so they always go. Supports are anonymous
    counts and stay when anonymising. Deleting an idea takes its comments with it, and
    deleting a comment its replies (the thread has no place without its start).
    """
    Follow.objects.filter(user=user).delete()
    person_fact_forget(topic=FOLLOWED_IDEAS, person_ids=[user.pk])
    if not delete_contributions:
        return
    touched = set(Support.objects.filter(user=user).values_list("idea_id", flat=True))
    touched |= set(Comment.objects.filter(author=user).values_list("idea_id", flat=True))
    Support.objects.filter(user=user).delete()
    person_fact_forget(topic=SUPPORTED_IDEAS, person_ids=[user.pk])
    Comment.objects.filter(author=user).delete()
    Report.objects.filter(reporter=user).delete()
    for idea in Idea.objects.filter(author=user):
        if idea.image:
            idea.image.delete(save=False)
    # Duplicates merged into a deleted idea stand on their own again.
    Idea.objects.filter(merged_into__author=user).update(merged_into=None, status=Idea.Status.PUBLISHED)
    Idea.objects.filter(author=user).delete()
    remaining = Idea.objects.filter(pk__in=touched).filter(~Q(author=user)).values_list("pk", flat=True)
    _recount(list(remaining))
