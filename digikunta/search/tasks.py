"""Background jobs of the search engine (engine.py), as tasks (core/tasks.py)."""

from digikunta.core.tasks import task_with_retries
from digikunta.search import engine


@task_with_retries()
def apply_engine_changes(collection: str) -> int:
    """Task: bring the collection's index up to date after a commit; returns how many objects
    it rewrote. Readers would apply the changes themselves: this spares them the wait."""
    if not engine.enabled() or collection not in engine.names():
        return 0
    return engine.apply(collection)
