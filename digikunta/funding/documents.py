"""The decision as a document: the same body as its page, printed to an accessible PDF.

The PDF is made once, by the worker that sends the decision e-mail, and kept with the decision
through Django's storage API: what was sent is what can be downloaded later. WeasyPrint prints
it as PDF/UA-1 (tagged, with the document's language and title), using the DejaVu fonts from
the system (docs/operations.md).
"""

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from digikunta.funding.models import Decision
from digikunta.funding.selectors import report_due_on

STYLESHEET = Path(__file__).with_name("decision.css")


def decision_context(decision: Decision) -> dict[str, Any]:
    application = decision.application
    return {
        "decision": decision,
        "application": application,
        "call": application.call,
        "instalments": list(application.instalments.all()),
        "report_due_on": report_due_on(application),
    }


def decision_body(decision: Decision) -> str:
    """The decision's text as HTML, in the decision's language whatever the reader's."""
    with translation.override(decision.language):
        return render_to_string("funding/includes/decision_body.html", decision_context(decision))


def decision_pdf(decision: Decision) -> bytes:
    # WeasyPrint takes about a second and 40 MB to load: only the worker and the rare download
    # of a document not yet made import it, never every web process.
    from weasyprint import CSS, HTML

    with translation.override(decision.language):
        html = render_to_string("funding/documents/decision.html", decision_context(decision))
    pdf: bytes = HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=STYLESHEET)], pdf_variant="pdf/ua-1"
    )
    return pdf


def decision_document(decision: Decision) -> Decision:
    """Make and keep the decision's PDF unless it is kept already."""
    if not decision.document:
        decision.document.save(decision.document_name, ContentFile(decision_pdf(decision)))
    return decision
