"""Subscription plans as one declarative table.

Every gate in the API reads this table: an endpoint names the feature it needs,
and the answer (and the plan to name in a 403) comes from here, never from an
``if plan == ...`` somewhere else.
"""

from dataclasses import dataclass
from enum import StrEnum


class Feature(StrEnum):
    CATALOGUE = "catalogue"  # providers, platforms, documents, latest versions
    HISTORY = "history"  # every version, as-of lookups, raw snapshots
    DIFFS = "diffs"
    TIMELINES = "timelines"
    CHANGE_SUMMARIES = "change_summaries"
    PROVISION_HISTORY = "provision_history"
    SEARCH = "search"
    COMPARISON = "comparison"
    REGULATORY_MAPPING = "regulatory_mapping"
    PROVISION_MONITORING = "provision_monitoring"
    SAME_DAY_ALERTS = "same_day_alerts"
    WEBHOOKS = "webhooks"
    EXPORTS = "exports"
    MONITORING_HEALTH = "monitoring_health"
    ACCOUNT = "account"  # one's own organisation, keys, members, audit log


@dataclass(frozen=True)
class Plan:
    slug: str
    name: str
    rank: int
    features: frozenset[Feature]
    monitored_platforms: int | None  # None: unlimited
    history_depth_days: int | None  # how far back versions are served; None: all
    requests_per_minute: int
    requests_per_day: int
    exports_per_day: int

    def allows(self, feature: Feature) -> bool:
        return feature in self.features


_FREE_FEATURES = frozenset({Feature.CATALOGUE, Feature.HISTORY, Feature.ACCOUNT})
_PROFESSIONAL_FEATURES = _FREE_FEATURES | {
    Feature.DIFFS,
    Feature.TIMELINES,
    Feature.CHANGE_SUMMARIES,
    Feature.PROVISION_HISTORY,
    Feature.SEARCH,
    Feature.COMPARISON,
    Feature.REGULATORY_MAPPING,
    Feature.PROVISION_MONITORING,
    Feature.SAME_DAY_ALERTS,
    Feature.WEBHOOKS,
    Feature.EXPORTS,
}
_ENTERPRISE_FEATURES = _PROFESSIONAL_FEATURES | {Feature.MONITORING_HEALTH}

PLANS: dict[str, Plan] = {
    plan.slug: plan
    for plan in (
        Plan(
            slug="free", name="Free", rank=0, features=_FREE_FEATURES,
            monitored_platforms=1, history_depth_days=365,
            requests_per_minute=60, requests_per_day=2_000, exports_per_day=0,
        ),
        Plan(
            slug="professional", name="Professional", rank=1, features=_PROFESSIONAL_FEATURES,
            monitored_platforms=10, history_depth_days=None,
            requests_per_minute=600, requests_per_day=50_000, exports_per_day=50,
        ),
        Plan(
            slug="enterprise", name="Enterprise", rank=2, features=_ENTERPRISE_FEATURES,
            monitored_platforms=None, history_depth_days=None,
            requests_per_minute=3_000, requests_per_day=1_000_000, exports_per_day=1_000,
        ),
    )
}

PLAN_CHOICES = [(plan.slug, plan.name) for plan in PLANS.values()]

# Anonymous callers: the public catalogue and latest versions, a low limit per IP.
ANONYMOUS_FEATURES = frozenset({Feature.CATALOGUE})
ANONYMOUS_REQUESTS_PER_MINUTE = 20
ANONYMOUS_REQUESTS_PER_DAY = 500


def plan_get(slug: str) -> Plan:
    return PLANS[slug]


def plan_unlocking(feature: Feature) -> Plan | None:
    """The cheapest plan that includes ``feature`` (named in a 403)."""
    candidates = [plan for plan in PLANS.values() if plan.allows(feature)]
    return min(candidates, key=lambda plan: plan.rank) if candidates else None
