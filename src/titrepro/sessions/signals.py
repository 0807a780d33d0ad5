"""What the sessions tell the apps above them, which they cannot import (the layers: ``deliberation`` sits on
``sessions``). Sent inside the service's transaction: a receiver's writes commit or roll back with it."""

from django.dispatch import Signal

# A session was annulled by the authority: ``sender`` ExamSession, ``session``, ``user``, ``reason``.
session_annulled = Signal()
