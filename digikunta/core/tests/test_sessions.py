"""The session store reads its row with plain SQL: same answers as Django's own."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from digikunta.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_and_an_expired_or_unknown_one_is_empty():
    store = SessionStore()
    store["colour"] = "sininen"
    store.save()

    assert SessionStore(store.session_key)["colour"] == "sininen"

    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key on the next save, as with Django's own
    assert SessionStore("x" * 32).load() == {}
