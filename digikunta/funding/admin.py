from django.contrib import admin

from digikunta.funding.models import Application, Call, Criterion, Decision, Question


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "organiser", "opens_at", "closes_at", "fast_track", "published")
    list_filter = ("fast_track", "published")
    search_fields = ("title", "title_sv")
    inlines = [CriterionInline, QuestionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("experiment", "call", "applicant", "status", "submitted_at", "decided_at")
    list_filter = ("status", "call")
    raw_id_fields = ("experiment", "applicant", "created_by")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("application", "outcome", "granted_amount", "decided_at")
    raw_id_fields = ("application", "decided_by")
