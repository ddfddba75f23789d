"""Counting requests in Django's cache (Redis in production), so automated sign-ups are slowed
without any outside service. A window starts with its first request and lasts ``window`` seconds."""

from dataclasses import dataclass

from django.core.cache import cache


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


# Every sign-up form sent from one address: room for a family or a classroom correcting mistakes,
# too little to test which emails have accounts.
SIGNUP_POSTS_PER_ADDRESS = RateLimit("signup-posts", limit=30, window=3600)
# Accounts created (or confirmation links sent again) from one address.
SIGNUPS_PER_ADDRESS = RateLimit("signups", limit=5, window=3600)
# Confirmation links sent to one email address, whoever asks.
LINKS_PER_EMAIL = RateLimit("links-email", limit=3, window=3600)
# "Send the link again" requests from one address, whatever email they name.
RESENDS_PER_ADDRESS = RateLimit("resends", limit=10, window=3600)


def client_address(request) -> str:
    # Behind the deployment's reverse proxy REMOTE_ADDR is set to the client's address.
    return request.META.get("REMOTE_ADDR", "")
