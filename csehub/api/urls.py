from django.urls import path

from . import views
from .v1 import api

app_name = "api"

urlpatterns = [
    path("api-tokens/", views.token_list, name="tokens"),
    path("api-tokens/new/", views.token_create, name="token-create"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path(
        "api-tokens/partner-systems/new/", views.partner_system_create, name="partner-system-create"
    ),
    path(
        "api-tokens/partner-systems/<int:pk>/tokens/new/",
        views.partner_system_token_create,
        name="partner-system-token-create",
    ),
]

api_urlpatterns = [path("api/v1/", api.urls)]
