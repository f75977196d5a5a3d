import rules

from geraportal.accounts.rules import is_smartcity_team, is_strategy_group

# News and workshops are written by the SMARTCity team (two-factor auth included).
rules.add_perm("pages.add_newspost", is_smartcity_team)
rules.add_perm("pages.change_newspost", is_smartcity_team)
rules.add_perm("pages.view_draft_newspost", is_smartcity_team)
rules.add_perm("pages.add_event", is_smartcity_team)
rules.add_perm("pages.change_event", is_smartcity_team)
rules.add_perm("pages.delete_event", is_smartcity_team)
# The back-office start page is for every staff role (each sees the tasks its rules allow).
rules.add_perm("pages.use_staff_area", is_smartcity_team | is_strategy_group)
# Messages from the accessibility statement's feedback form: the team answers them.
rules.add_perm("pages.view_accessibilityfeedback", is_smartcity_team)
