from django.apps import AppConfig


class MaceConfig(AppConfig):
    name = "csehub.mace"
    label = "mace"
    verbose_name = "MACE"
