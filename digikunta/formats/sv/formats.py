"""Swedish as written in Finland: dates as in Finnish, 1.3.2026 (issue 10); the rest is
Django's Swedish."""

from django.conf.locale.sv.formats import *  # noqa: F403

DATE_FORMAT = "j.n.Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = "j.n.Y \\k\\l. H.i"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
MONTH_DAY_FORMAT = "j.n."
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
