"""The documentation stays in step with the code: every setting documented, every documented one real."""

import re
from pathlib import Path

import semipark

ROOT = Path(semipark.__file__).resolve().parent.parent
DOCS = ROOT / "docs"
VARIABLE = re.compile(r"SEMIPARK_[A-Z0-9_]+")


def _settings_variables() -> set[str]:
    source = (ROOT / "semipark" / "settings.py").read_text("utf-8")
    return {f"SEMIPARK_{name}" for name in re.findall(r"\benv(?:_bool|_list)?\(\s*\"([A-Z0-9_]+)\"", source)}


def test_every_setting_is_documented():
    documented = set(VARIABLE.findall((DOCS / "configuration.md").read_text("utf-8")))
    settings_variables = _settings_variables()
    assert len(settings_variables) > 20  # the pattern still finds the settings
    assert sorted(settings_variables - documented) == []


def test_every_documented_variable_exists():
    sources = [ROOT / "run", ROOT / "conftest.py", *(ROOT / "semipark").rglob("*.py")]
    used = {name for path in sources for name in VARIABLE.findall(path.read_text("utf-8"))}
    used |= _settings_variables()
    documented = set(VARIABLE.findall((DOCS / "configuration.md").read_text("utf-8")))
    assert sorted(documented - used) == []


def test_links_between_documents_resolve():
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
