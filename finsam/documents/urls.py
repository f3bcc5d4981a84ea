from django.urls import path

from finsam.documents import views

app_name = "documents"
f = "f/<slug:slug>/dokument/"
urlpatterns = [
    path(f, views.document_list_view, name="list"),
    path(f + "oppna/", views.document_open_view, name="open"),
    path(f + "logotyp/", views.logo_view, name="logo"),
    path(f + "<int:pk>/", views.document_detail_view, name="detail"),
    path(f + "<int:pk>/text/<slug:key>/", views.text_edit_view, name="text"),
    path(f + "<int:pk>/flagga/", views.flag_acknowledge_view, name="acknowledge"),
    path(f + "<int:pk>/generera/", views.generate_view, name="generate"),
    path(f + "<int:pk>/ladda-ner/<str:fmt>/", views.download_view, name="download"),
    path(f + "<int:pk>/faststall/", views.adopt_view, name="adopt"),
    path(f + "<int:pk>/ny-version/", views.new_version_view, name="new_version"),
    path(f + "<int:pk>/sammantrade/", views.adoption_meeting_view, name="adoption_meeting"),
    path(f + "jobb/<int:pk>/", views.job_view, name="job"),
]
