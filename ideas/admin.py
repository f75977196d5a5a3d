from django.contrib import admin

from .models import Competition, Criterion


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 3


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    """The SMARTCity team sets up competitions here: dates, themes, published criteria, the jury."""

    list_display = ["title", "submission_start", "submission_end", "results_at"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes", "jury"]
    inlines = [CriterionInline]
    search_fields = ["title"]
