"""Experiments (kokeilut): the heart of the platform.

An experiment belongs to an owner organisation, moves through a lifecycle (lifecycle.py), is
split into small steps, measured with indicators, and ends with results and lessons that other
municipalities can find and reuse.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from digikunta.core.markdown import check_body_length
from digikunta.experiments import lifecycle
from digikunta.moderation.models import Moderated, ModeratedQuerySet
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation


class LocalizedName(models.Model):
    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150, blank=True)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi


class ThemeQuerySet(models.QuerySet["Theme"]):
    def in_use(self) -> "ThemeQuerySet":
        """The themes offered for tagging experiments: not retired."""
        return self.filter(is_retired=False)


class Theme(LocalizedName):
    """A theme of the managed taxonomy: the coordinators add, rename, retire and merge themes
    on their own page (views.theme_list). A retired theme stays on the experiments and calls
    that have it, and in the case bank's filter, but is not offered for new tagging; its
    identifier is never reused, so old links and files keep meaning what they meant."""

    slug = models.SlugField(_("identifier"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_retired = models.BooleanField(
        _("retired"),
        default=False,
        help_text=_("Stays on the experiments that have it, but is not offered for new ones."),
    )

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name_fi"]


class TargetGroup(LocalizedName):
    slug = models.SlugField(_("identifier"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["position"]


class LifeEvent(LocalizedName):
    """A life or business event (elämäntapahtuma), reference data."""

    code = models.CharField(_("code"), max_length=20, primary_key=True)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[("life", _("life event")), ("business", _("business event"))],
    )
    is_national_priority = models.BooleanField(_("national priority"), default=False)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["-is_national_priority", "name_fi"]


class Status(models.TextChoices):
    IDEA = lifecycle.IDEA, lifecycle.LABELS[lifecycle.IDEA]
    PLANNED = lifecycle.PLANNED, lifecycle.LABELS[lifecycle.PLANNED]
    RUNNING = lifecycle.RUNNING, lifecycle.LABELS[lifecycle.RUNNING]
    ENDED = lifecycle.ENDED, lifecycle.LABELS[lifecycle.ENDED]
    EVALUATED = lifecycle.EVALUATED, lifecycle.LABELS[lifecycle.EVALUATED]
    SPREAD = lifecycle.SPREAD, lifecycle.LABELS[lifecycle.SPREAD]


class Outcome(models.TextChoices):
    SUCCEEDED = "succeeded", _("succeeded")
    PARTLY = "partly", _("partly succeeded")
    DID_NOT_SUCCEED = "did_not_succeed", _("did not succeed")
    STOPPED_EARLY = "stopped_early", _("stopped early")


class Visibility(models.TextChoices):
    """Who sees an experiment. Every new one is a draft: its team, its organisation's
    administrators and the coordinators see it until the lead publishes it for everyone or
    for the organisation's members (issue 10)."""

    PUBLIC = "public", _("public")
    MEMBERS = "members", _("members only")
    DRAFT = "draft", _("draft, not published")


PUBLISHED = (Visibility.PUBLIC, Visibility.MEMBERS)


class ExperimentQuerySet(models.QuerySet["Experiment"]):
    def public(self) -> "ExperimentQuerySet":
        return self.filter(visibility=Visibility.PUBLIC)


class Experiment(models.Model):
    slug = models.SlugField(_("address"), max_length=90, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences: what and why.")
    )
    description = models.TextField(_("description"), blank=True)
    problem = models.TextField(_("problem"), blank=True, help_text=_("What is not working now?"))
    hypothesis = models.TextField(
        _("hypothesis"), blank=True, help_text=_("What do you believe will happen, and why?")
    )
    goal = models.TextField(_("realistic goal"), blank=True)
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="experiments",
        verbose_name=_("owner organisation"),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="experiments",
        blank=True,
        verbose_name=_("participating municipalities"),
    )
    partners = models.ManyToManyField(
        Organisation, related_name="partner_experiments", blank=True, verbose_name=_("partners")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="experiments", blank=True, verbose_name=_("target groups")
    )
    themes = models.ManyToManyField(
        Theme, related_name="experiments", blank=True, verbose_name=_("themes")
    )
    life_events = models.ManyToManyField(
        LifeEvent, related_name="experiments", blank=True, verbose_name=_("life events")
    )
    strategy_link = models.TextField(
        _("link to the municipality's strategy"),
        blank=True,
        help_text=_("Which goal of the strategy does this serve? A quote or an address."),
    )
    budget = models.DecimalField(
        _("budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    funding_sources = models.CharField(_("funding sources"), max_length=300, blank=True)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    language = models.CharField(
        _("language of the content"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    status = models.CharField(
        _("stage"), max_length=12, choices=Status.choices, default=Status.IDEA, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    results = models.TextField(_("results"), blank=True)
    lessons = models.TextField(
        _("lessons learned"),
        blank=True,
        help_text=_(
            "What would you tell another municipality? Failures teach as much as successes."
        ),
    )
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("started from"),
        db_index=False,  # a partial index below: almost every row is NULL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ExperimentQuerySet.as_manager()

    # Deleting an experiment removes its search entry (digikunta.search.receivers).
    is_search_indexed = True
    # The experiments a person started, in their data export; erasure keeps them, unsigned.
    personal_owner = ("created_by",)
    personal_fields = ("title", "created_at")

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="experiment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="experiment_budget_not_negative",
            ),
        ]
        indexes = [
            # The case bank: its facet counts read only this index; its default order.
            models.Index(fields=["visibility", "status", "outcome"], name="experiment_facets_idx"),
            models.Index(fields=["visibility", "-updated_at", "-id"], name="experiment_recent_idx"),
            models.Index(
                fields=["reused_from"],
                condition=models.Q(reused_from__isnull=False),
                name="experiment_reuses_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("experiments:experiment_detail", kwargs={"slug": self.slug})

    @property
    def lifecycle_state(self) -> lifecycle.State:
        return lifecycle.State(
            status=self.status, results=self.results, outcome=self.outcome, lessons=self.lessons
        )


class TeamRole(models.TextChoices):
    LEAD = "lead", _("lead")
    MEMBER = "member", _("team member")


class TeamMember(models.Model):
    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="team", verbose_name=_("experiment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="experiment_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)

    personal_fields = ("experiment", "role")

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint("experiment", "user", name="one_team_role_per_experiment")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.experiment_id}: {self.role}"


class Transition(models.Model):
    """One move in the lifecycle: who moved it and when (the timeline)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    personal_owner = ("by",)
    personal_fields = ("experiment", "from_status", "to_status", "at")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class StepStatus(models.TextChoices):
    PLANNED = lifecycle.STEP_PLANNED, _("planned")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class Step(models.Model):
    """A small, testable part of the experiment (osakokeilu)."""

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="steps", verbose_name=_("experiment")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), blank=True)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.PLANNED
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="step_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    experiment = models.ForeignKey(
        Experiment,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("experiment"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=150)
    unit = models.CharField(
        _("unit"), max_length=30, help_text=_("For example €, %, minutes, people.")
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(
        pgettext_lazy("indicator", "target"), max_digits=14, decimal_places=2
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    personal_owner = ("recorded_by",)
    personal_fields = ("indicator", "measured_on", "value", "recorded_at")

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value}"


class NeedKind(models.TextChoices):
    PARTNERS = "partners", _("partners")
    TEST_USERS = "test_users", _("test users")
    FUNDING = "funding", _("funding")
    MENTORS = "mentors", _("mentors")


class Need(models.Model):
    """What the experiment is looking for; the case bank can be filtered by it."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("looking for"), max_length=12, choices=NeedKind.choices)
    description = models.CharField(_("details"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [models.UniqueConstraint("experiment", "kind", name="one_need_per_kind")]

    def __str__(self) -> str:
        return self.kind


def journal_upload_to(instance: models.Model, filename: str) -> str:
    entry: Any = instance.entry if hasattr(instance, "entry") else instance
    return f"journal/{entry.experiment_id}/{filename}"


class JournalEntryQuerySet(ModeratedQuerySet["JournalEntry"]):
    pass


class JournalEntry(Moderated):
    """A light diary note: what happened, in text, photos, a video link and attachments.

    Anyone may report it and the moderators may hide it (experiments/moderation.py): a hidden
    entry keeps its place in the journal, shown as the moderators' reason, and leaves the
    experiment's search text and the API; its photos, attachments and history are not served."""

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="journal", verbose_name=_("experiment")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # No max_length: a textarea with maxlength would cut pasted text silently; the validator
    # refuses it with the count instead, and the person keeps what they typed.
    body = models.TextField(
        _("text"),
        # The number is core.markdown.MAX_BODY_CHARS, written out so that translators can format it.
        help_text=_(
            "Markdown: **bold**, *italics*, lists and links work; HTML is left out; "
            "at most 20,000 characters."
        ),
        validators=[check_body_length],
    )
    # Filled by the services from core.markdown.render_markdown (nh3) on every write: see `html`.
    body_html = models.TextField(blank=True, editable=False, default="")
    video_url = models.URLField(
        _("video link"), blank=True, help_text=_("An address of a video, e.g. on YouTube or Vimeo.")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = JournalEntryQuerySet.as_manager()

    personal_owner = ("author",)
    # Hidden or not, the author's own text is theirs, with why the moderators hid it.
    personal_fields = ("experiment", "body", "created_at", "hidden_at", "hidden_reason")

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["experiment", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.experiment_id}: {self.created_at:%Y-%m-%d}"

    @property
    def html(self) -> SafeString:
        """The stored rendering of ``body``, for pages and the API."""
        # Trusted only because body_html is written by the services from
        # core.markdown.render_markdown, which sanitises with nh3, and by nothing else.
        return mark_safe(self.body_html)  # noqa: S308


class JournalEntryVersion(models.Model):
    """The text of a journal entry before an edit: the version history."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField()
    # The entry's body_html at the time, copied by journal_entry_update: see `html`.
    body_html = models.TextField(blank=True, editable=False, default="")
    video_url = models.URLField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)

    personal_owner = ("edited_by",)
    personal_fields = ("entry", "edited_at")

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} @ {self.edited_at:%Y-%m-%d %H:%M}"

    @property
    def html(self) -> SafeString:
        """The stored rendering of this earlier ``body``, for the history page."""
        # Trusted only because body_html is copied from JournalEntry.body_html, which the
        # services write from core.markdown.render_markdown (nh3), and by nothing else.
        return mark_safe(self.body_html)  # noqa: S308


class JournalPhoto(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to=journal_upload_to, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(upload_to=journal_upload_to)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text


class Attachment(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=journal_upload_to)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Follow(models.Model):
    """A person follows an experiment or a municipality, and gets e-mail when things happen."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    personal_fields = ("experiment", "municipality", "created_at")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(experiment__isnull=False, municipality__isnull=True)
                | models.Q(experiment__isnull=True, municipality__isnull=False),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint("user", "experiment", name="follow_experiment_once"),
            models.UniqueConstraint("user", "municipality", name="follow_municipality_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.experiment_id or self.municipality_id}"


class Lasted(models.TextChoices):
    YES = "yes", _("yes, it is still in use")
    PARTLY = "partly", _("partly")
    NO = "no", _("no, it ended")


class FollowUp(models.Model):
    """Six and twelve months after an experiment ends, its lead is asked whether the change
    lasted; the answer shows on the page, so impact is followed, not assumed."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the end"))
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lasted = models.CharField(
        _("did the change last?"), max_length=10, choices=Lasted.choices, blank=True
    )
    note = models.TextField(_("what happened since"), blank=True)

    personal_owner = ("answered_by",)
    personal_fields = ("experiment", "months", "answered_at", "lasted", "note")

    class Meta:
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint("experiment", "months", name="one_follow_up_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id} +{self.months} months"


class ExperimentVector(models.Model):
    """The experiment's meaning as a sentence embedding (multilingual-e5-small, float16), for
    "similar experiments elsewhere" across Finnish and Swedish (docs/similarity.md)."""

    experiment = models.OneToOneField(
        Experiment, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    vector = models.BinaryField()
    source_hash = models.CharField(max_length=64)
    # Indexed: every page checks MAX(updated_at) to see whether its vectors are current.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # The most similar experiments elsewhere, [[id, score], …] best first, stored when vectors
    # change (similarity.similar_refresh) so that a page reads them instead of ranking (issue 9).
    similar = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"vector of {self.experiment_id}"


class ImportState(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    ROLLED_BACK = "rolled_back", _("rolled back")
    TAKEN_OVER = "taken_over", _("taken over")


class ImportRun(models.Model):
    """One run of `digikunta import`: the lock that keeps a second import out, and through its
    changes the undo journal that takes back what a failed run wrote (docs/import.md).

    At most one run of a kind is running (a unique constraint, so it holds across processes on
    SQLite and PostgreSQL); a run whose heartbeat stopped is taken over by the next import."""

    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255, blank=True)
    state = models.CharField(
        max_length=12, choices=ImportState.choices, default=ImportState.RUNNING
    )
    started_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The stopped run whose changes this run took back before it wrote its own.
    took_over = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(state="running"),
                name="one_running_import_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"import {self.kind} {self.started_at:%Y-%m-%d %H:%M} {self.state}"


class ImportChange(models.Model):
    """What one import run did to one experiment: created it, or updated it from ``previous``.
    Written in the same transaction as the change itself; deleted when the run is done."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="+")
    is_created = models.BooleanField(default=False)
    previous = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.run_id}: {'created' if self.is_created else 'updated'} {self.experiment_id}"
