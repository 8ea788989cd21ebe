"""Rate limits per organisation (by plan) or per IP (anonymous), in Redis.

Every response reports the binding window in X-RateLimit-Limit/Remaining/Reset
(Reset in seconds); a refused request gets 429 with Retry-After.
"""

import logging
import time

import redis
from rest_framework.throttling import BaseThrottle

from accounts.counters import quota_name_for_organization, quota_take, redis_client
from accounts.http.permissions import request_principal
from accounts.plans import ANONYMOUS_REQUESTS_PER_DAY, ANONYMOUS_REQUESTS_PER_MINUTE

logger = logging.getLogger(__name__)


class PlanRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        principal = request_principal(request)
        if principal is not None:
            name = quota_name_for_organization(principal.organization.pk)
            per_minute = principal.plan.requests_per_minute
            per_day = principal.plan.requests_per_day
        else:
            name = f"ip:{self.get_ident(request)}"
            per_minute, per_day = ANONYMOUS_REQUESTS_PER_MINUTE, ANONYMOUS_REQUESTS_PER_DAY
        try:
            decision = quota_take(
                client=redis_client(), name=name, per_minute=per_minute, per_day=per_day
            )
        except redis.RedisError:
            # Redis down must not take the archive offline: serve, unmetered, and say so.
            logger.warning("rate limiting paused: Redis unreachable")
            return True
        self.window = decision.binding
        request.rate_limit = self.window
        return decision.admitted

    def get_ident(self, request) -> str:
        # The connection's address, as the audit log records it. DRF would otherwise use
        # X-Forwarded-For, which is whatever the caller writes: a new "address" each time.
        return request.META.get("REMOTE_ADDR") or ""

    def wait(self) -> float:
        return max(self.window.reset_at - time.time(), 1)


def rate_limit_headers(request, response) -> None:
    window = getattr(request, "rate_limit", None)
    if window is None:
        return
    response["X-RateLimit-Limit"] = str(window.limit)
    response["X-RateLimit-Remaining"] = str(window.remaining)
    response["X-RateLimit-Reset"] = str(max(int(window.reset_at - time.time()), 0))
