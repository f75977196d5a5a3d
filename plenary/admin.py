from django.contrib import admin

from .models import AgendaItem, AuditEntry, Meeting, Poll, PollOption

CONFIG_FIELDS = [
    "meeting", "title", "description", "method", "max_choices", "points_budget", "points_cap", "quorum",
    "eligibility", "eligible_groups", "secret", "selection_size", "opens_at", "closes_at",
]  # fmt: skip


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "place"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AgendaItemInline]
    search_fields = ["title"]


class PollOptionInline(admin.TabularInline):
    model = PollOption
    extra = 1

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or obj.status == Poll.Status.DRAFT

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or obj.status == Poll.Status.DRAFT

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or obj.status == Poll.Status.DRAFT


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    """Polls are configured here while drafts; opening, closing and publishing happen on the
    poll's page (through the services), and the configuration is frozen once a poll opens."""

    list_display = ["title", "meeting", "method", "eligibility", "secret", "status"]
    list_filter = ["status", "method"]
    inlines = [PollOptionInline]
    filter_horizontal = ["eligible_groups"]
    readonly_fields = ["status", "opened_at", "closed_at", "published_at", "eligible_count", "ballot_hash"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Poll.Status.DRAFT:
            return [*CONFIG_FIELDS, *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or obj.status == Poll.Status.DRAFT


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "poll", "meeting", "actor"]
    list_filter = ["action"]
    readonly_fields = ["created_at", "action", "poll", "meeting", "actor", "detail"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
