"""One door per survey, for pages and API alike (as participation/access.py): a survey a person
may not see is a 404, one they see but may not act on is a 403."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from digikunta.core.permissions import can
from digikunta.surveys.models import SHOWN_WITH, Question, Survey


def get_survey_for_user_or_404(user: Any, pk: int, *, action: str = "view") -> Survey:
    survey = get_object_or_404(Survey.objects.select_related(*SHOWN_WITH), pk=pk)
    if not can(user, "view", survey):
        raise Http404
    if action != "view" and not can(user, action, survey):
        raise PermissionDenied
    return survey


def get_question_for_user_or_404(
    user: Any, survey_pk: int, pk: int, *, action: str = "change"
) -> Question:
    """A question of a survey the person runs."""
    survey = get_survey_for_user_or_404(user, survey_pk, action=action)
    question = get_object_or_404(Question.objects.prefetch_related("choices"), pk=pk, survey=survey)
    question.survey = survey
    return question
