"""The parsed-program cache: keyed by everything a parse depends on, the model's fields too."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import program_cache
from planner.sources import SourceContext

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_key_changes_with_the_models_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIXTURES / "live_frab_v1.xml").read_bytes()
    context = SourceContext(label="v1.xml", stem="v1")
    now = program_cache.cache_key(data, context, None, None)
    assert "guid" in program_cache._model_shape()
    # An entry written before Item had a field (same version string) is never read back.
    monkeypatch.setattr(program_cache, "_model_shape", lambda: "id,kind,title")
    assert program_cache.cache_key(data, context, None, None) != now
