from django.contrib import admin
from django.urls import include, path

from finsam.publishing.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    # The open API (finsam/publishing/api.py, docs/publishing.md); its schema at /api/openapi.json.
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("finsam.accounts.urls")),
    # django-allauth: password reset, second factor (TOTP, passkeys, recovery codes).
    path("konto/", include("allauth.urls")),
    path("", include("finsam.organisation.urls")),
    path("", include("finsam.economy.urls")),
    # reporting before funding: funding keeps the name "report_detail" for a path of reporting's
    # (see finsam/funding/urls.py), and the first pattern that matches answers.
    path("", include("finsam.reporting.urls")),
    path("", include("finsam.funding.urls")),
    path("", include("finsam.participants.urls")),
    path("", include("finsam.goals.urls")),
    path("", include("finsam.indicators.urls")),
    path("", include("finsam.documents.urls")),
    path("", include("finsam.publishing.urls")),
    path("", include("finsam.insights.urls")),
    path("", include("finsam.oversight.urls")),
    path("", include("finsam.dashboard.urls")),
]

handler403 = "finsam.core.views.error_403"
handler404 = "finsam.core.views.error_404"
handler500 = "finsam.core.views.error_500"


def _superusers_only(request) -> bool:
    # Everyday work happens in the app's own pages; the admin is a superuser's tool.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
