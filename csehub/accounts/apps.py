from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csehub.accounts"
    label = "accounts"
    verbose_name = "Accounts"
