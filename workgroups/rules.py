import rules

from geraportal.accounts.rules import is_smartcity_team, is_superuser

rules.add_perm("workgroups.view_workinggroup", rules.always_allow)
rules.add_perm("workgroups.add_workinggroup", is_smartcity_team)
rules.add_perm("workgroups.change_workinggroup", is_smartcity_team)
rules.add_perm("workgroups.delete_workinggroup", is_superuser)
rules.add_perm("workgroups", is_smartcity_team)
