"""What of an experiment is searchable: its words, its themes and where it happens."""

from digikunta.experiments.models import Experiment
from digikunta.search.services import index_object


def experiment_text(experiment: Experiment) -> tuple[str, str, str]:
    """(title, body, language) for the search index; theme and place names in fi and sv."""
    parts = [
        experiment.summary,
        experiment.description,
        experiment.problem,
        experiment.hypothesis,
        experiment.goal,
        experiment.expected_benefit,
        experiment.results,
        experiment.lessons,
        *(step.title for step in experiment.steps.all()),
        *(indicator.name for indicator in experiment.indicators.all()),
        # Not what the moderators hid (experiments/moderation.py); read from the prefetch.
        *(entry.body for entry in experiment.journal.all() if entry.hidden_at is None),
    ]
    for theme in experiment.themes.all():
        parts += [theme.name_fi, theme.name_sv]
    for municipality in experiment.municipalities.all():
        parts += [municipality.name_fi, municipality.name_sv]
    parts += [experiment.owner.name, experiment.owner.name_sv]
    return experiment.title, "\n".join(p for p in parts if p), experiment.language


def experiment_index(experiment: Experiment) -> None:
    title, body, language = experiment_text(experiment)
    index_object(experiment, title=title, body=body, language=language)
