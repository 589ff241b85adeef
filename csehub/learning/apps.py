from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "csehub.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        # Refresher reminders go out every morning from the job runner (deadlines.daily).
        from . import daily  # noqa: F401
