"""Every app's Chinese catalogue is complete, current and compiled; English is the source language."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

APPS = [c for c in apps.get_app_configs() if c.name.startswith("semipark.")]


def _catalogue(config) -> Path:
    return Path(config.path) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _messages(po: Path) -> set[str]:
    """msgids of a .po file (joined continuation lines), the header excluded."""
    ids, current, reading = set(), [], False
    for line in [*po.read_text("utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            current, reading = [line[6:].strip().strip('"')], True
        elif reading and line.startswith('"'):
            current.append(line.strip().strip('"'))
        else:
            if reading and "".join(current):
                ids.add("".join(current))
            reading = False
    return ids


@pytest.mark.parametrize("config", APPS, ids=lambda c: c.label)
def test_catalogue_is_complete_and_compiled(config):
    po = _catalogue(config)
    sources = list(Path(config.path).rglob("*.py")) + list(Path(config.path).rglob("*.html"))
    marked = any(
        (
            "gettext" in p.read_text("utf-8")
            or "{% translate" in p.read_text("utf-8")
            or "{% blocktranslate" in p.read_text("utf-8")
        )
        for p in sources
        if "tests" not in p.parts
    )
    if not marked:
        assert not po.exists()
        return
    assert po.exists(), f"{config.label} marks strings for translation but has no zh_Hans catalogue"
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=True
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{config.label}: {stats}"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1, f"compile {po}"


@pytest.mark.parametrize("config", APPS, ids=lambda c: c.label)
def test_catalogue_is_current(config, tmp_path):
    """makemessages finds no string that the catalogue lacks."""
    po = _catalogue(config)
    if not po.exists():
        return
    copy = tmp_path / config.label
    shutil.copytree(config.path, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "static"))
    subprocess.run(
        [Path(sys.executable).parent / "django-admin", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin"},
    )
    missing = _messages(_catalogue_at(copy)) - _messages(po)
    assert not missing, f"{config.label}: untranslated new strings: {sorted(missing)[:10]}"


def _catalogue_at(root: Path) -> Path:
    return root / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
