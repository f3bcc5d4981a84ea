from django.urls import path

from finsam.funding import views

app_name = "funding"
f = "f/<slug:slug>/"
a = f + "ansokningar/<int:pk>/"
i = f + "insatser/<int:pk>/"
r = f + "rapporter/<int:pk>/"
s = i + "styrgrupp/"
urlpatterns = [
    path(f + "utlysningar/", views.call_list_view, name="calls"),
    path(f + "utlysningar/ny/", views.call_create_view, name="call_create"),
    path(f + "utlysningar/<int:pk>/", views.call_detail_view, name="call_detail"),
    path(f + "utlysningar/<int:pk>/andra/", views.call_edit_view, name="call_edit"),
    path(f + "utlysningar/<int:pk>/stang/", views.call_close_view, name="call_close"),
    path(f + "bedomningskriterier/", views.criteria_view, name="criteria"),
    path(f + "bedomningskriterier/ny/", views.criterion_create_view, name="criterion_create"),
    path(f + "bedomningskriterier/<int:pk>/", views.criterion_edit_view, name="criterion_edit"),
    path(
        f + "bedomningskriterier/<int:pk>/ta-bort/",
        views.criterion_delete_view,
        name="criterion_delete",
    ),
    path(f + "standardvillkor/", views.settings_edit_view, name="settings_edit"),
    path(f + "ansokningar/", views.application_list_view, name="applications"),
    path(f + "ansokningar/ny/", views.application_create_view, name="application_create"),
    path(
        f + "ansokningar/ny/autospara/",
        views.application_autosave_new_view,
        name="application_autosave_new",
    ),
    path(a, views.application_detail_view, name="application_detail"),
    path(a + "andra/", views.application_edit_view, name="application_edit"),
    path(a + "autospara/", views.application_autosave_view, name="application_autosave"),
    path(a + "skicka-in/", views.application_submit_view, name="application_submit"),
    path(a + "aterta/", views.application_withdraw_view, name="application_withdraw"),
    path(a + "version/<int:number>/", views.application_version_view, name="application_version"),
    path(a + "bedomning/", views.assessment_view, name="assessment"),
    path(a + "bedomning/<slug:action>/", views.assessment_action_view, name="assessment_action"),
    path(a + "dagordning/", views.agenda_view, name="agenda"),
    path(a + "beslut/", views.decision_create_view, name="decision_create"),
    path(f + "insatser/", views.intervention_list_view, name="interventions"),
    path(i, views.intervention_detail_view, name="intervention_detail"),
    path(i + "avsluta/", views.intervention_end_view, name="intervention_end"),
    path(i + "andring/", views.intervention_change_view, name="intervention_change"),
    path(i + "personal/", views.intervention_staff_view, name="intervention_staff"),
    path(i + "mal/", views.intervention_goal_measures_view, name="intervention_goal_measures"),
    path(i + "utbetalning/", views.payment_request_view, name="intervention_payment"),
    path(i + "utbetalningsplan/", views.payment_plan_view, name="intervention_payment_plan"),
    path(
        i + "medel-per-ar.xlsx", views.intervention_years_xlsx_view, name="intervention_years_xlsx"
    ),
    path(
        i + "beviljade-medel.xlsx",
        views.intervention_grants_xlsx_view,
        name="intervention_grants_xlsx",
    ),
    path(
        i + "utbetalningar.xlsx",
        views.intervention_payments_xlsx_view,
        name="intervention_payments_xlsx",
    ),
    path(
        i + "beslut.xlsx",
        views.intervention_decisions_xlsx_view,
        name="intervention_decisions_xlsx",
    ),
    path(s + "ledamoter.xlsx", views.steering_members_xlsx_view, name="steering_members_xlsx"),
    path(f + "rekvisitioner/", views.payment_list_view, name="payments"),
    path(f + "rapporter/", views.report_list_view, name="reports"),
    path(r, views.report_detail_view, name="report_detail"),
    path(r + "skriv/", views.report_edit_view, name="report_edit"),
    path(r + "granska/", views.report_review_view, name="report_review"),
    path(r + "genomford/", views.report_held_view, name="report_held"),
    path(
        f + "beslut/<int:pk>/beslutsmeddelande.pdf",
        views.decision_letter_pdf_view,
        name="decision_letter_pdf",
    ),
    path(
        f + "beslut/<int:pk>/beslutsmeddelande.docx",
        views.decision_letter_docx_view,
        name="decision_letter_docx",
    ),
    path(a + "bilagor/", views.attachment_upload_view, name="attachment_upload"),
    path(
        a + "bilagor/<int:attachment>/", views.attachment_download_view, name="attachment_download"
    ),
    path(
        a + "bilagor/<int:attachment>/ta-bort/",
        views.attachment_delete_view,
        name="attachment_delete",
    ),
    path(s + "ledamot/ny/", views.steering_member_create_view, name="steering_member_create"),
    path(s + "ledamot/<int:person>/", views.steering_member_edit_view, name="steering_member_edit"),
    path(
        s + "ledamot/<int:person>/ta-bort/",
        views.steering_member_delete_view,
        name="steering_member_delete",
    ),
    path(s + "moten/ny/", views.steering_meeting_create_view, name="steering_meeting_create"),
    path(
        s + "moten/<int:meeting>/", views.steering_meeting_edit_view, name="steering_meeting_edit"
    ),
    path(
        s + "moten/<int:meeting>/ta-bort/",
        views.steering_meeting_delete_view,
        name="steering_meeting_delete",
    ),
    path(
        s + "moten/<int:meeting>/protokoll/",
        views.steering_minutes_download_view,
        name="steering_minutes_download",
    ),
    path(s + "moten.xlsx", views.steering_meetings_xlsx_view, name="steering_meetings_xlsx"),
    path(
        f + "utbetalningar/<int:pk>/<slug:action>/",
        views.payment_action_view,
        name="payment_action",
    ),
]
