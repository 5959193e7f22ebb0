"""A refusal that says why (core.errors.Refused): its message on the error page, with its
status; a bare PermissionDenied still says only "no access"."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from digikunta.core.errors import Refused
from digikunta.core.views import permission_denied

pytestmark = pytest.mark.django_db


class TooFast(Refused):
    status_code = 429


def page(exception):
    request = RequestFactory().get("/fi/")
    request.user = AnonymousUser()
    return permission_denied(request, exception)


def test_a_refusal_shows_its_message_with_its_status():
    response = page(Refused("Tilisi on estetty: <b>mainontaa</b>."))
    assert response.status_code == 403
    assert "Tilisi on estetty: &lt;b&gt;mainontaa&lt;/b&gt;." in response.content.decode()
    fast = page(TooFast("Odota hetki."))
    assert fast.status_code == 429 and "Odota hetki." in fast.content.decode()


def test_a_bare_permission_denied_says_no_more():
    response = page(PermissionDenied("sisäinen syy"))
    assert response.status_code == 403
    assert "sisäinen syy" not in response.content.decode()
