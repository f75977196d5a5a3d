"""The admin is for corrections and reference data. The status is read-only here: it moves
only through the lifecycle services (and their history rows), never by editing a field."""

from django.contrib import admin

from geraportal.core.markdown import render_markdown

from .models import Milestone, Organisation, Pilot, PilotStatusChange


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_date", "done_date"]


class StatusChangeInline(admin.TabularInline):
    model = PilotStatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "created_at", "from_status", "to_status", "actor", "note", "council_date", "council_resolution",
    ]  # fmt: skip

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "working_group", "plenary_rank", "council_date"]
    list_filter = ["status", "working_group"]
    search_fields = ["title", "summary"]
    readonly_fields = [
        "slug", "status", "plenary_rank", "plenary_note", "selection_rationale", "council_date",
        "council_resolution", "created_by", "created_at", "updated_at",
    ]  # fmt: skip
    exclude = ["description_html"]
    filter_horizontal = ["districts"]
    raw_id_fields = ["source_ideas"]
    inlines = [MilestoneInline, StatusChangeInline]

    def has_add_permission(self, request) -> bool:
        # New pilots start as a group's draft through the portal, which writes the first history row.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        obj.description_html = render_markdown(obj.description)
        # Never let a stale or forged form move the status: keep what the database holds.
        if obj.pk:
            obj.status = Pilot.objects.values_list("status", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)
