from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    """The register of issued documents, the authorities' signing keys, issuance and verification."""

    name = "titrepro.credentials"
    label = "credentials"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from titrepro.credentials import services
        from titrepro.credentials.workspace import register_all
        from titrepro.deliberation import signals

        register_all()
        signals.documents_queued.connect(services.documents_queued, dispatch_uid="credentials.documents_queued")
        signals.issued_documents_revoked.connect(services.issued_revoked, dispatch_uid="credentials.issued_revoked")
