"""A kind of notification of the tests' own, with its templates, so these tests need no app
above notifications."""

import copy

import pytest
from django.utils.translation import gettext_lazy

from digikunta.notifications import kinds
from digikunta.notifications.services import deliver

SUBJECT = "{% autoescape off %}Digikunta: {{ title }} ({{ heading }}){% endautoescape %}"
BODY = (
    "{% autoescape off %}{{ title }} – {{ heading }}, {{ user.email }}\n{{ url }}"
    "{% endautoescape %}"
)


def _heading(params):
    # Called under the recipient's language: a msgid the catalogues already translate.
    return {"heading": gettext_lazy("Results")}


@pytest.fixture
def templates_dir(settings, tmp_path):
    folder = tmp_path / "testnews"
    folder.mkdir()
    (folder / "posted_subject.txt").write_text(SUBJECT)
    (folder / "posted.txt").write_text(BODY)
    templates = copy.deepcopy(settings.TEMPLATES)
    for engine in templates:
        if engine["BACKEND"] == "django.template.backends.django.DjangoTemplates":
            engine["DIRS"] = [*engine.get("DIRS", []), str(tmp_path)]
    settings.TEMPLATES = templates
    return tmp_path


@pytest.fixture
def news(templates_dir):
    """The kind ``test_news``, immediately by default, and ``test_quiet``, daily by default."""
    registered = [
        kinds.register(
            kinds.Kind(
                key="test_news",
                label=gettext_lazy("Test news"),
                description=gettext_lazy("Something new happens in a test."),
                context=_heading,
            )
        ),
        kinds.register(
            kinds.Kind(
                key="test_quiet",
                label=gettext_lazy("Quiet test news"),
                description=gettext_lazy("Something small happens in a test."),
                default="daily",
            )
        ),
    ]
    yield registered[0]
    for kind in registered:
        kinds.unregister(kind.key)


def send(user_ids, *, kind="test_news", title="Kirjastokokeilu", **options):
    """deliver() as the apps call it, with the test templates."""
    return deliver(
        user_ids,
        kind=kind,
        template="testnews/posted",
        params={"title": title},
        link=("notifications:settings", []),
        **options,
    )
