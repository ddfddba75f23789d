"""The certificate PDF: pure rendering, no database.

A batch of certificates is laid out as one WeasyPrint document per look (language, accent colour,
background; ``render()`` once) and each page is written to its own file with
``document.copy([page]).write_pdf()``: each file carries only its own page, fonts subset and
metadata, never another learner's name or URL (splitting one batch PDF afterwards would). The
stylesheets and the font configuration are built once per process.

What makes a batch cheaper than lone renders (docs/benchmarks.md, "Certificates"): WeasyPrint
shares one computed style between elements with the same parent style, the same rules and no
``style`` attribute, so the certificate's markup carries no ``style`` or ``lang`` attribute (the
look's colour and background come from a small stylesheet, the language from ``<html lang>``) and
every certificate after the first in a document reuses the first one's styles. Beside that: a
user-agent stylesheet of the few rules these elements need, Saylau Sans (DejaVu Sans cut down to
the scripts a certificate prints: certificates/fonts/build_saylau_sans.py) and a QR image of one
pixel per module, drawn without smoothing. Measured figures: docs/benchmarks.md.
"""

import base64
import functools
import gc
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

import segno
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

APP_DIR = Path(__file__).resolve().parent
FONTS_DIR = APP_DIR / "fonts"
TEMPLATES_DIR = APP_DIR / "templates" / "certificates" / "pdf"
# A fixed mask: the same URL always gives the same code, and the mask search costs nothing.
QR_MASK = 4
QR_BORDER = 2  # modules of white around the code
QR_SCALE = 4  # pixels per module
DEFAULT_ACCENT_COLOUR = "#1f4e79"
ACCENT_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


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
    accent_colour: str = DEFAULT_ACCENT_COLOUR
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


@functools.cache
def _user_agent_stylesheet() -> CSS:
    return CSS(filename=TEMPLATES_DIR / "user-agent.css")


def _css_string(text: str) -> str:
    return '"' + re.sub(r'["\\\n\r\f]', lambda m: f"\\{ord(m.group()):x} ", text) + '"'


@functools.lru_cache(maxsize=64)
def _look_stylesheet(accent_colour: str, background_url: str) -> CSS:
    """What a certificate template prints alike on each of its certificates: the accent colour
    of the frame and title, and the background image."""
    if not ACCENT_COLOUR.fullmatch(accent_colour):
        accent_colour = DEFAULT_ACCENT_COLOUR
    css = (
        f".certificate__frame {{ border-color: {accent_colour} }}\n"
        f".certificate__title {{ color: {accent_colour} }}\n"
    )
    if background_url:
        css += f".certificate {{ background-image: url({_css_string(background_url)}) }}\n"
    return CSS(string=css, url_fetcher=_fetcher(), font_config=_font_config())


class CertificateHTML(HTML):
    """A certificate's HTML, styled with a user-agent stylesheet of the few rules its elements
    need (templates/certificates/pdf/user-agent.css) instead of WeasyPrint's whole HTML one:
    matching every element against that sheet cost about a tenth of a render."""

    def _ua_stylesheets(self, forms=False):
        return [_user_agent_stylesheet()]


def qr_data_uri(url: str) -> str:
    """The verification URL as a QR code: an 8-bit grey PNG of 4×4 pixels per module. WeasyPrint
    embeds that kind of PNG as it is, while segno's own 1-bit PNG would be converted to RGB and
    compressed twice per certificate."""
    code = segno.make_qr(url, error="m", mask=QR_MASK)
    size = code.symbol_size(scale=1, border=QR_BORDER)[0]
    modules = bytes(
        0 if dark else 255 for row in code.matrix_iter(scale=1, border=QR_BORDER) for dark in row
    )
    image = Image.frombytes("L", (size, size), modules)
    image = image.resize((size * QR_SCALE, size * QR_SCALE), Image.Resampling.NEAREST)
    png = io.BytesIO()
    image.save(png, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


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


def _look(item: CertificatePrint) -> tuple[str, str, str]:
    return (item.language, item.accent_colour, item.background_url)


def _render_alike(items: Sequence[CertificatePrint], fetcher: URLFetcher | None) -> list[bytes]:
    """One PDF per item, for items of one look, laid out as one document."""
    document = CertificateHTML(
        string=_html(items),
        base_url=TEMPLATES_DIR.as_uri() + "/",
        url_fetcher=fetcher or _fetcher(),
    ).render(
        font_config=_font_config(),
        stylesheets=[
            _stylesheet(),
            _look_stylesheet(items[0].accent_colour, items[0].background_url),
        ],
        pdf_tags=True,
    )
    if len(document.pages) != len(items):
        raise RenderError(
            f"{len(items)} certificates laid out on {len(document.pages)} pages: "
            "a text is too long for one page."
        )
    return [document.copy([page]).write_pdf(pdf_tags=True) for page in document.pages]


def render_certificates(
    items: Sequence[CertificatePrint], *, fetcher: URLFetcher | None = None
) -> list[bytes]:
    """One PDF per item, in the order given. Items of the same look (language, colour,
    background) are rendered together as one document, so that they share its styles."""
    looks: dict[tuple[str, str, str], list[int]] = {}
    for index, item in enumerate(items):
        looks.setdefault(_look(item), []).append(index)
    pdfs: list[bytes] = [b""] * len(items)
    # Laying out a page allocates millions of short-lived objects, and the cyclic garbage
    # collector would scan them again and again (a tenth of the time): it waits until the batch
    # is written, then collects as usual.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for indexes in looks.values():
            rendered = _render_alike([items[i] for i in indexes], fetcher)
            for index, content in zip(indexes, rendered, strict=True):
                pdfs[index] = content
    finally:
        if collecting:
            gc.enable()
    return pdfs


def render_certificate(item: CertificatePrint) -> bytes:
    return render_certificates([item])[0]
