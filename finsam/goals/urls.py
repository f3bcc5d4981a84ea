from django.urls import path

from finsam.goals import views

app_name = "goals"
f = "f/<slug:slug>/"
g = f + "mal/"
a = f + "aktiviteter/"
k = f + "internkontroll/"
urlpatterns = [
    path(g, views.goal_list_view, name="goals"),
    path(g + "<int:year>/export.xlsx", views.goals_xlsx_view, name="goals_xlsx"),
    path(g + "<int:year>/omrade/nytt/", views.area_create_view, name="area_create"),
    path(g + "<int:year>/nytt/", views.goal_create_view, name="goal_create"),
    path(g + "externa/nytt/", views.external_goal_create_view, name="external_goal_create"),
    path(g + "volym/ny/", views.volume_count_create_view, name="volume_count_create"),
    path(g + "<int:pk>/", views.goal_detail_view, name="goal_detail"),
    path(g + "<int:pk>/andra/", views.goal_edit_view, name="goal_edit"),
    path(g + "<int:pk>/ta-bort/", views.goal_delete_view, name="goal_delete"),
    path(g + "<int:pk>/bedomning/<str:period>/", views.assessment_view, name="assessment"),
    path(g + "<int:pk>/matt/nytt/", views.measure_create_view, name="measure_create"),
    path(g + "<int:pk>/matt/", views.measures_edit_view, name="measures_edit"),
    path(g + "matt/<int:pk>/andra/", views.measure_edit_view, name="measure_edit"),
    path(g + "matt/<int:pk>/ta-bort/", views.measure_delete_view, name="measure_delete"),
    path(g + "matt/<int:pk>/uppgift/", views.entry_create_view, name="entry_create"),
    path(a, views.activity_list_view, name="activities"),
    path(a + "<int:year>/export.xlsx", views.activity_xlsx_view, name="activities_xlsx"),
    path(a + "ny/", views.activity_create_view, name="activity_create"),
    path(a + "<int:pk>/", views.activity_detail_view, name="activity_detail"),
    path(a + "<int:pk>/andra/", views.activity_edit_view, name="activity_edit"),
    path(a + "<int:pk>/ta-bort/", views.activity_delete_view, name="activity_delete"),
    path(a + "<int:pk>/narvaro/", views.activity_attendance_view, name="activity_attendance"),
    path(a + "<int:pk>/utvardering/", views.activity_evaluation_view, name="activity_evaluation"),
    path(k, views.internal_control_view, name="internal_control"),
    path(k + "<int:year>/plan/", views.control_plan_edit_view, name="control_plan_edit"),
    path(k + "<int:year>/risk/ny/", views.risk_create_view, name="risk_create"),
    path(k + "risk/<int:pk>/andra/", views.risk_edit_view, name="risk_edit"),
    path(k + "risk/<int:pk>/kontroll/ny/", views.control_create_view, name="control_create"),
    path(k + "kontroll/<int:pk>/andra/", views.control_edit_view, name="control_edit"),
]
