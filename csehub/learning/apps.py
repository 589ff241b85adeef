from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "csehub.learning"
    label = "learning"
    verbose_name = "Learning"
