"""What the deliberation tells the apps above it, which it cannot import (the layers: ``credentials`` sits on
``deliberation``). Sent inside the service's transaction: a receiver's writes commit or roll back with it, and
what it queues for the worker waits for the commit (``transaction.on_commit``)."""

from django.dispatch import Signal

# "To be issued" entries were queued for a validated PV (its validation, or an appeal's corrective PV):
# ``sender`` Minutes, ``minutes``.
documents_queued = Signal()

# Documents already issued no longer stand: ``sender`` DocumentToIssue, ``entries`` (the ids of the entries they
# were issued for), ``status`` "withdrawn" (fraud found after the results, R-80; an appeal upheld, R-82) or
# "annulled" (the session annulled, R-81), ``reason``, ``on`` (the day), ``user``.
issued_documents_revoked = Signal()
