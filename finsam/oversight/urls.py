from django.urls import path

from finsam.oversight import views

app_name = "oversight"
urlpatterns = [
    path("f/<slug:slug>/logg/", views.audit_view, name="audit"),
]
