import rules

from geraportal.accounts.rules import is_smartcity_team

# The SMARTCity team keeps the list of districts up to date (through the admin).
rules.add_perm("districts.view_district", is_smartcity_team)
rules.add_perm("districts.add_district", is_smartcity_team)
rules.add_perm("districts.change_district", is_smartcity_team)
rules.add_perm("districts.delete_district", is_smartcity_team)
