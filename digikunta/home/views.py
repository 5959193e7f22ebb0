"""The front page and the staff's status page: they read many apps, so they live above them."""

import django
from django.contrib.admin.views.decorators import staff_member_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from digikunta.core.tasks import failed_tasks, task_counts
from digikunta.experiments.similarity import embedding_progress
from digikunta.municipalities.selectors import platform_figures
from digikunta.search import analysis
from digikunta.search.models import SearchEntry


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home/home.html", {"figures": platform_figures()})


@staff_member_required
def system_status(request: HttpRequest) -> HttpResponse:
    """For administrators: which search engine serves Finnish, database, versions, counts, how
    many experiments have their embedding (an import's are made in the background), and the
    background tasks: how many wait or run, and the latest that failed with their error."""
    embeddings = embedding_progress()
    context = {
        "search": analysis.status(),
        "database": connection.vendor,
        "django_version": django.get_version(),
        "experiments": embeddings["experiments"],
        "embeddings": embeddings,
        "search_entries": SearchEntry.objects.count(),
        "tasks": task_counts(),
        "failed_tasks": failed_tasks(),
    }
    return render(request, "home/system_status.html", context)
