"""Every model of sql/models/ has a test here: each module lists the models it covers in MODELS."""

from __future__ import annotations

import importlib
from pathlib import Path

from wrapped_lake.platform import models

MODULES = sorted(p.stem for p in Path(__file__).parent.glob("test_*.py") if p.stem != Path(__file__).stem)


def covered() -> dict[str, list[str]]:
    """The models each test module names, by module."""
    return {name: importlib.import_module(f"{__package__}.{name}").MODELS for name in MODULES}


def test_every_model_has_a_test():
    named = {model for listed in covered().values() for model in listed}
    missing = [name for name in models.models() if name not in named]
    assert not missing, f"no test in tests/models/ names {missing}: add one and list it in that module's MODELS"


def test_every_model_a_test_names_exists():
    unknown = {module: sorted(set(listed) - set(models.models())) for module, listed in covered().items()}
    assert not {module: names for module, names in unknown.items() if names}
