"""The serving processes refuse to start without their secrets (see config/settings.py)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_NAMES = ("SECRET_KEY", "API_KEY_PEPPER")


def secrets_require() -> None:
    """Raise, naming every missing variable, unless SECRET_KEY and API_KEY_PEPPER are set."""
    missing = []
    for name in _NAMES:
        try:
            value = getattr(settings, name)
        except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY
            value = ""
        if not value:
            missing.append(name)
    if missing:
        raise ImproperlyConfigured(
            f"Set the environment variable{'s' if len(missing) > 1 else ''} "
            f"{' and '.join(missing)}: this process serves requests or runs tasks."
        )
