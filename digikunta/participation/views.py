"""Pages of resident participation: processes, declarations, ideas, answers and support."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from digikunta.participation import selectors
from digikunta.participation.access import get_idea_for_user_or_404, get_process_for_user_or_404


@require_GET
def process_list(request: HttpRequest) -> HttpResponse:
    context = {"processes": selectors.processes_for(request.user)}
    return render(request, "participation/process_list.html", context)


@require_GET
def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_process_for_user_or_404(request.user, slug=slug)
    return render(request, "participation/process_detail.html", {"process": process})


@require_GET
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_user_or_404(request.user, pk)
    return render(request, "participation/idea_detail.html", {"idea": idea})
