"""Notifications from login that a higher layer records (organisation writes the audit rows)."""

from django.dispatch import Signal

# Sent when a login is refused because the account or the address has failed too often;
# arguments: request, login (what was typed as the username).
login_locked_out = Signal()
