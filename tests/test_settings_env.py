"""Settings read from the environment fail loudly on bad values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_booleans(monkeypatch, raw, value):
    monkeypatch.setenv("CW_FLAG", raw)
    assert env_bool("CW_FLAG") is value


def test_a_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("CW_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CW_FLAG='maybe' is not a boolean"):
        env_bool("CW_FLAG")


def test_integers_and_their_minimum(monkeypatch):
    monkeypatch.setenv("CW_NUMBER", "12")
    assert env_int("CW_NUMBER", 3) == 12
    monkeypatch.setenv("CW_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("CW_NUMBER", 3)
    monkeypatch.setenv("CW_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="below its minimum of 1"):
        env_int("CW_NUMBER", 3, minimum=1)


def test_required_strings_and_lists(monkeypatch):
    monkeypatch.delenv("CW_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="Set the environment variable CW_REQUIRED"):
        env_str("CW_REQUIRED")
    monkeypatch.setenv("CW_HOSTS", "a.example, b.example,,")
    assert env_list("CW_HOSTS") == ["a.example", "b.example"]
