"""Background jobs of experiments, as tasks (core/tasks.py): the periodic ones, run or queued by
`digikunta send_follow_ups` and `enqueue_daily`, and the re-indexing others' changes call for."""

from digikunta.core.tasks import task_with_retries
from digikunta.experiments.models import Experiment
from digikunta.experiments.search_text import experiment_text
from digikunta.experiments.services import follow_ups_send_due
from digikunta.search.services import reindex


@task_with_retries()
def send_follow_ups() -> int:
    """Task: queue the follow-up questions that are due (safe to run twice)."""
    return follow_ups_send_due()


@task_with_retries()
def reindex_owned_by(*, organisation_id: int) -> int:
    """Task: refresh the search entries of the organisation's experiments, 500 to an upsert;
    returns how many. Their text holds the owner's name, so a rename queues this (issue 9): an
    organisation may own thousands of experiments, more than a request should write."""
    experiments = (
        Experiment.objects.filter(owner_id=organisation_id)
        .select_related("owner")
        .prefetch_related("themes", "municipalities", "steps", "indicators", "journal")
    )
    return reindex(experiments, experiment_text)
