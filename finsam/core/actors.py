"""Who acts: every service takes an actor. A person is a `User`; work nobody clicked — imports,
management commands, scheduled jobs, the demo loader — passes `SYSTEM` explicitly.

Passing `None` is a programming error (`require_actor`), never a silent way around a permission
check: `SYSTEM` is the one actor that is allowed everything, and it is visible at the call site.
"""

from __future__ import annotations

from typing import Any


class SystemActor:
    """The actor of work nobody clicked. Written to the audit log as "system"."""

    pk = None
    id = None
    username = "system"
    is_authenticated = False
    is_active = False
    is_superuser = False

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"

    def __bool__(self) -> bool:
        return True


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def require_actor(actor: Any) -> Any:
    """The actor itself; `None` raises, so that no service runs without knowing who acts."""
    if actor is None:
        raise TypeError("A service needs an actor: a user, or SYSTEM for work nobody clicked.")
    return actor


def user_or_none(actor: Any) -> Any:
    """The user to store in a `…_by` foreign key: the person, or nothing for SYSTEM."""
    require_actor(actor)
    return actor if getattr(actor, "pk", None) else None
