"""The certificates' workflows: issuing, rendering, re-issue and revocation (issuing.py), and
rendering again every certificate of an event (regeneration.py)."""

from .issuing import (
    MAX_RENDER_ATTEMPTS,
    certificate_issue,
    certificate_print,
    certificate_reissue,
    certificate_render,
    certificate_render_enqueue,
    certificate_revoke,
    certificate_verify_url,
    certificates_render,
    certificates_render_pending,
)
from .regeneration import (
    REGENERATION_CHUNK,
    RegenerationProgress,
    certificate_regeneration_chunk,
    certificate_regeneration_dispatch,
    certificate_regeneration_start,
    regeneration_certificates,
    regeneration_chunk_done,
    regeneration_progress,
)

__all__ = [
    "REGENERATION_CHUNK",
    "RegenerationProgress",
    "certificate_regeneration_chunk",
    "certificate_regeneration_dispatch",
    "certificate_regeneration_start",
    "regeneration_certificates",
    "regeneration_chunk_done",
    "regeneration_progress",
    "MAX_RENDER_ATTEMPTS",
    "certificate_issue",
    "certificate_print",
    "certificate_reissue",
    "certificate_render",
    "certificate_render_enqueue",
    "certificate_revoke",
    "certificate_verify_url",
    "certificates_render",
    "certificates_render_pending",
]
