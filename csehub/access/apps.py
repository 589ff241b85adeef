from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "csehub.access"
    label = "access"
