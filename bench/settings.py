"""The project's settings, plus a bare view for the API benchmark's baseline.

A separate settings module (DJANGO_SETTINGS_MODULE=bench.settings) adds the
baseline route without touching config/urls.py; everything else, middleware
included, is the production configuration, so the bare view pays the same
per-request overhead as the real endpoints.

Two switches, for the benchmark only (never in config/settings.py):

- rate limits: a benchmark sends one organisation thousands of requests a minute,
  far beyond any plan's limit, and a 429 voids a run. Unless BENCH_RATE_LIMITS=plan,
  every plan's limits are raised out of reach: the throttle still runs and counts
  every request in Redis (its cost is measured), it just never refuses.
- BENCH_GATE=off: the archive endpoints the benchmark loads are served by copies of
  their viewsets with no authentication, no throttle and AllowAny (bench/open_urls.py),
  to measure what the gate costs. Default: on.
"""

import dataclasses
import os

from accounts import plans as _plans
from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"

if os.environ.get("BENCH_RATE_LIMITS", "raised") != "plan":
    for _slug, _plan in list(_plans.PLANS.items()):
        _plans.PLANS[_slug] = dataclasses.replace(
            _plan, requests_per_minute=10**9, requests_per_day=10**12
        )

if os.environ.get("BENCH_GATE", "on") == "off":
    ROOT_URLCONF = "bench.open_urls"
