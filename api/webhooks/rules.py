import rules

from geraportal.accounts.rules import is_smartcity_team

# The SMARTCity team registers the city's other systems as receivers (2FA, as every staff rule).
rules.add_perm("webhooks.manage", is_smartcity_team)
