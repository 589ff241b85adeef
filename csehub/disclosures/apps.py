from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "csehub.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures"

    def ready(self) -> None:
        # Disclosures and their addenda appear in each child's chronology.
        from . import chronology  # noqa: F401
