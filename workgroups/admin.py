from django.contrib import admin

from .models import Invitation, JoinRequest, Meeting, Membership, Thread, WorkingGroup


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name_de"]}
    inlines = [MembershipInline]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "status", "created_at", "decided_at"]
    list_filter = ["status", "group"]
    readonly_fields = ["user", "group", "motivation", "created_at", "decided_at", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "group", "created_at", "expires_at", "accepted_at"]
    list_filter = ["group"]
    # The token is a secret: it is never shown, not even to staff.
    fields = ["group", "email", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"]
    readonly_fields = fields


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "visibility", "author", "last_post_at", "hidden_at"]
    list_filter = ["group", "visibility"]
    fields = ["title", "group", "visibility", "pinned_at", "locked_at", "hidden_at", "hidden_reason"]
    readonly_fields = ["group"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "starts_at", "visibility"]
    list_filter = ["group", "visibility"]
    date_hierarchy = "starts_at"
