from django.urls import path

from finsam.indicators import views

app_name = "indicators"
f = "f/<slug:slug>/indikatorer/"
c = f + "kampanj/"
urlpatterns = [
    path(f, views.overview_view, name="overview"),
    path(f + "resultat/<int:year>/", views.results_view, name="results"),
    path(f + "resultat/<int:year>/export.xlsx", views.results_xlsx_view, name="results_xlsx"),
    path(f + "instrument/<int:pk>/", views.instrument_detail_view, name="instrument_detail"),
    path(
        f + "instrument/<int:pk>/ny-version/",
        views.instrument_new_version_view,
        name="instrument_new_version",
    ),
    path(f + "pastaende/<int:pk>/andra/", views.item_edit_view, name="item_edit"),
    path(c + "ny/", views.campaign_create_view, name="campaign_create"),
    path(c + "<int:pk>/", views.campaign_detail_view, name="campaign_detail"),
    path(c + "<int:pk>/lankar/", views.campaign_links_view, name="campaign_links"),
    path(
        c + "<int:pk>/pappersenkater/", views.campaign_paper_forms_view, name="campaign_paper_forms"
    ),
    path(c + "<int:pk>/pappersvar/", views.paper_entry_view, name="paper_entry"),
]
# The public answer page: no association in the address, no login.
public_urlpatterns = [path("enkat/<str:token>/", views.answer_view, name="answer")]
urlpatterns += public_urlpatterns
