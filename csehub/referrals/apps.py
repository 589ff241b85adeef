from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "csehub.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # Referrals and their decisions appear in each child's chronology, and a team sees the
        # children in referrals sent to it.
        from . import chronology, scopes, sections  # noqa: F401
