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


def _weasyprint():
    """WeasyPrint's HTML and a URL fetcher that fetches nothing, imported on first use (it
    loads Pango, which only this needs).

    Importing WeasyPrint sets Pillow's process-wide `ImageFile.LOAD_TRUNCATED_IMAGES = True`,
    which would let truncated uploads through the portal's image cleaning
    (`geraportal.core.images`) in any process that once made a PDF; the flag is put back.
    """
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint.images  # noqa: F401 - the module that sets the flag, imported here
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    # The PDF is made from our own text only: no protocol allowed, so no file, host or image
    # is ever fetched (WeasyPrint leaves such images out with a warning).
    return HTML, URLFetcher(allowed_protocols=[])


def render_pdf(edition: StrategyEdition) -> bytes:
    with translation.override("de"):  # the German text is the binding one
        html = render_to_string(
            "strategy/edition_pdf.html", {"edition": edition, "sections": list(edition.sections.all())}
        )
    html_class, fetcher = _weasyprint()
    return html_class(string=html, url_fetcher=fetcher).write_pdf()


def weasyprint_installed() -> bool:
    """Whether WeasyPrint can be imported, without importing it (see `_weasyprint`)."""
    import importlib.util

    return importlib.util.find_spec("weasyprint") is not None


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
