from django.contrib import admin

from .models import Notification, NotificationEvent, OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to_email", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to_email", "subject", "idempotency_key"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "event_key", "delivery", "read_at"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["recipient", "actor", "email"]
    readonly_fields = ["created_at"]


@admin.register(NotificationEvent)
class NotificationEventAdmin(admin.ModelAdmin):
    """To see what is waiting for its fan-out (an unfanned event older than a minute means trouble)."""

    list_display = ["created_at", "kind", "event_key", "audience", "fanned_out_at"]
    list_filter = ["kind", ("fanned_out_at", admin.EmptyFieldListFilter)]
    search_fields = ["event_key"]
    readonly_fields = [f.name for f in NotificationEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
