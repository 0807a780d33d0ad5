"""The register of issued documents (R-73): each parchemin, livret de certification, CCS certificate or provisional
attestation de réussite issued from validated minutes, with its verification code, what it certifies (exactly
what it prints), where it comes from, the SHA-256 of the signed PDF, and its status; and each consultation of it
by the public verification."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from titrepro.credentials.codes import grouped


class Kind(models.TextChoices):
    ATTESTATION = "attestation", _("Attestation de réussite")  # provisional: superseded by the document below
    PARCHEMIN = "parchemin", _("Parchemin")
    LIVRET = "livret", _("Livret de certification")
    CCS = "ccs", _("CCS certificate")


class Status(models.TextChoices):
    VALID = "valid", _("Valid")
    # a later livret, the parchemin of the title completed; an attestation, by the document it stood for
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")  # after fraud or an appeal
    ANNULLED = "annulled", _("Annulled with the session")


def document_path(instance: IssuedDocument, filename: str) -> str:
    """Under the private media folder (nothing serves it directly), by month of issue."""
    today = timezone.now()
    return f"documents/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.pdf"


class IssuedDocument(models.Model):
    """One document issued, as the register keeps it.

    ``data`` is what the document prints, and only that (the verification page shows nothing else); the
    access route (VAE, training, apprenticeship) is never in it. ``source`` is the "to be issued" entry of the
    validated PV it was issued for: one original per entry, so issuing twice creates nothing the second time; a
    duplicata points to its original (``duplicate_of``) and has no source of its own."""

    code = models.CharField(_("verification code"), max_length=28, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source = models.ForeignKey(
        "deliberation.DocumentToIssue", on_delete=models.PROTECT, null=True, blank=True, related_name="issued"
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    holder = models.ForeignKey("candidates.Candidate", on_delete=models.PROTECT, related_name="documents")
    registration = models.ForeignKey("exam_sessions.Registration", on_delete=models.PROTECT, related_name="+")
    minutes = models.ForeignKey("deliberation.Minutes", on_delete=models.PROTECT, related_name="+")
    title = models.ForeignKey("catalogue.Title", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("catalogue.TitleVersion", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT, related_name="documents")
    data = models.JSONField(_("what the document prints"))
    pdf = models.FileField(_("signed PDF"), upload_to=document_path)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("superseded by")
    )
    notified_at = models.DateTimeField(_("sent to the holder at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "pk"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=Q(duplicate_of=None), name="issued_document_one_original_per_entry"
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of=None, source__isnull=False) | Q(duplicate_of__isnull=False, source=None),
                name="issued_document_original_or_duplicate",
            ),
        ]
        indexes = [models.Index(fields=["holder", "title", "status"], name="issued_document_holder_title")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.printed_code}"

    @property
    def printed_code(self) -> str:
        return grouped(self.code)


class Consultation(models.Model):
    """One look at a document through the public verification (by its code, its QR code or an upload of the
    file): the holder sees how many times and when their document was verified, never by whom."""

    class Channel(models.TextChoices):
        CODE = "code", _("code or QR code")
        UPLOAD = "upload", _("file uploaded")
        COMMAND = "command", _("command line")

    document = models.ForeignKey(IssuedDocument, on_delete=models.CASCADE, related_name="consultations")
    at = models.DateTimeField(_("at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)

    class Meta:
        ordering = ["-at", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["document", "at"], name="consultation_document_at")]

    def __str__(self) -> str:
        return f"{self.document} — {self.at:%Y-%m-%d %H:%M}"


class BadgeKind(models.TextChoices):
    TITLE = "title", _("Titre professionnel")
    CCP = "ccp", _("Certificate of professional competence (CCP)")
    CCS = "ccs", _("Certificate of specialisation (CCS)")


STATUS_LIST_BITS = 131_072  # the Bitstring Status List's minimum: a list does not tell how many were issued
STATUS_LIST_BYTES = STATUS_LIST_BITS // 8


class StatusList(models.Model):
    """One Bitstring Status List of an authority (revocation): bit ``i`` set means the credential at index ``i``
    is revoked. Its credential (``BitstringStatusListCredential``) is signed when it is served."""

    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT, related_name="status_lists")
    number = models.PositiveIntegerField(_("number"))
    bits = models.BinaryField(_("bits"), default=bytes(STATUS_LIST_BYTES))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["authority", "number"]
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        constraints = [models.UniqueConstraint(fields=["authority", "number"], name="status_list_number_once")]

    def __str__(self) -> str:
        return f"{self.authority} — {self.number}"

    def revoked(self, index: int) -> bool:
        """Bit ``index``, the most significant bit of byte 0 first (Bitstring Status List)."""
        return bool(bytes(self.bits)[index // 8] & (0x80 >> (index % 8)))


class Badge(models.Model):
    """One Open Badges 3.0 credential (an ``OpenBadgeCredential``, W3C VC 2.0) of a title, a CCS or a CCP
    obtained (``holding``: one badge per holding), issued with the first PDF document that proves it
    (``document``) and signed by the same authority (eddsa-rdfc-2022). ``credential`` is the signed JSON as
    issued; its ``id`` is its public verification URL, which holds ``code``: nobody finds it without the code.
    Revoked (its bit of the status list set) when the holding is withdrawn (fraud, an appeal, an annulled
    session)."""

    code = models.CharField(_("verification code"), max_length=28, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=5, choices=BadgeKind.choices)
    document = models.ForeignKey(IssuedDocument, on_delete=models.PROTECT, related_name="badges")
    holding = models.OneToOneField("candidates.Holding", on_delete=models.PROTECT, related_name="badge")
    holder = models.ForeignKey("candidates.Candidate", on_delete=models.PROTECT, related_name="badges")
    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT, related_name="badges")
    version = models.ForeignKey("catalogue.TitleVersion", on_delete=models.PROTECT, related_name="+")
    ccp = models.ForeignKey("catalogue.CCP", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ccs = models.ForeignKey("catalogue.CCS", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    credential = models.JSONField(_("signed credential"))
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="badges")
    status_index = models.PositiveIntegerField(_("index in the status list"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for the revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at", "pk"]
        verbose_name = _("digital badge")
        verbose_name_plural = _("digital badges")
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"], name="badge_one_index_each"),
            models.CheckConstraint(
                condition=Q(kind="title", ccp=None, ccs=None)
                | Q(kind="ccp", ccp__isnull=False, ccs=None)
                | Q(kind="ccs", ccp=None, ccs__isnull=False),
                name="badge_kind_names_its_part",
            ),
        ]
        indexes = [models.Index(fields=["holder", "kind"], name="badge_holder_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.printed_code}"

    @property
    def printed_code(self) -> str:
        return grouped(self.code)
