from django.urls import path

from . import views

app_name = "language"

urlpatterns = [
    path("", views.report, name="report"),
    path("try/", views.try_checker, name="try"),
    path("check/", views.check, name="check"),
]
