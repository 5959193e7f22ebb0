from django.contrib import admin

from digikunta.participation.models import Answer, Idea, Phase, Process


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ("title", "organiser", "published_at")
    search_fields = ("title", "title_sv")
    inlines = [PhaseInline]
    raw_id_fields = ("organiser", "created_by")


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "support_count", "created_at")
    search_fields = ("title",)
    raw_id_fields = ("process", "author", "experiment")
    readonly_fields = ("support_count",)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("idea", "status", "office", "answered_at")
    raw_id_fields = ("idea", "answered_by")
