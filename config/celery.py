"""The Celery application; tasks are discovered in the apps' ``tasks`` modules."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("clausewatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def _secrets_require(**_kwargs) -> None:
    # Workers hash API keys and sign nothing else, but must not run half-configured.
    from config.secrets import secrets_require

    secrets_require()
