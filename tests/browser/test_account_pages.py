"""Every page of a signed-in person's account passes axe-core, in Finnish and Swedish."""

import re

import pytest
from playwright.sync_api import expect

from digikunta.accounts.tests.factories import TOTP_SECRET, UserFactory
from digikunta.organisations.models import MembershipRole
from digikunta.organisations.tests.factories import MembershipFactory, OrganisationFactory
from tests.browser.conftest import log_in

ACCOUNT_PAGES = [
    "/{lang}/mine/",
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
    log_in(page, user.email, lang=lang, totp_secret=TOTP_SECRET)
    expect(page).to_have_url(re.compile(rf"/{lang}/mine/$"), timeout=30_000)
    for path in ACCOUNT_PAGES:
        visit(path.format(lang=lang))
