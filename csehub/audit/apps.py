from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "csehub.audit"
    label = "audit"
