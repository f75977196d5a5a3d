import rules

from geraportal.accounts.rules import is_smartcity_team

# The SMARTCity team keeps the list of districts up to date (through the admin).
rules.add_perm("districts.view_district", is_smartcity_team)
rules.add_perm("districts.add_district", is_smartcity_team)
rules.add_perm("districts.change_district", is_smartcity_team)
rules.add_perm("districts.delete_district", is_smartcity_team)
# Module permission: shows the app in the admin index.
rules.add_perm("districts", is_smartcity_team)
