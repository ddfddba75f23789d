"""Reading certificates: the verification page and the downloads."""

import re
import unicodedata

from django.core.cache import cache

from .models import Certificate

# Lookups of the verify pages per client address and window: enough for a commission checking
# its members' certificates, far too few to walk through the numbers.
VERIFY_LIMIT = 30
VERIFY_WINDOW = 600  # seconds


def verify_allowed(*, client: str) -> bool:
    """Count one lookup for ``client``; False once it made ``VERIFY_LIMIT`` in the window."""
    key = f"certificates:verify:{client}"
    cache.add(key, 0, timeout=VERIFY_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=VERIFY_WINDOW)
        count = 1
    return count <= VERIFY_LIMIT


def certificate_for_verification(**lookup) -> Certificate | None:
    """The certificate by ``code`` or ``number``, with the certificate that replaced it."""
    return Certificate.objects.select_related("replaced_by").filter(**lookup).first()


def _name_words(name: str) -> set[str]:
    name = unicodedata.normalize("NFC", name).casefold().replace("ё", "е")
    return {word for word in re.split(r"[\s\-‐–]+", name) if word}


def certificate_by_number(*, number: str, surname: str) -> Certificate | None:
    """The certificate with this number, when ``surname`` is one of the printed holder name's
    words (any case, ё as е; a double-barrelled surname matches whole or by either part)."""
    certificate = certificate_for_verification(number=number)
    if certificate is None:
        return None
    wanted = _name_words(surname)
    if not wanted or not wanted <= _name_words(certificate.snapshot.get("holder_name", "")):
        return None
    return certificate
