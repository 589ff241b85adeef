from django.apps import AppConfig


class MaceConfig(AppConfig):
    name = "csehub.mace"
    label = "mace"
    verbose_name = "MACE"

    def ready(self) -> None:
        # The panel's minutes about a child appear in the child's chronology, for members; the
        # reminders about actions and notices go out every morning from the job runner.
        from . import chronology, daily  # noqa: F401
