from django.apps import AppConfig


class ProfileConfig(AppConfig):
    name = "csehub.profile"
    label = "problem_profile"
    verbose_name = "Problem profile"
