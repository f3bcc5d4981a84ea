from django.urls import path

from finsam.economy import views

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
    path(f + "<int:pk>/", views.budget_detail_view, name="budget_detail"),
    path(f + "<int:pk>/andra/", views.budget_edit_view, name="budget_edit"),
    path(f + "<int:pk>/export/", views.budget_export_view, name="budget_export"),
    path(f + "<int:pk>/ny-version/", views.budget_new_version_view, name="budget_new_version"),
]
