from django.urls import path

from finsam.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("f/<slug:slug>/", views.home_view, name="home"),
]
