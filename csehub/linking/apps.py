from django.apps import AppConfig


class LinkingConfig(AppConfig):
    name = "csehub.linking"
    label = "linking"
    verbose_name = "Linking"
