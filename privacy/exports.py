"""A person's own data as a JSON document and as a PDF to read, in the page's language."""

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

# The fonts the certificates ship: DejaVu Sans has every Kazakh and Russian letter.
FONTS = Path(settings.BASE_DIR) / "certificates" / "fonts"


def _json_value(value: Any):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"Not JSON: {type(value).__name__}")


def render_json(data: dict[str, Any]) -> bytes:
    """UTF-8, letters as they are (not \\u escapes), indented for a person to read."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_value).encode()


def _local_fonts_only(url: str, timeout=10, ssl_context=None):
    """WeasyPrint's fetcher for this document: the shipped fonts, nothing else (no network)."""
    from weasyprint.urls import default_url_fetcher

    path = Path(url.removeprefix("file://")).resolve() if url.startswith("file://") else None
    if path is None or FONTS.resolve() not in path.parents:
        raise ValueError(f"Not fetched: {url}")
    return default_url_fetcher(url)


def answer_text(value: Any) -> str:
    """An answer as one line: choices in order, pairs as "left → right"."""
    if isinstance(value, list):
        return ", ".join(answer_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key} → {answer_text(item)}" for key, item in value.items())
    return "" if value is None else str(value)


def render_pdf(data: dict[str, Any]) -> bytes:
    """The same document laid out for reading, in the active language."""
    from weasyprint import HTML

    attempts = [
        {
            **attempt,
            "answers": [
                {**row, "answer": answer_text(row["answer"])} for row in attempt["answers"]
            ],
        }
        for attempt in data["quiz_attempts"]
    ]
    html = render_to_string(
        "privacy/my_data.pdf.html",
        {
            "data": {**data, "quiz_attempts": attempts},
            "fonts": FONTS.resolve().as_uri(),
            "yes_no": _("yes,no,—"),
        },
    )
    return HTML(string=html, url_fetcher=_local_fonts_only).write_pdf()


def file_name(*, extension: str) -> str:
    return f"saylau-my-data-{timezone.localdate():%Y-%m-%d}.{extension}"
