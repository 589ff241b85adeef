from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("to-my-team/", views.team_list, name="team"),
    path("made/", views.made_list, name="made"),
    path("new/<int:concern_pk>/", views.referral_create, name="create"),
    path("ask-lead/<int:concern_pk>/", views.referral_request, name="request"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/receive/", views.referral_receive, name="receive"),
    path("<int:pk>/screen/", views.referral_screen, name="screen"),
    path("<int:pk>/outcome/", views.referral_outcome, name="outcome"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
]
