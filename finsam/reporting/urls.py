from django.urls import path

from finsam.reporting import views

app_name = "reporting"
f = "f/<slug:slug>/"
r = f + "rapporter/<int:pk>/"
urlpatterns = [
    path(f + "rapporter/", views.report_list_view, name="reports"),
    path(r, views.report_detail_view, name="report_detail"),
    path(r + "skriv/", views.report_edit_view, name="report_edit"),
    path(r + "granska/", views.report_review_view, name="report_review"),
    path(r + "genomford/", views.report_held_view, name="report_held"),
]
