from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "csehub.children"
    label = "children"
    verbose_name = "Children"
