from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from digikunta.api.api import api
from digikunta.api.reference import api_reference
from digikunta.core import views as core_views
from digikunta.home import views as home_views

# The admin site logs in through allauth: the same throttling and two-factor step as elsewhere.
admin.site.login = secure_admin_login(admin.site.login)

handler400 = "digikunta.core.views.bad_request"
handler403 = "digikunta.core.views.permission_denied"
handler404 = "digikunta.core.views.page_not_found"
handler500 = "digikunta.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path(".well-known/security.txt", core_views.security_txt, name="security_txt"),
    path("api/v1/docs", core_views.api_reference_redirect, name="api_docs_redirect"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", home_views.home, name="home"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("open-data/", core_views.api_docs, name="api_docs"),
    path("open-data/api/", api_reference, name="api_reference"),
    path("municipalities/", include("digikunta.municipalities.urls")),
    path("organisations/", include("digikunta.organisations.urls")),
    path("experiments/", include("digikunta.experiments.urls")),
    path("casebank/", include("digikunta.casebank.urls")),
    path("funding/", include("digikunta.funding.urls")),
    path("participation/<slug:slug>/budget/", include("digikunta.budgeting.urls")),
    path("participation/", include("digikunta.participation.urls")),
    path("panels/", include("digikunta.panels.urls")),
    path("surveys/", include("digikunta.surveys.urls")),
    path("mine/", include("digikunta.mine.urls")),
    path("moderation/", include("digikunta.moderation.urls")),
    path("experiment-of-the-month/", include("digikunta.home.urls")),
    path("account/settings/", include("digikunta.accounts.urls")),
    # account/notifications/ and notifications/unsubscribe/<token>/, before allauth's account/
    path("", include("digikunta.notifications.urls")),
    path("account/", include("allauth.urls")),
    path("admin/status/", home_views.system_status, name="system_status"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
# Uploaded files are never served as static files, not even in development: every file goes
# through a view that applies the visibility of what it belongs to (experiments.journal_file).
