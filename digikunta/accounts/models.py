"""People: the user account, platform roles and personal API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. E-mail is the login; a display name is all else we ask for."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("Shown with what you write.")
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="fi",
        help_text=_("The language of e-mails we send you."),
    )
    open_for_contact = models.BooleanField(
        _("open for contact"),
        default=False,
        help_text=_(
            "Show your name, title and e-mail address on the pages of your organisations and "
            "their municipalities, so that others can ask you about your experiments."
        ),
    )
    contact_title = models.CharField(
        _("title or role"),
        max_length=120,
        blank=True,
        help_text=_("Shown beside your name, e.g. digital development manager."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("May use the technical administration site."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    # Personal data of this model (export and erasure read this; see digikunta.core.privacy).
    personal_fields = (
        "email",
        "name",
        "language",
        "open_for_contact",
        "contact_title",
        "date_joined",
        "last_login",
    )
    personal_owner = ("pk",)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def public_name(self) -> str:
        """What others see: the name, never the e-mail address."""
        return self.name or str(_("a Digikunta user"))

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class PlatformRole(models.TextChoices):
    COORDINATOR = "coordinator", _("programme coordinator")
    REVIEWER = "reviewer", _("reviewer")
    EXPERT = "expert", _("expert")
    MODERATOR = "moderator", _("moderator")


# Roles that see other people's data: their holders must use two-factor authentication.
STAFF_PLATFORM_ROLES = frozenset(
    {PlatformRole.COORDINATOR, PlatformRole.REVIEWER, PlatformRole.MODERATOR}
)


class RoleAssignment(models.Model):
    """A platform-wide role held by a person, granted by someone accountable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PlatformRole.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    personal_fields = ("role", "granted_at")

    class Meta:
        verbose_name = _("platform role")
        verbose_name_plural = _("platform roles")
        constraints = [models.UniqueConstraint("user", "role", name="one_assignment_per_role")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    PREFIX = "dk_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the system it connects."),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("begins with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    personal_fields = ("name", "hint", "created_at", "last_used_at")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class Session(AbstractBaseSession):
    """Django's database session, with the signed-in person's id beside the signed data, so
    that a request reads its session, its person and their roles in one query
    (accounts/sessions.py, issue 9). Ending a person's account ends their sessions."""

    # No constraint in the database: a session saved while its person is being erased must
    # not fail (Django would retry its creation with new keys); the ORM's delete of the person
    # still deletes these rows, and a session naming no one reads as signed out.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("person"),
    )

    personal_fields = ("expire_date",)

    @classmethod
    def get_session_store_class(cls) -> type:
        from digikunta.accounts.sessions import SessionStore

        return SessionStore
