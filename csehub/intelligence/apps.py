from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "csehub.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence"
