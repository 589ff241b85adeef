from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: serving it, and the fictional demo partnership."""

    name = "csehub.operations"
    label = "operations"
