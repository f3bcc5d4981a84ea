from django.urls import path

from finsam.insights import views

app_name = "insights"
f = "f/<slug:slug>/"
urlpatterns = [
    path(f + "insikter/", views.index_view, name="index"),
    path(
        f + "insikter/uppfoljning-finsam/<int:year>.xlsx",
        views.uppfoljning_view,
        {"fmt": "xlsx"},
        name="uppfoljning_xlsx",
    ),
    path(
        f + "insikter/uppfoljning-finsam/<int:year>.csv",
        views.uppfoljning_view,
        {"fmt": "csv"},
        name="uppfoljning_csv",
    ),
    path(
        f + "insikter/indikatorer/<int:year>.xlsx",
        views.indicators_view,
        {"fmt": "xlsx"},
        name="indicators_xlsx",
    ),
    path(
        f + "insikter/indikatorer/<int:year>.csv",
        views.indicators_view,
        {"fmt": "csv"},
        name="indicators_csv",
    ),
    path(f + "insikter/jamforelse/", views.consent_view, name="consent"),
    path(f + "insikter/rapporter/ny/", views.builder_view, name="builder"),
    path(f + "insikter/rapporter/<int:pk>/", views.report_view, name="report"),
    path(f + "insikter/rapporter/<int:pk>/andra/", views.report_edit_view, name="report_edit"),
    path(
        f + "insikter/rapporter/<int:pk>/ta-bort/", views.report_delete_view, name="report_delete"
    ),
    path("installation/jamfor/", views.installation_compare_view, name="installation_compare"),
]
# Open to everyone, no login: only associations that opted in, nothing personal.
public_urlpatterns = [
    path("jamfor/", views.public_compare_view, name="public_compare"),
]
urlpatterns += public_urlpatterns
