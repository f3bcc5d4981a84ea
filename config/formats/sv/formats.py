"""Django's Swedish formats, except that typed dates are never read in US order: Django's own
Swedish list accepts 01/02/2027 as 2 January. Finsam reads ISO dates (what the date pickers send)
and day-first dates as Swedes write them (1/2/2027 and 1.2.2027 are 1 February)."""

from django.conf.locale.sv.formats import *  # noqa: F403

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M",
]
