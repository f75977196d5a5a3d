import rules

from geraportal.accounts.rules import is_smartcity_team


@rules.predicate
def poll_is_public(user, poll) -> bool:
    return poll is not None and poll.status != "draft"


rules.add_perm("plenary.manage", is_smartcity_team)
rules.add_perm("plenary.view_poll", poll_is_public | is_smartcity_team)
rules.add_perm("plenary", is_smartcity_team)
for model in ("meeting", "agendaitem", "attendee", "polloption", "auditentry"):
    rules.add_perm(f"plenary.view_{model}", is_smartcity_team)
for model in ("meeting", "agendaitem", "attendee", "poll", "polloption"):
    rules.add_perm(f"plenary.add_{model}", is_smartcity_team)
    rules.add_perm(f"plenary.change_{model}", is_smartcity_team)
rules.add_perm("plenary.delete_agendaitem", is_smartcity_team)
rules.add_perm("plenary.delete_polloption", is_smartcity_team)

# Secret polls: the officers choose the passphrase at opening and enter it again to count.
rules.add_perm("plenary.open_poll", is_smartcity_team)
rules.add_perm("plenary.count_poll", is_smartcity_team)
