from django.urls import path

from finsam.participants import views

app_name = "participants"
d = "f/<slug:slug>/deltagare/"
e = d + "<int:pk>/"
i = d + "insats/<int:pk>/"
urlpatterns = [
    path(d, views.index_view, name="index"),
    path(d + "statistik/", views.statistics_view, name="statistics"),
    path(d + "statistik/sammanstallning.csv", views.summary_csv_view, name="summary_csv"),
    path(d + "logg/", views.access_log_view, name="access_log"),
    path(d + "logg.xlsx", views.access_log_export_view, {"file_format": "xlsx"}, name="log_xlsx"),
    path(d + "logg.csv", views.access_log_export_view, {"file_format": "csv"}, name="log_csv"),
    path(d + "koder/", views.codes_view, name="codes"),
    path(d + "koder/<int:pk>/", views.code_edit_view, name="code_edit"),
    path(d + "enkatfragor/", views.survey_questions_view, name="survey_questions"),
    path(d + "enkatfragor/<int:pk>/", views.survey_question_edit_view, name="survey_question_edit"),
    path(
        d + "enkatfragor/<int:pk>/flytta/",
        views.survey_question_move_view,
        name="survey_question_move",
    ),
    path(
        d + "enkatfragor/<int:pk>/ta-bort/",
        views.survey_question_delete_view,
        name="survey_question_delete",
    ),
    path(d + "skattningar/", views.rating_settings_view, name="rating_settings"),
    path(i, views.intervention_view, name="intervention"),
    path(i + "ny/", views.register_view, name="register"),
    path(i + "uppfoljning.csv", views.national_export_view, name="national_csv"),
    path(e, views.enrolment_view, name="enrolment"),
    path(e + "traff/", views.session_create_view, name="session_create"),
    path(e + "avslut/", views.exit_view, name="exit"),
    path(e + "enkat/", views.survey_view, name="survey"),
    path(e + "registerutdrag.json", views.export_json_view, name="export_json"),
    path(e + "registerutdrag.pdf", views.export_pdf_view, name="export_pdf"),
    path(e + "radera/", views.erase_view, name="erase"),
    path(e + "ratta/start/", views.correct_entry_view, name="correct_entry"),
    path(e + "ratta/avslut/", views.correct_exit_view, name="correct_exit"),
    path(e + "ratta/person/", views.correct_person_view, name="correct_person"),
    path(e + "samtycke/", views.consent_view, name="consent"),
    path(e + "atkomst/", views.participant_log_view, name="participant_log"),
    path(e + "traff/<int:session_pk>/", views.session_edit_view, name="session_edit"),
    path(e + "traff/<int:session_pk>/ta-bort/", views.session_delete_view, name="session_delete"),
]
