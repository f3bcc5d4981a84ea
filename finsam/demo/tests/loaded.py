"""The demo loaded once for a whole test package (a load takes several seconds; a package of
tests that read it would otherwise load it once per module).

A package's conftest.py declares
    @pytest.fixture(scope="package")
    def _demo_loaded(django_db_setup, django_db_blocker):
        yield from demo_for_the_package(django_db_blocker)
Each test then runs in its own transaction on top of the demo and is rolled back; when the
package's last test has run, the database is emptied again. Only packages whose every module
reads the demo may do this: a module of the package that does not ask for it still runs while
the demo is loaded.
"""

from __future__ import annotations

import io

from django.core.management import call_command


def demo_for_the_package(django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
