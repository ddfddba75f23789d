from .consent import (
    ConsentLinkOutcome,
    guardian_consent_confirm,
    guardian_consent_request,
    guardian_consent_withdraw,
)

__all__ = [
    "ConsentLinkOutcome",
    "guardian_consent_confirm",
    "guardian_consent_request",
    "guardian_consent_withdraw",
]
