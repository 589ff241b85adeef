from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The versioned JSON API for partner systems, and the tokens that open it."""

    name = "csehub.api"
    label = "api"
