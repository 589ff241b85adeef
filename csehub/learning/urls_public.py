"""The public check of a certificate's code, outside /learning/ so its address stays short."""

from django.urls import path

from .views import certificates as certificate_views

app_name = "certificates"

urlpatterns = [
    path("verify/", certificate_views.certificate_verify, name="verify"),
]
