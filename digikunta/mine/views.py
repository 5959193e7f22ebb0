from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from digikunta.core.htmx import render_page_or_partial
from digikunta.mine import selectors


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Oma Digikunta: the person's experiments, organisations, applications, reviews and
    follows, and what waits for them, each with its next action. Where a login lands."""
    user = request.user
    teams = selectors.team_roles_of(user)
    memberships = selectors.memberships_of_person(user)
    applications = selectors.applications_of(user)
    reviews = selectors.reviews_of(user)
    context = {
        "waiting": selectors.waiting_for(
            user,
            teams=teams,
            memberships=memberships,
            applications=applications,
            reviews=reviews,
        ),
        "teams": teams,
        "memberships": memberships,
        "applications": applications,
        "reviews": reviews,
        "follows": selectors.follows_of(user),
    }
    return render_page_or_partial(request, "mine/dashboard.html", "main", context)
