"""The PDF itself: Kazakh text that extracts, the number and dates, a QR code that decodes to the
verify page, nothing of another learner in a batch, each file in its own language and colour, the
font that covers what certificates print, and no fetch outside the allowed folders."""

import re
import subprocess
import threading
import zlib
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from certificates.pdf import (
    CertificatePrint,
    LocalFilesFetcher,
    Signatory,
    render_certificate,
    render_certificates,
)

from .conftest import KAZAKH_NAME, pdf_qr_codes, pdf_text


def item(n: int = 1, **fields) -> CertificatePrint:
    values = {
        "language": "kk",
        "number": f"KZ-2026-{n:06d}",
        "title": "Сертификат",
        "body": "«Учаскені ашу» курсын аяқтады.",
        "holder_name": f"{KAZAKH_NAME} {n}",
        "course_title": "Учаскені ашу",
        "event_name": "Республикалық референдум",
        "issued_on": date(2026, 3, 1),
        "expires_on": date(2026, 4, 14),
        "verify_url": f"http://testserver/certificates/verify/code-{n:04d}/",
        "signatories": (Signatory("Нұрлан Әбдіров", "Төраға"),),
    }
    return CertificatePrint(**{**values, **fields})


def test_pdf_holds_the_kazakh_name_the_number_and_the_dates_as_text():
    text = pdf_text(render_certificate(item(123)))
    assert f"{KAZAKH_NAME} 123" in text.replace("\n", " ")
    for letter in "әғқңөұүһі":
        assert letter in text and letter in KAZAKH_NAME
    assert "KZ-2026-000123" in text
    assert "01.03.2026" in text and "14.04.2026" in text


def test_pdf_is_one_tagged_a4_page_with_the_fonts_embedded(tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(render_certificate(item(orientation="portrait")))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Pages: +1$", info, re.M), info
    assert re.search(r"^Tagged: +yes$", info, re.M), info
    assert "595.276 x 841.89" in info or "595 x 842" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout
    rows = fonts.decode().splitlines()[2:]
    assert rows and all("Certificate-Sans" in row for row in rows)
    # pdffonts' "emb" column: every font is embedded (a subset of it).
    assert all(row.split()[-5] == "yes" for row in rows), fonts.decode()


def test_qr_code_decodes_to_the_verification_url(tmp_path):
    url = "http://testserver/certificates/verify/AbC-123_xyz/"
    assert pdf_qr_codes(render_certificate(item(verify_url=url)), tmp_path) == [url]


def test_each_file_of_a_batch_holds_only_its_own_learner(tmp_path):
    items = [item(n, language=language) for n, language in enumerate(["kk", "ru", "en"], 1)]
    pdfs = render_certificates(items)
    assert len(pdfs) == 3
    for own, data in zip(items, pdfs, strict=True):
        text = pdf_text(data)
        assert own.number in text and own.holder_name in text.replace("\n", " ")
        assert pdf_qr_codes(data, tmp_path) == [own.verify_url]
        for other in items:
            if other is own:
                continue
            assert other.number not in text
            assert other.holder_name not in text.replace("\n", " ")
            assert other.verify_url.encode() not in data
            assert other.verify_url.rsplit("/", 2)[-2] not in text


def test_labels_follow_the_certificates_language():
    russian, english = render_certificates([item(1, language="ru"), item(2, language="en")])
    assert "Certificate number" in pdf_text(english)
    assert "Certificate number" not in pdf_text(russian)


def pdf_languages(data: bytes) -> list[str]:
    """The /Lang entries of the PDF, looked for in its compressed streams too."""
    found = re.findall(rb"/Lang ?\(([^)]*)\)", data)
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            found += re.findall(rb"/Lang ?\(([^)]*)\)", zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return [language.decode() for language in found]


def test_a_batch_of_several_looks_keeps_its_order_and_each_file_its_own_language():
    items = [
        item(1, language="kk"),
        item(2, language="ru"),
        item(3, language="kk", accent_colour="#7a1f1f"),
        item(4, language="en"),
        item(5, language="kk"),
    ]
    pdfs = render_certificates(items)
    for own, data in zip(items, pdfs, strict=True):
        assert own.number in pdf_text(data)
        assert pdf_languages(data) == [own.language]


def pixel(data: bytes, tmp_path, x: float, y: float) -> tuple[int, int, int]:
    """The colour at (x, y), in fractions of the page's width and height, drawn at 50 dpi."""
    from PIL import Image

    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-singlefile", pdf, tmp_path / "page"], check=True
    )
    with Image.open(tmp_path / "page.png") as page:
        page = page.convert("RGB")
        return page.getpixel((round(x * (page.width - 1)), round(y * (page.height - 1))))


def test_the_templates_accent_colour_draws_the_frame(tmp_path):
    red = render_certificate(item(accent_colour="#7a1f1f"))
    # The frame's left border, halfway down a landscape page (12 mm margin, 2.5 mm wide).
    assert pixel(red, tmp_path, 13.2 / 297, 0.5) == (0x7A, 0x1F, 0x1F)
    assert pixel(render_certificate(item()), tmp_path, 13.2 / 297, 0.5) == (0x1F, 0x4E, 0x79)


def test_saylau_sans_prints_every_kazakh_russian_and_latin_letter_and_the_usual_signs():
    from fontTools.ttLib import TTFont

    from certificates.pdf import FONTS_DIR

    kazakh = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
    latin = "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜĞŞŪÑİIÇ"
    signs = "0123456789№₸«»„“”‘’—–…·×°%€$₽§©"
    for name in ("SaylauSans.ttf", "SaylauSans-Bold.ttf"):
        font = TTFont(FONTS_DIR / name)
        cmap = font.getBestCmap()
        missing = [
            letter
            for letter in kazakh + kazakh.lower() + latin + latin.lower() + signs
            if ord(letter) not in cmap
        ]
        assert missing == [], name
        # A modified Bitstream Vera font must not carry the Bitstream, Vera or Arev names.
        assert font["name"].getDebugName(1) == "Saylau Sans"
        for record in font["name"].names:
            if record.nameID in (1, 3, 4, 6, 16):
                assert not re.search(r"Bitstream|Vera|Arev|DejaVu", record.toUnicode()), record


def test_every_kazakh_letter_prints_in_saylau_sans_and_extracts_as_text(tmp_path):
    letters = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
    data = render_certificate(item(holder_name=letters, body=f"№ 5 — «{letters}» 1 500 ₸"))
    text = pdf_text(data)
    assert letters in text and f"№ 5 — «{letters}» 1 500 ₸" in text
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout
    rows = fonts.decode().splitlines()[2:]
    assert len(rows) == 2 and all("Certificate-Sans" in row for row in rows), fonts.decode()


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_template_pointing_at_the_network_fetches_nothing(web_server):
    data = render_certificate(
        item(logo_url=f"{web_server}/logo.png", background_url=f"{web_server}/bg.png")
    )
    assert KAZAKH_NAME in pdf_text(data).replace("\n", " ")
    assert _Recorder.hits == []


def test_fetcher_refuses_files_outside_the_allowed_folders_and_the_network():
    fetcher = LocalFilesFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/font.ttf")
    with pytest.raises(ValueError):
        fetcher.fetch("ftp://example.com/x")
    from certificates.pdf import FONTS_DIR

    response = fetcher.fetch((FONTS_DIR / "SaylauSans.ttf").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()
