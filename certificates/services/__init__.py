"""The certificates' workflows: issuing, rendering, re-issue and revocation (issuing.py), and
rendering again every certificate of an event (regeneration.py), and a branch's certificates as one
ZIP for its manager (archives.py)."""

from .archives import (
    BranchEventCount,
    branch_certificate_counts,
    branch_certificates,
    certificate_archive_build,
    certificate_archive_enqueue,
    certificate_archive_request,
    certificate_archives_expire,
)
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
    "BranchEventCount",
    "branch_certificate_counts",
    "branch_certificates",
    "certificate_archive_build",
    "certificate_archive_enqueue",
    "certificate_archive_request",
    "certificate_archives_expire",
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
