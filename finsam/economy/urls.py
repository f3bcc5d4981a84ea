from django.urls import path

from finsam.economy import views, views_ledger

app_name = "economy"
f = "f/<slug:slug>/budget/"
urlpatterns = [
    path(f, views.budget_list_view, name="budgets"),
    path(f + "mall.xlsx", views.budget_template_view, name="budget_template"),
    path(f + "importera/", views.budget_import_view, name="budget_import"),
    path(f + "jamfor/", views.budget_compare_view, name="budget_compare"),
    path(f + "regler/", views.rules_view, name="rules"),
    path(f + "regler/ny/", views.rule_create_view, name="rule_create"),
    path(f + "regler/<int:pk>/", views.rule_edit_view, name="rule_edit"),
    path(f + "regler/<int:pk>/ta-bort/", views.rule_delete_view, name="rule_delete"),
    path(f + "bokforing/", views_ledger.ledger_view, name="ledger"),
    path(f + "bokforing/importera/", views_ledger.ledger_import_view, name="ledger_import"),
    path(f + "bokforing/importer/<int:pk>/", views_ledger.ledger_job_view, name="ledger_job"),
    path(
        f + "bokforing/mappning/",
        views_ledger.account_mapping_create_view,
        name="account_mapping_create",
    ),
    path(
        f + "bokforing/mappning/<int:pk>/ta-bort/",
        views_ledger.account_mapping_delete_view,
        name="account_mapping_delete",
    ),
    path(
        f + "bokforing/objekt/<int:pk>/",
        views_ledger.ledger_object_line_view,
        name="ledger_object_line",
    ),
    path(f + "uppfoljning/", views_ledger.follow_up_view, name="follow_up"),
    path(f + "uppfoljning/prognos/", views_ledger.follow_up_entry_view, name="follow_up_entry"),
    path(f + "<int:pk>/", views.budget_detail_view, name="budget_detail"),
    path(f + "<int:pk>/andra/", views.budget_edit_view, name="budget_edit"),
    path(f + "<int:pk>/belopp/", views.budget_amounts_view, name="budget_amounts"),
    path(f + "<int:pk>/export/", views.budget_export_view, name="budget_export"),
    path(f + "<int:pk>/ny-version/", views.budget_new_version_view, name="budget_new_version"),
]
