"""The project's settings, plus a bare view for the API benchmark's baseline.

A separate settings module (DJANGO_SETTINGS_MODULE=bench.settings) adds the
baseline route without touching config/urls.py; everything else, middleware
included, is the production configuration, so the bare view pays the same
per-request overhead as the real endpoints.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"
