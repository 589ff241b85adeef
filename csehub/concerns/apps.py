from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "csehub.concerns"
    label = "concerns"
    verbose_name = "Concerns and risk"

    def ready(self) -> None:
        # Concerns and assessments appear in each child's chronology.
        from . import chronology  # noqa: F401
