"""``eventlens.study`` imports its submodules on first use: the vocabulary every page loads does not bring scipy."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import eventlens.study as es

REPO = Path(__file__).resolve().parent.parent


def test_the_vocabulary_and_the_models_load_without_scipy() -> None:
    code = ("import sys, eventlens.vocabulary, eventlens.study.models, eventlens.study as es; es.MODEL_LABELS;"
            "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("name", es.__all__)
def test_every_public_name_is_its_submodules_object(name: str) -> None:
    source = f"eventlens.study.{es._SOURCES[name]}"
    value = getattr(es, name)
    assert value is getattr(importlib.import_module(source), name)
    if callable(value):  # functions and classes say where they are defined
        assert value.__module__ == source


def test_submodules_are_attributes_and_unknown_names_raise() -> None:
    assert es.ranks is importlib.import_module("eventlens.study.ranks")
    assert set(es.__all__) | set(es._SUBMODULES) <= set(dir(es))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        es.nothing  # noqa: B018 - the lookup itself is what is tested
