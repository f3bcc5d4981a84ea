from django.urls import path

from finsam.funding.views import (
    applications,
    assessments,
    attachments,
    calls,
    cofinancing,
    decisions,
    interventions,
    requisitions,
    steering,
)

app_name = "funding"
f = "f/<slug:slug>/"
a = f + "ansokningar/<int:pk>/"
i = f + "insatser/<int:pk>/"
s = i + "styrgrupp/"
m = i + "medfinansiering/"
urlpatterns = [
    path(f + "utlysningar/", calls.call_list_view, name="calls"),
    path(f + "utlysningar/ny/", calls.call_create_view, name="call_create"),
    path(f + "utlysningar/<int:pk>/", calls.call_detail_view, name="call_detail"),
    path(f + "utlysningar/<int:pk>/andra/", calls.call_edit_view, name="call_edit"),
    path(f + "utlysningar/<int:pk>/stang/", calls.call_close_view, name="call_close"),
    path(f + "bedomningskriterier/", calls.criteria_view, name="criteria"),
    path(f + "bedomningskriterier/ny/", calls.criterion_create_view, name="criterion_create"),
    path(f + "bedomningskriterier/<int:pk>/", calls.criterion_edit_view, name="criterion_edit"),
    path(
        f + "bedomningskriterier/<int:pk>/ta-bort/",
        calls.criterion_delete_view,
        name="criterion_delete",
    ),
    path(f + "standardvillkor/", calls.settings_edit_view, name="settings_edit"),
    path(f + "ansokningar/", applications.application_list_view, name="applications"),
    path(f + "ansokningar/ny/", applications.application_create_view, name="application_create"),
    path(
        f + "ansokningar/ny/autospara/",
        applications.application_autosave_new_view,
        name="application_autosave_new",
    ),
    path(a, applications.application_detail_view, name="application_detail"),
    path(a + "andra/", applications.application_edit_view, name="application_edit"),
    path(a + "autospara/", applications.application_autosave_view, name="application_autosave"),
    path(a + "skicka-in/", applications.application_submit_view, name="application_submit"),
    path(a + "aterta/", applications.application_withdraw_view, name="application_withdraw"),
    path(
        a + "version/<int:number>/",
        applications.application_version_view,
        name="application_version",
    ),
    path(a + "bedomning/", assessments.assessment_view, name="assessment"),
    path(
        a + "bedomning/<slug:action>/", assessments.assessment_action_view, name="assessment_action"
    ),
    path(a + "dagordning/", assessments.agenda_view, name="agenda"),
    path(a + "beslut/", decisions.decision_create_view, name="decision_create"),
    path(f + "insatser/", interventions.intervention_list_view, name="interventions"),
    path(i, interventions.intervention_detail_view, name="intervention_detail"),
    path(i + "avsluta/", interventions.intervention_end_view, name="intervention_end"),
    path(i + "andring/", interventions.intervention_change_view, name="intervention_change"),
    path(i + "personal/", interventions.intervention_staff_view, name="intervention_staff"),
    path(
        i + "mal/", interventions.intervention_goal_measures_view, name="intervention_goal_measures"
    ),
    path(
        i + "utbetalning/", requisitions.requisition_request_view, name="intervention_requisition"
    ),
    path(i + "utbetalningsplan/", requisitions.payment_plan_view, name="intervention_payment_plan"),
    path(m, cofinancing.co_financing_view, name="co_financing"),
    path(m + "ny/", cofinancing.co_financing_create_view, name="co_financing_create"),
    path(m + "<int:row>/", cofinancing.co_financing_edit_view, name="co_financing_edit"),
    path(
        m + "<int:row>/ta-bort/", cofinancing.co_financing_delete_view, name="co_financing_delete"
    ),
    path(
        i + "medel-per-ar.xlsx",
        interventions.intervention_years_xlsx_view,
        name="intervention_years_xlsx",
    ),
    path(
        i + "beviljade-medel.xlsx",
        interventions.intervention_grants_xlsx_view,
        name="intervention_grants_xlsx",
    ),
    path(
        i + "utbetalningar.xlsx",
        interventions.intervention_requisitions_xlsx_view,
        name="intervention_requisitions_xlsx",
    ),
    path(
        i + "beslut.xlsx",
        interventions.intervention_decisions_xlsx_view,
        name="intervention_decisions_xlsx",
    ),
    path(
        s + "ledamoter.xlsx", interventions.steering_members_xlsx_view, name="steering_members_xlsx"
    ),
    path(f + "rekvisitioner/", requisitions.requisition_list_view, name="requisitions"),
    path(
        f + "beslut/<int:pk>/beslutsmeddelande.pdf",
        decisions.decision_letter_pdf_view,
        name="decision_letter_pdf",
    ),
    path(
        f + "beslut/<int:pk>/beslutsmeddelande.docx",
        decisions.decision_letter_docx_view,
        name="decision_letter_docx",
    ),
    path(a + "bilagor/", attachments.attachment_upload_view, name="attachment_upload"),
    path(
        a + "bilagor/<int:attachment>/",
        attachments.attachment_download_view,
        name="attachment_download",
    ),
    path(
        a + "bilagor/<int:attachment>/ta-bort/",
        attachments.attachment_delete_view,
        name="attachment_delete",
    ),
    path(s + "ledamot/ny/", steering.steering_member_create_view, name="steering_member_create"),
    path(s + "andra/", steering.steering_group_edit_view, name="steering_group_edit"),
    path(
        s + "ledamot/<int:person>/", steering.steering_member_edit_view, name="steering_member_edit"
    ),
    path(
        s + "ledamot/<int:person>/ta-bort/",
        steering.steering_member_delete_view,
        name="steering_member_delete",
    ),
    path(s + "moten/ny/", steering.steering_meeting_create_view, name="steering_meeting_create"),
    path(
        s + "moten/<int:meeting>/",
        steering.steering_meeting_edit_view,
        name="steering_meeting_edit",
    ),
    path(
        s + "moten/<int:meeting>/ta-bort/",
        steering.steering_meeting_delete_view,
        name="steering_meeting_delete",
    ),
    path(
        s + "moten/<int:meeting>/protokoll/",
        steering.steering_minutes_download_view,
        name="steering_minutes_download",
    ),
    path(s + "moten.xlsx", steering.steering_meetings_xlsx_view, name="steering_meetings_xlsx"),
    path(
        f + "utbetalningar/<int:pk>/<slug:action>/",
        requisitions.requisition_action_view,
        name="requisition_action",
    ),
]
