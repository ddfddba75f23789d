"""Counting requests in Django's cache (Redis in production), so automated sign-ups are slowed
without any outside service. A window starts with its first request and lasts ``window`` seconds."""

from dataclasses import dataclass

from django.core.cache import cache

from accounts.client import client_address as accounts_client_address


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` counted requests per key in ``window`` seconds."""

    name: str
    limit: int
    window: int  # seconds

    def _key(self, key: str) -> str:
        return f"youth:rate:{self.name}:{key}"

    def exceeded(self, key: str) -> bool:
        """Whether ``key`` has used up its window, without counting this request."""
        return cache.get(self._key(key), 0) >= self.limit

    def hit(self, key: str) -> bool:
        """Count one request for ``key``; False once it is over the limit."""
        cache_key = self._key(key)
        cache.add(cache_key, 0, timeout=self.window)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the window ended between add and incr
            cache.set(cache_key, 1, timeout=self.window)
            count = 1
        return count <= self.limit

    @property
    def minutes(self) -> int:
        return max(1, self.window // 60)


# A school or a club signs up a class together from one network address (its NAT): the limits
# per address leave room for a class of 40 correcting their mistakes, and stop a program that
# would create hundreds; the honeypot, the form's signed time and the confirmation link do the
# rest. Every sign-up form sent from one address:
SIGNUP_POSTS_PER_ADDRESS = RateLimit("signup-posts", limit=120, window=3600)
# Accounts created (or confirmation links sent again) from one address.
SIGNUPS_PER_ADDRESS = RateLimit("signups", limit=40, window=3600)
# Confirmation links sent to one email address, whoever asks.
LINKS_PER_EMAIL = RateLimit("links-email", limit=3, window=3600)
# Links to a legal representative one learner sends from their profile: enough to fix a mistyped
# address, too few to flood someone's mailbox.
GUARDIAN_LINKS_PER_LEARNER = RateLimit("guardian-links", limit=3, window=3600)
# "Send the link again" requests from one address, whatever email they name.
RESENDS_PER_ADDRESS = RateLimit("resends", limit=10, window=3600)


client_address = accounts_client_address
