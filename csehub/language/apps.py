from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "csehub.language"
    label = "language"
    verbose_name = "Language guidance"
