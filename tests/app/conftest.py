"""App-level fixtures: the tiny bundle published and prepared as the running app would."""

from __future__ import annotations

import pytest

from dashboard.prepared import Prepared as AppData
from dashboard.prepared import prepare
from dashboard.publish import publish
from tests.conftest import make_tiny_bundle


@pytest.fixture(scope="session")
def app_data() -> AppData:
    return prepare(publish(make_tiny_bundle()))
