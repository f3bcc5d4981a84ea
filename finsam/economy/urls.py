from django.urls import path

from finsam.economy.views import budgets, building, follow_up, ledger, rules

app_name = "economy"
f = "f/<slug:slug>/budget/"
urlpatterns = [
    path(f, budgets.budget_list_view, name="budgets"),
    path(f + "mall.xlsx", budgets.budget_template_view, name="budget_template"),
    path(f + "ny/", building.budget_start_view, name="budget_start"),
    path(f + "importera/", budgets.budget_import_view, name="budget_import"),
    path(f + "jamfor/", budgets.budget_compare_view, name="budget_compare"),
    path(f + "regler/", rules.rules_view, name="rules"),
    path(f + "regler/ny/", rules.rule_create_view, name="rule_create"),
    path(f + "regler/importera/", rules.rules_import_view, name="rules_import"),
    path(f + "regler/<int:pk>/", rules.rule_edit_view, name="rule_edit"),
    path(f + "regler/<int:pk>/ta-bort/", rules.rule_delete_view, name="rule_delete"),
    path(f + "bokforing/", ledger.ledger_view, name="ledger"),
    path(f + "bokforing/importera/", ledger.ledger_import_view, name="ledger_import"),
    path(f + "bokforing/importer/<int:pk>/", ledger.ledger_job_view, name="ledger_job"),
    path(
        f + "bokforing/importer/<int:pk>/forsok-igen/",
        ledger.ledger_job_retry_view,
        name="ledger_job_retry",
    ),
    path(
        f + "bokforing/importer/<int:pk>/ta-bort/",
        ledger.ledger_job_delete_view,
        name="ledger_job_delete",
    ),
    path(
        f + "bokforing/mappning/",
        ledger.account_mapping_create_view,
        name="account_mapping_create",
    ),
    path(
        f + "bokforing/mappning/<int:pk>/ta-bort/",
        ledger.account_mapping_delete_view,
        name="account_mapping_delete",
    ),
    path(
        f + "bokforing/objekt/<int:pk>/",
        ledger.ledger_object_line_view,
        name="ledger_object_line",
    ),
    path(f + "uppfoljning/", follow_up.follow_up_view, name="follow_up"),
    path(f + "uppfoljning/prognos/", follow_up.follow_up_entry_view, name="follow_up_entry"),
    path(f + "<int:pk>/", budgets.budget_detail_view, name="budget_detail"),
    path(f + "<int:pk>/andra/", budgets.budget_edit_view, name="budget_edit"),
    path(f + "<int:pk>/belopp/", budgets.budget_amounts_view, name="budget_amounts"),
    path(f + "<int:pk>/export/", budgets.budget_export_view, name="budget_export"),
    path(f + "<int:pk>/ny-version/", budgets.budget_new_version_view, name="budget_new_version"),
    path(f + "<int:pk>/rader/", building.budget_lines_view, name="budget_lines"),
    path(f + "<int:pk>/rader/ny/", building.budget_line_add_view, name="budget_line_add"),
    path(f + "<int:pk>/rader/<int:line>/", building.budget_line_edit_view, name="budget_line_edit"),
    path(
        f + "<int:pk>/rader/<int:line>/flytta/",
        building.budget_line_move_view,
        name="budget_line_move",
    ),
    path(
        f + "<int:pk>/rader/<int:line>/ta-bort/",
        building.budget_line_delete_view,
        name="budget_line_delete",
    ),
    path(f + "<int:pk>/avsnitt/", building.budget_section_view, name="budget_section"),
]
