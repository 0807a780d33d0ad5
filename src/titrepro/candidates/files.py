"""Serving a stored portfolio: only ever as a PDF attachment, behind the caller's scope check (issue 11, item 11).

The jury's and the authority's pages (next issues) call ``portfolio_response`` after
``ensure_in(<their scoped queryset>, portfolio)``; nothing serves the media folder.
"""

from __future__ import annotations

from django.http import FileResponse

from titrepro.candidates.models import ProfessionalPortfolio


def portfolio_response(portfolio: ProfessionalPortfolio) -> FileResponse:
    name = f"dossier-professionnel-{portfolio.candidate_id}-{portfolio.title.code}.pdf"
    response = FileResponse(
        portfolio.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
