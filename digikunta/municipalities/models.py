"""Reference data: Finland's regions (maakunnat) and municipalities (kunnat)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalizedNameMixin:
    name_fi: str
    name_sv: str
    name_en: str

    @property
    def name(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi


class Region(LocalizedNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LanguageStatus(models.TextChoices):
    UNILINGUAL_FINNISH = "unilingual_finnish", _("unilingual Finnish")
    UNILINGUAL_SWEDISH = "unilingual_swedish", _("unilingual Swedish")
    BILINGUAL_FINNISH_MAJORITY = "bilingual_finnish_majority", _("bilingual, Finnish majority")
    BILINGUAL_SWEDISH_MAJORITY = "bilingual_swedish_majority", _("bilingual, Swedish majority")


class MunicipalityGroup(models.TextChoices):
    URBAN = "urban", _("urban")
    SEMI_URBAN = "semi_urban", _("semi-urban")
    RURAL = "rural", _("rural")


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def bilingual(self) -> "MunicipalityQuerySet":
        return self.filter(
            language_status__in=[
                LanguageStatus.BILINGUAL_FINNISH_MAJORITY,
                LanguageStatus.BILINGUAL_SWEDISH_MAJORITY,
            ]
        )


class Municipality(LocalizedNameMixin, models.Model):
    """A municipality as in Statistics Finland's classification (CC BY 4.0)."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    language_status = models.CharField(
        _("language status"), max_length=30, choices=LanguageStatus.choices
    )
    group = models.CharField(
        _("municipality group"), max_length=12, choices=MunicipalityGroup.choices
    )
    wellbeing_county_code = models.CharField(_("wellbeing services county"), max_length=2)
    wellbeing_county_name_fi = models.CharField(max_length=100)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]
        indexes = [models.Index(fields=["language_status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("municipalities:municipality_detail", kwargs={"code": self.code})

    @property
    def name(self) -> str:
        # A unilingual Finnish municipality's official name is its Finnish name, even in Swedish
        # (Statistics Finland also lists Swedish parallel names such as "Ackas" for Akaa).
        language = (get_language() or "fi")[:2]
        if language == "sv" and self.language_status == LanguageStatus.UNILINGUAL_FINNISH:
            return self.name_fi
        return getattr(self, f"name_{language}", "") or self.name_fi

    @property
    def is_bilingual(self) -> bool:
        return self.language_status in {
            LanguageStatus.BILINGUAL_FINNISH_MAJORITY,
            LanguageStatus.BILINGUAL_SWEDISH_MAJORITY,
        }
