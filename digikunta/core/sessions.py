"""Django's database sessions, read with one plain SELECT (SESSION_ENGINE).

Every signed-in request loads its session first; the ORM's get() costs more than the indexed
lookup itself (issue 9). Saving, deleting and expiry stay Django's own."""

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        model = self.model
        connection = connections[router.db_for_read(model)]
        name = connection.ops.quote_name
        sql = (
            f"SELECT session_data, expire_date FROM {name(model._meta.db_table)}"  # noqa: S608
            " WHERE session_key = %s AND expire_date > %s"
        )
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, connection.ops.adapt_datetimefield_value(now)])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
