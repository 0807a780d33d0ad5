from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "titrepro.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from titrepro.accounts.signals import revoke_tokens_of_disabled_account

        post_save.connect(
            revoke_tokens_of_disabled_account, sender=get_user_model(), dispatch_uid="titrepro_revoke_tokens"
        )
