from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "csehub.pathways"
    label = "pathways"
    verbose_name = "Pathways and contacts"
