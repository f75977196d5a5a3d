"""A framework hook: a change of someone's groups (by the back-office's `role_set`, the admin
or anything else) drops their cached group names after the commit."""

from .models import User
from .personcache import person_fact_forget
from .roles import GROUP_NAMES


def forget_group_names(sender, instance, action, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, User):
        person_ids = [instance.pk]
    elif action == "pre_clear":  # a group emptied: who was in it is known only before
        person_ids = list(User.objects.filter(groups=instance).values_list("pk", flat=True))
    else:  # from the group's side: `group.user_set.add(...)`
        person_ids = list(pk_set or ())
    person_fact_forget(topic=GROUP_NAMES, person_ids=person_ids)
