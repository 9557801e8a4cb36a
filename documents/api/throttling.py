"""The API's request limits per client, read from `settings.API_THROTTLE_RATES` on each request.

REST framework's own classes read their rates once, at import; these read the setting when
asked, so the environment (and a test) decides.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousRate(AnonRateThrottle):
    """Visitors without a session, counted by address."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class SignedInRate(UserRateThrottle):
    """Signed-in users (staff with a session), counted per account."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]
