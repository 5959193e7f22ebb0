"""Kuukauden kokeilu, the month's experiment: the programme's own honour for one experiment a
month, chosen by a coordinator with a citation (PRODUCT.md, capability 14)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from digikunta.experiments.models import Experiment, Visibility

CITATION_CHARS = 600


class ExperimentOfTheMonthQuerySet(models.QuerySet["ExperimentOfTheMonth"]):
    def shown(self, today: object = None) -> "ExperimentOfTheMonthQuerySet":
        """Honours of months that have begun, of experiments that are still public."""
        today = today or timezone.localdate()
        return self.filter(month__lte=today, experiment__visibility=Visibility.PUBLIC)


class ExperimentOfTheMonth(models.Model):
    """One month's honour (Kuukauden kokeilu): the experiment and why it was chosen."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    experiment = models.ForeignKey(
        Experiment,
        on_delete=models.CASCADE,
        related_name="honours",
        verbose_name=_("experiment"),
    )
    citation_fi = models.TextField(_("citation in Finnish"), max_length=CITATION_CHARS)
    citation_sv = models.TextField(_("citation in Swedish"), max_length=CITATION_CHARS)
    citation_en = models.TextField(
        _("citation in English"),
        max_length=CITATION_CHARS,
        blank=True,
        help_text=_("Optional: English readers see the Finnish citation without it."),
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen"), default=timezone.now)

    objects = ExperimentOfTheMonthQuerySet.as_manager()

    personal_owner = ("chosen_by",)
    personal_fields = ("month", "chosen_at")

    class Meta:
        verbose_name = _("experiment of the month")
        verbose_name_plural = _("experiments of the month")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__day=1), name="experiment_of_the_month_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.experiment}"

    def get_absolute_url(self) -> str:
        return reverse("home:month_archive") + f"#month-{self.month:%Y-%m}"

    @property
    def citation_language(self) -> str:
        """The reader's language when the citation is written in it, else Finnish."""
        language = (get_language() or "fi")[:2]
        return language if getattr(self, f"citation_{language}", "") else "fi"

    @property
    def citation(self) -> str:
        """The citation in the reader's language, or in Finnish (``citation_language``)."""
        return getattr(self, f"citation_{self.citation_language}")
