from django.urls import path

from .views import agencies, pages, sign_in, users

app_name = "accounts"

urlpatterns = [
    path("", pages.home, name="home"),
    path("sign-in/", sign_in.sign_in, name="sign-in"),
    path("sign-in/code/", sign_in.sign_in_code, name="sign-in-code"),
    path("sign-in/set-up-authenticator/", sign_in.mfa_setup, name="mfa-setup"),
    path("sign-out/", sign_in.sign_out, name="sign-out"),
    path("account/set-password/<uidb64>/<token>/", sign_in.set_password, name="set-password"),
    # Partnership administration. The first path segment marks the navigation item.
    path("agencies/", agencies.agency_list, name="agency-list"),
    path("agencies/new/", agencies.agency_create, name="agency-create"),
    path("agencies/<int:pk>/", agencies.agency_edit, name="agency-edit"),
    path("users/", users.user_list, name="user-list"),
    path("users/new/", users.user_create, name="user-create"),
    path("users/<int:pk>/", users.user_edit, name="user-edit"),
    path("users/<int:pk>/reset-authenticator/", users.user_reset_mfa, name="user-reset-mfa"),
    path(
        "users/<int:pk>/send-password-link/",
        users.user_send_password_link,
        name="user-send-password-link",
    ),
]
