"""The edition's PDF, generated from its text with WeasyPrint (in a Celery task).

WeasyPrint needs Pango from the operating system (Debian: libpango-1.0-0, libpangoft2-1.0-0).
Where it is missing the portal still runs: generation records a readable error for the
staff page, and the team can upload a PDF instead.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import StrategyEdition

log = logging.getLogger(__name__)


def render_pdf(edition: StrategyEdition) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only this needs

    with translation.override("de"):  # the German text is the binding one
        html = render_to_string(
            "strategy/edition_pdf.html", {"edition": edition, "sections": list(edition.sections.all())}
        )
    return HTML(string=html).write_pdf()


def edition_generate_pdf(*, edition_id: int) -> bool:
    """Generate and store the PDF; idempotent (a second run just writes it again)."""
    edition = StrategyEdition.objects.filter(pk=edition_id).first()
    if edition is None:
        return False
    try:
        data = render_pdf(edition)
    except Exception as error:  # noqa: BLE001 - any failure is shown to staff, never raised to a request
        log.exception("strategy PDF %s failed", edition.year)
        StrategyEdition.objects.filter(pk=edition_id).update(
            pdf_requested_at=None, pdf_error=f"{type(error).__name__}: {error}"[:300]
        )
        return False
    with transaction.atomic():
        edition = StrategyEdition.objects.select_for_update().get(pk=edition_id)
        old = edition.pdf.name if edition.pdf else ""
        edition.pdf.save(f"{edition.year}.pdf", ContentFile(data), save=False)
        edition.pdf_requested_at = None
        edition.pdf_error = ""
        edition.save(update_fields=["pdf", "pdf_requested_at", "pdf_error"])
    if old:
        edition.pdf.storage.delete(old)
    return True
