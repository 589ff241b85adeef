from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "csehub.missing"
    label = "missing"
    verbose_name = "Missing episodes"

    def ready(self) -> None:
        # Episodes appear in the chronology and on the child's page, and the risk tool counts them.
        from . import chronology, recorded, sections  # noqa: F401
