from django.contrib import admin

from .models import StrategyEdition, StrategyReminder


@admin.register(StrategyEdition)
class StrategyEditionAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "published_at"]


@admin.register(StrategyReminder)
class StrategyReminderAdmin(admin.ModelAdmin):
    list_display = ["due_date", "offset", "sent_at", "recipient_count"]
    readonly_fields = ["due_date", "offset", "sent_at", "recipient_count"]

    def has_add_permission(self, request) -> bool:
        return False
