from django.urls import path

from finsam.core import views

app_name = "core"
urlpatterns = [
    path("f/<slug:slug>/logg/", views.audit_view, name="audit"),
]
