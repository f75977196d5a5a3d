"""Who may do what in the plenary — the one place that says so (predicates in `predicates.py`).

The SMARTCity team runs meetings and polls; eligibility to vote is the poll's frozen list.
Nobody sees a result before the poll is closed, and only the team before it is published.
"""

import rules

from geraportal.accounts.rules import is_smartcity_team, is_verified_citizen

from .predicates import is_eligible_voter, poll_is_closed, poll_is_public, poll_is_published

rules.add_perm("plenary.manage", is_smartcity_team)
rules.add_perm("plenary.register_meeting", is_verified_citizen)
rules.add_perm("plenary.view_poll", poll_is_public | is_smartcity_team)
rules.add_perm("plenary.vote_poll", is_verified_citizen & is_eligible_voter)
rules.add_perm("plenary.view_result", poll_is_published | (poll_is_closed & is_smartcity_team))
# The ballots and the result as files: for everyone, and only once published.
rules.add_perm("plenary.download_result", poll_is_published)

# The Django admin.
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
