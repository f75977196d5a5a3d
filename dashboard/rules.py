import rules

from geraportal.accounts.rules import is_smartcity_team

# The dashboard shows hidden and members-only activity and the turnout of running polls:
# the SMARTCity team only (two-factor authentication included).
rules.add_perm("dashboard.view_dashboard", is_smartcity_team)
