import rules

from geraportal.accounts.rules import is_smartcity_team

rules.add_perm("strategy", is_smartcity_team)
rules.add_perm("strategy.manage", is_smartcity_team)
rules.add_perm("strategy.view_strategyedition", is_smartcity_team)
rules.add_perm("strategy.add_strategyedition", is_smartcity_team)
rules.add_perm("strategy.change_strategyedition", is_smartcity_team)
rules.add_perm("strategy.view_strategyreminder", is_smartcity_team)
