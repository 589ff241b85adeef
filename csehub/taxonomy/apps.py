from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "csehub.taxonomy"
    label = "taxonomy"
