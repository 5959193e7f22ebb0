"""Every page of a signed-in person's account passes axe-core, in Finnish and Swedish."""

import pytest

from digikunta.accounts.tests.factories import PASSWORD, TOTP_SECRET, UserFactory
from digikunta.core.management.commands.demo import current_code
from digikunta.organisations.models import MembershipRole
from digikunta.organisations.tests.factories import MembershipFactory, OrganisationFactory

ACCOUNT_PAGES = [
    "/{lang}/account/settings/",
    "/{lang}/account/settings/tokens/",
    "/{lang}/account/settings/data/",
    "/{lang}/account/email/",
    "/{lang}/account/password/change/",
    "/{lang}/account/2fa/",
    "/{lang}/account/2fa/recovery-codes/",
    "/{lang}/organisations/new/",
    "/{lang}/organisations/testiyhdistys/",
    "/{lang}/organisations/testiyhdistys/edit/",
    "/{lang}/organisations/testiyhdistys/members/",
]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_account_page_passes_axe_core(page, visit, lang):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = UserFactory(email="admin@example.fi", totp=True)
    RecoveryCodes.activate(user)
    organisation = OrganisationFactory(slug="testiyhdistys", name="Testiyhdistys ry")
    MembershipFactory(organisation=organisation, user=user, role=MembershipRole.ADMIN)
    page.goto(f"/{lang}/account/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").first.click()
    page.locator("#id_code").fill(current_code(TOTP_SECRET))
    page.locator("form.form button[type=submit]").first.click()
    page.wait_for_url(f"**/{lang}/account/settings/")
    for path in ACCOUNT_PAGES:
        visit(path.format(lang=lang))
