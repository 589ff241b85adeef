from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "csehub.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines and reminders"
