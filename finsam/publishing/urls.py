from django.urls import path

from finsam.publishing import views

app_name = "publishing"
f = "f/<slug:slug>/publicering/"
p = "publikt/<slug:slug>/"
urlpatterns = [
    # The office's pages (login, the office role).
    path(f, views.office_view, name="office"),
    path(f + "ny/", views.entry_create_view, name="entry_create"),
    path(f + "<int:pk>/", views.entry_detail_view, name="entry_detail"),
    path(f + "<int:pk>/andra/", views.entry_edit_view, name="entry_edit"),
    path(f + "<int:pk>/status/<str:to>/", views.entry_move_view, name="entry_move"),
    path(f + "<int:pk>/resultat/", views.entry_results_view, name="entry_results"),
    path(f + "installningar/", views.settings_view, name="settings"),
    path(f + "api-nycklar/", views.tokens_view, name="tokens"),
    path(f + "api-nycklar/<int:pk>/aterkalla/", views.token_revoke_view, name="token_revoke"),
    # The public pages (no login).
    path("publikt/", views.index_view, name="index"),
    path("publikt/sprak/<str:language>/", views.language_view, name="language"),
    path(p, views.catalogue_view, name="catalogue"),
    path(p + "insatser/<int:pk>/", views.entry_view, name="entry"),
    path(p + "beslut/", views.decisions_view, name="decisions"),
    path(p + "dokument/<int:pk>.pdf", views.document_pdf_view, name="document_pdf"),
    path(p + "oppna-data/", views.open_data_view, name="open_data"),
    path(p + "oppna-data/<slug:dataset>.csv", views.csv_view, name="csv"),
    path(
        p + "insatskatalogen.<str:fmt>",
        views.insatskatalogen_view,
        name="insatskatalogen",
    ),
]
