from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "accounts"
urlpatterns = [
    # allauth's login (with its second-factor stage) at Finsam's Swedish address.
    path("logga-in/", allauth_views.LoginView.as_view(), name="login"),
    # Logging out only by POST (a link or an image cannot end someone's session).
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
]
