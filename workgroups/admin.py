from django.contrib import admin

from .models import WorkingGroup


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name_de"]}
