import rules

from geraportal.accounts.rules import is_smartcity_team

# The SMARTCity team composes, tests and sends issues and records bounces.
rules.add_perm("newsletter", is_smartcity_team)
rules.add_perm("newsletter.send_newsletter", is_smartcity_team)
rules.add_perm("newsletter.view_newslettersubscriber", is_smartcity_team)
