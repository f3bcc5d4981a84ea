"""The report pages are tested with funding's own fixtures: an office user with e-mail, and
STEGSAM approved by the board with a staff member."""

from finsam.funding.tests.test_reports import office, stegsam

__all__ = ["office", "stegsam"]
