"""The certificate PDF: pure rendering, no database.

A batch of certificates is laid out as ONE WeasyPrint document (``render()`` once) and each page
is written to its own file with ``document.copy([page]).write_pdf()``: each file carries only its
own page, fonts subset and metadata, never another learner's name or URL (splitting one batch PDF
afterwards would). The stylesheet and the font configuration are built once per process.
Measured figures: /work/shared/notes/certificate-rendering.md and docs/benchmarks.md.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

import segno
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

APP_DIR = Path(__file__).resolve().parent
FONTS_DIR = APP_DIR / "fonts"
TEMPLATES_DIR = APP_DIR / "templates" / "certificates" / "pdf"
# A fixed mask: the same URL always gives the same code, and the mask search costs nothing.
QR_MASK = 4


class RenderError(Exception):
    """A certificate could not be rendered."""


@dataclass(frozen=True)
class Signatory:
    name: str
    post: str
    signature_url: str = ""  # a file:// URL of the image, or ""


@dataclass(frozen=True)
class CertificatePrint:
    """Everything printed on one certificate."""

    language: str
    number: str
    title: str
    body: str
    holder_name: str
    course_title: str
    event_name: str
    issued_on: date
    expires_on: date
    verify_url: str
    accent_colour: str = "#1f4e79"
    orientation: str = "landscape"
    logo_url: str = ""
    background_url: str = ""
    signatories: Sequence[Signatory] = field(default_factory=tuple)


def allowed_roots() -> tuple[Path, ...]:
    """The folders the renderer may read: its fonts and templates, static and media files."""
    roots = [FONTS_DIR, TEMPLATES_DIR, Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
    roots += [Path(folder) for folder in getattr(settings, "STATICFILES_DIRS", [])]
    return tuple(root.resolve() for root in roots)


class LocalFilesFetcher(URLFetcher):
    """Reads only ``data:`` URIs and local files under ``allowed_roots()``; refuses the network
    and every other file, so a template can never make the server fetch anything else."""

    def __init__(self, roots: Sequence[Path] | None = None):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = tuple(roots) if roots is not None else allowed_roots()

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Refused to read a file outside the allowed folders: {url}")
        elif scheme != "data":
            raise ValueError(f"Refused to fetch a URL from the network: {url[:80]}")
        return super().fetch(url, headers)


@functools.cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _fetcher() -> LocalFilesFetcher:
    return LocalFilesFetcher()


@functools.cache
def _stylesheet() -> CSS:
    css = (TEMPLATES_DIR / "certificate.css").read_text(encoding="utf-8")
    css = css.replace("FONTS_URL", FONTS_DIR.as_uri())
    return CSS(
        string=css,
        base_url=TEMPLATES_DIR.as_uri() + "/",
        url_fetcher=_fetcher(),
        font_config=_font_config(),
    )


def qr_data_uri(url: str) -> str:
    """The verification URL as a small PNG QR code."""
    return segno.make_qr(url, error="m", mask=QR_MASK).png_data_uri(scale=4, border=2)


def _html(items: Sequence[CertificatePrint]) -> str:
    pages = []
    for item in items:
        with translation.override(item.language):
            pages.append(
                render_to_string(
                    "certificates/pdf/certificate.html",
                    {"item": item, "qr": qr_data_uri(item.verify_url)},
                )
            )
    return render_to_string(
        "certificates/pdf/batch.html", {"pages": pages, "language": items[0].language}
    )


def render_certificates(
    items: Sequence[CertificatePrint], *, fetcher: URLFetcher | None = None
) -> list[bytes]:
    """One PDF per item, rendered together as one document; in the order given."""
    if not items:
        return []
    document = HTML(
        string=_html(items),
        base_url=TEMPLATES_DIR.as_uri() + "/",
        url_fetcher=fetcher or _fetcher(),
    ).render(font_config=_font_config(), stylesheets=[_stylesheet()], pdf_tags=True)
    if len(document.pages) != len(items):
        raise RenderError(
            f"{len(items)} certificates laid out on {len(document.pages)} pages: "
            "a text is too long for one page."
        )
    return [document.copy([page]).write_pdf(pdf_tags=True) for page in document.pages]


def render_certificate(item: CertificatePrint) -> bytes:
    return render_certificates([item])[0]
