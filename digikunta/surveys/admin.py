from django.contrib import admin

from digikunta.surveys.models import Choice, Question, Survey


class QuestionInline(admin.TabularInline[Question, Survey]):
    model = Question
    extra = 0
    fields = ("position", "kind", "text", "text_sv", "is_required")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ("title", "organiser", "process", "is_anonymous", "published_at", "closes_at")
    search_fields = ("title", "title_sv")
    raw_id_fields = ("organiser", "process", "created_by")
    inlines = [QuestionInline]


@admin.register(Choice)
class ChoiceAdmin(admin.ModelAdmin[Choice]):
    list_display = ("label", "question", "position")
    raw_id_fields = ("question",)
