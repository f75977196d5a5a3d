import rules

from geraportal.accounts.rules import is_smartcity_team

# Staff see the outbox (failed e-mails) in the admin; nobody edits it by hand.
rules.add_perm("notifications", is_smartcity_team)
rules.add_perm("notifications.view_outboxemail", is_smartcity_team)
rules.add_perm("notifications.change_outboxemail", is_smartcity_team)
rules.add_perm("notifications.view_notification", is_smartcity_team)
rules.add_perm("notifications.view_notificationevent", is_smartcity_team)
