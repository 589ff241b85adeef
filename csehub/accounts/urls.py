from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-in/set-up-authenticator/", views.mfa_setup, name="mfa-setup"),
    path("sign-out/", views.sign_out, name="sign-out"),
]
