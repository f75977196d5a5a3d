from django.contrib import admin

from .models import StrategyEdition, StrategyMeasure, StrategyReminder, Suggestion


@admin.register(StrategyEdition)
class StrategyEditionAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "approved_at", "published_at"]
    # The text and the cycle are edited in the portal (/staff/strategy/), where every change
    # is a version and suggestions are re-anchored; here only the record is shown.
    readonly_fields = ["previous", "consultation_announced_at", "approved_at", "approved_by", "published_at"]


@admin.register(StrategyMeasure)
class StrategyMeasureAdmin(admin.ModelAdmin):
    list_display = ["key", "title_de", "title_en"]
    search_fields = ["key", "title_de"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["pk", "edition", "section", "kind", "status", "anchor", "created_at"]
    list_filter = ["edition", "kind", "status", "anchor"]
    readonly_fields = [f.name for f in Suggestion._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(StrategyReminder)
class StrategyReminderAdmin(admin.ModelAdmin):
    list_display = ["due_date", "offset", "sent_at", "recipient_count"]
    readonly_fields = ["due_date", "offset", "sent_at", "recipient_count"]

    def has_add_permission(self, request) -> bool:
        return False
