from django.urls import path

from finsam.organisation import people_views, views

app_name = "organisation"
f = "f/<slug:slug>/"
urlpatterns = [
    path("", views.pick_view, name="pick"),
    path("byt/", views.switch_view, name="switch"),
    path(f + "forbundet/", views.detail_view, name="detail"),
    path(f + "forbundet/andra/", views.edit_view, name="edit"),
    path(f + "medlemmar/", views.members_view, name="members"),
    path(f + "medlemmar/ny/", views.member_create_view, name="member_create"),
    path(f + "medlemmar/<int:pk>/", views.member_edit_view, name="member_edit"),
    path(f + "medlemmar/<int:pk>/ta-bort/", views.member_delete_view, name="member_delete"),
    path(f + "medlemsavgifter/", views.contributions_view, name="contributions"),
    path(f + "medlemsavgifter/nytt-ar/", views.contribution_edit_view, name="contribution_create"),
    path(
        f + "medlemsavgifter/framskrivning/",
        views.contribution_project_view,
        name="contribution_project",
    ),
    path(f + "medlemsavgifter/<int:year>/", views.contribution_edit_view, name="contribution_edit"),
    path(f + "styrelse/", views.board_view, name="board"),
    path(f + "styrelse/ny/", views.board_seat_create_view, name="board_seat_create"),
    path(f + "styrelse/<int:pk>/", views.board_seat_edit_view, name="board_seat_edit"),
    path(f + "styrelse/<int:pk>/ta-bort/", views.board_seat_delete_view, name="board_seat_delete"),
    path(f + "sammantraden/", views.meetings_view, name="meetings"),
    path(f + "sammantraden/nytt/", views.meeting_create_view, name="meeting_create"),
    path(f + "sammantraden/<int:year>.ics", views.meetings_ics_view, name="meetings_ics"),
    path(f + "sammantraden/<int:year>/utskrift/", views.meetings_print_view, name="meetings_print"),
    path(f + "sammantraden/m/<int:pk>/", views.meeting_detail_view, name="meeting_detail"),
    path(f + "sammantraden/m/<int:pk>/andra/", views.meeting_edit_view, name="meeting_edit"),
    path(f + "sammantraden/m/<int:pk>/ta-bort/", views.meeting_delete_view, name="meeting_delete"),
    path(
        f + "sammantraden/m/<int:pk>/arenden/",
        views.agenda_item_create_view,
        name="agenda_item_create",
    ),
    path(
        f + "sammantraden/m/<int:pk>/arenden/<int:item_pk>/ta-bort/",
        views.agenda_item_delete_view,
        name="agenda_item_delete",
    ),
    path(f + "arshjul/", views.cycle_view, name="cycle"),
    path(f + "arshjul/ny/", views.cycle_item_create_view, name="cycle_item_create"),
    path(f + "arshjul/<int:pk>/", views.cycle_item_edit_view, name="cycle_item_edit"),
    path(f + "arshjul/<int:pk>/ta-bort/", views.cycle_item_delete_view, name="cycle_item_delete"),
    # People and roles (the office), who reads participant data (the data-protection contact).
    path(f + "personer/", people_views.people_view, name="people"),
    path(f + "personer/<int:pk>/roll/", people_views.grant_view, name="person_grant"),
    path(
        f + "personer/<int:pk>/inaktivera/", people_views.deactivate_view, name="person_deactivate"
    ),
    path(
        f + "personer/behorighet/<int:pk>/ta-bort/",
        people_views.revoke_view,
        name="membership_revoke",
    ),
    path(
        f + "personer/tvastegsverifiering/",
        people_views.second_factor_setting_view,
        name="second_factor_setting",
    ),
    path(f + "personer/lasbehorighet/", people_views.readers_view, name="readers"),
    # Onboarding: the installation administrator's pages and the invitee's one-time link.
    path("installation/", people_views.installation_view, name="installation"),
    path(
        "installation/nytt-forbund/",
        people_views.association_create_view,
        name="association_create",
    ),
    path("inbjudan/<str:token>/", people_views.invitation_view, name="invitation"),
]
