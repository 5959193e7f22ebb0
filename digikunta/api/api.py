"""The public REST API, /api/v1/ (django-ninja; docs/decisions/0002)."""

from ninja import NinjaAPI

from digikunta.accounts.api import router as accounts_router
from digikunta.api import errors
from digikunta.api.parser import BoundedParser
from digikunta.budgeting import api as budgeting_api
from digikunta.experiments.api import router as experiments_router
from digikunta.funding import api as funding_api
from digikunta.municipalities.api import router as municipalities_router
from digikunta.organisations.api import router as organisations_router
from digikunta.panels.api import router as panels_router
from digikunta.participation import api as participation_api
from digikunta.surveys.api import router as surveys_router

api = NinjaAPI(
    title="Digikunta API",
    version="1.0.0",
    description=(
        "Everything public on Digikunta, readable without logging in. Writes need a personal "
        "API token as `Authorization: Bearer <token>`. Lists are paged with `page` and "
        "`page_size` and answer `{count, next, previous, results}`. Errors answer "
        "`{detail, errors: [{field, location, code, message}]}` in the language of "
        "`Accept-Language` (fi, sv, en)."
    ),
    docs_url=None,  # our own accessible reference: digikunta.api.reference
    openapi_url="/openapi.json",
    parser=BoundedParser(),
)
errors.install(api)
errors.install_not_found(api)
api.add_router("/municipalities", municipalities_router, tags=["municipalities"])
api.add_router("/regions", municipalities_router.regions, tags=["municipalities"])
api.add_router("/organisations", organisations_router, tags=["organisations"])
api.add_router("/experiments", experiments_router, tags=["experiments"])
api.add_router("/calls", funding_api.router, tags=["funding"])
api.add_router("/applications", funding_api.applications_router, tags=["funding"])
api.add_router("/reviews", funding_api.reviews_router, tags=["funding"])
api.add_router("/processes", participation_api.router, tags=["participation"])
api.add_router("/ideas", participation_api.ideas_router, tags=["participation"])
api.add_router("/panels", panels_router, tags=["panels"])
api.add_router("/processes", budgeting_api.router, tags=["budgeting"])
api.add_router("/ballots", budgeting_api.ballots_router, tags=["budgeting"])
api.add_router("/surveys", surveys_router, tags=["surveys"])
api.add_router("/me", accounts_router, tags=["accounts"])


@api.get("/", include_in_schema=False, url_name="root")
def root(request):  # type: ignore[no-untyped-def]
    """The API root: where everything is."""
    base = request.build_absolute_uri("/api/v1/")
    return {
        "name": "Digikunta API",
        "version": api.version,
        "openapi": base + "openapi.json",
        "docs": base + "docs",
        "endpoints": {
            "municipalities": base + "municipalities",
            "regions": base + "regions",
            "organisations": base + "organisations",
            "experiments": base + "experiments",
            "surveys": base + "surveys",
            "me": base + "me",
        },
    }
