from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from digikunta.funding.models import (
    Application,
    ApplicationStatus,
    Call,
    Criterion,
    Decision,
    Question,
)


class CriterionInline(admin.TabularInline[Criterion, Call]):
    model = Criterion
    extra = 0


class QuestionInline(admin.TabularInline[Question, Call]):
    model = Question
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin[Call]):
    list_display = ("title", "organiser", "opens_at", "closes_at", "fast_track", "published")
    list_filter = ("fast_track", "published")
    search_fields = ("title", "title_sv")
    inlines = [CriterionInline, QuestionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    """The workflow (submission, review, decision) goes through funding/services.py: here its
    state is read-only, and only a draft can be deleted (issue 8: a submitted application
    carries reviews that are part of a decision's basis)."""

    list_display = ("experiment", "call", "applicant", "status", "submitted_at", "decided_at")
    list_filter = ("status", "call")
    raw_id_fields = ("created_by",)
    readonly_fields = (
        "call",
        "experiment",
        "applicant",
        "status",
        "submitted_at",
        "decided_at",
        "version",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # services.application_create checks membership and eligibility

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != ApplicationStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin[Decision]):
    """Decisions are made by services.decision_make (instalments, e-mail, audit) and are the
    public record: the admin only shows them."""

    list_display = ("application", "outcome", "granted_amount", "decided_at")
    raw_id_fields = ("application", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
