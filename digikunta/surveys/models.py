"""Surveys (kyselyt, issue 11 item 7): single and multiple choice, a scale from 1 to 5 and free
text, answered anonymously or signed in, with results as counts that anyone may read when the
organiser makes them public (docs/surveys.md, ADR 0023).

A survey belongs to an organisation; in a participation process it is the process's organiser,
and those who run the process run the survey. Answers are stored per value: one
``AnswerValue`` row per chosen option or scale value, which the database counts in one query
per survey; free text is kept apart (``TextAnswer``), read only by the survey's runners.
"""

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from digikunta.core.languages import in_language
from digikunta.organisations.models import Organisation
from digikunta.participation.models import Process
from digikunta.surveys import lifecycle

SCALE_MIN, SCALE_MAX = 1, 5
MAX_INTRO_CHARS = 4000
MAX_TEXT_ANSWER_CHARS = 2000
MAX_QUESTIONS = 50
MAX_CHOICES = 20


def shown_language(swedish: str) -> str:
    """The language in_language() shows, for the page's ``lang`` attributes: Swedish for a
    Swedish reader when there is Swedish text, otherwise Finnish."""
    return "sv" if (get_language() or "fi").startswith("sv") and swedish else "fi"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    SCALE = "scale", _("scale from 1 to 5")
    TEXT = "text", _("free text")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}


# What a survey's card and page show with it: the organiser's name comes from its municipality
# or region when it is one (Organisation.display_name), and the process's title.
SHOWN_WITH = ("organiser__municipality", "organiser__region", "process")


class SurveyQuerySet(models.QuerySet["Survey"]):
    def published(self) -> "SurveyQuerySet":
        """Published, and in a published process when in one."""
        return self.filter(published_at__isnull=False).filter(
            Q(process__isnull=True) | Q(process__published_at__isnull=False)
        )


class Survey(models.Model):
    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("participation process"),
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("organiser"),
    )
    title = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    intro = models.TextField(
        _("introduction in Finnish"),
        max_length=MAX_INTRO_CHARS,
        blank=True,
        help_text=_("What the survey is for and what is done with the answers."),
    )
    intro_sv = models.TextField(
        _("introduction in Swedish"), max_length=MAX_INTRO_CHARS, blank=True
    )
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_(
            "Anyone may answer once on their device, without signing in, and no answer is "
            "linked to a person. Otherwise each signed-in person answers once."
        ),
    )
    has_public_results = models.BooleanField(
        _("results are public"),
        default=True,
        help_text=_("Everyone sees the counts; free-text answers are never public."),
    )
    opens_at = models.DateTimeField(
        _("opens"), null=True, blank=True, help_text=_("Finnish time. Empty: when published.")
    )
    closes_at = models.DateTimeField(
        _("closes"), null=True, blank=True, help_text=_("Finnish time. Empty: until closed.")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    personal_owner = ("created_by",)
    personal_fields = ("title", "created_at")

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey_detail", args=[self.pk])

    @property
    def localized_title(self) -> str:
        return in_language(self.title, self.title_sv)

    @property
    def localized_intro(self) -> str:
        return in_language(self.intro, self.intro_sv)

    @property
    def title_language(self) -> str:
        return shown_language(self.title_sv)

    def state(self, now: datetime | None = None) -> lifecycle.State:
        return lifecycle.state(
            published_at=self.published_at,
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            now=now or timezone.now(),
        )


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(
        _("type"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    text = models.CharField(_("question in Finnish"), max_length=500)
    text_sv = models.CharField(_("question in Swedish"), max_length=500, blank=True)
    help = models.CharField(_("help in Finnish"), max_length=500, blank=True)
    help_sv = models.CharField(_("help in Swedish"), max_length=500, blank=True)
    is_required = models.BooleanField(_("an answer is required"), default=True)
    low_label = models.CharField(
        _("meaning of 1, in Finnish"),
        max_length=60,
        blank=True,
        help_text=_("For a scale, e.g. “not at all”. Empty: “lowest”."),
    )
    low_label_sv = models.CharField(_("meaning of 1, in Swedish"), max_length=60, blank=True)
    high_label = models.CharField(
        _("meaning of 5, in Finnish"),
        max_length=60,
        blank=True,
        help_text=_("For a scale, e.g. “very much”. Empty: “highest”."),
    )
    high_label_sv = models.CharField(_("meaning of 5, in Swedish"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def localized_text(self) -> str:
        return in_language(self.text, self.text_sv)

    @property
    def text_language(self) -> str:
        return shown_language(self.text_sv)

    @property
    def localized_help(self) -> str:
        return in_language(self.help, self.help_sv)

    @property
    def localized_low_label(self) -> str:
        return in_language(self.low_label, self.low_label_sv)

    @property
    def localized_high_label(self) -> str:
        return in_language(self.high_label, self.high_label_sv)

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("option in Finnish"), max_length=300)
    label_sv = models.CharField(_("option in Swedish"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def localized_label(self) -> str:
        return in_language(self.label, self.label_sv)


class Response(models.Model):
    """One filled-in survey. ``user`` is set only in a signed-in survey, where the database
    keeps it to one per person; an anonymous survey's responses name nobody."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # SET_NULL: an erased person's choices stay counted, like an anonymous answer; their own
    # words go with them (TextAnswer.user, docs/privacy.md).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    # SHA-256 of the form's one-time submission token: the same filled form sent twice (a
    # double click, a resend) is one response, signed in or not. Identifies no one.
    submission = models.CharField(max_length=64, blank=True, editable=False)

    personal_fields = ("survey", "submitted_at")

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint("survey", "user", name="one_response_per_person"),
            models.UniqueConstraint(
                "survey",
                "submission",
                condition=~Q(submission=""),
                name="one_response_per_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.pk}"


class AnswerValue(models.Model):
    """A chosen option (single or multiple choice) or a scale value of one response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="values")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="values")
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="values"
    )
    scale = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )

    personal_owner = ("response__user",)
    personal_fields = ("response", "question__text", "choice__label", "scale")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__isnull=False, scale__isnull=True)
                | Q(choice__isnull=True, scale__gte=SCALE_MIN, scale__lte=SCALE_MAX),
                name="answer_is_an_option_or_a_scale_value",
            ),
            # An option counts once per response, a scale once per question.
            models.UniqueConstraint(
                "response",
                "question",
                "choice",
                condition=Q(choice__isnull=False),
                name="option_chosen_once",
            ),
            models.UniqueConstraint(
                "response",
                "question",
                condition=Q(choice__isnull=True),
                name="scale_answered_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice_id or self.scale}"


class TextAnswer(models.Model):
    """A free-text answer: shown only to those who run the survey, never in its public results
    or the API. ``user`` repeats the response's person (signed-in surveys only) so that these
    words are deleted with them."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="texts")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="texts")
    text = models.TextField(max_length=MAX_TEXT_ANSWER_CHARS)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    personal_fields = ("response", "question__text", "text")

    class Meta:
        verbose_name = _("free-text answer")
        verbose_name_plural = _("free-text answers")
        constraints = [
            models.UniqueConstraint("response", "question", name="one_text_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.pk}"
