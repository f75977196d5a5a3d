"""The German and English catalogues are complete and match the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("de", "en")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("folder", ["locale/de", "locale/en", "locale_overrides/de"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(folder):
    po = polib.pofile(str(ROOT / folder / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    assert not missing, f"{folder}: {len(missing)} entries to translate, e.g. {missing[:5]}"


@pytest.mark.parametrize("folder", ["locale/de", "locale/en", "locale_overrides/de"])
def test_compiled_catalogue_matches_the_po_file(folder):
    po = polib.pofile(str(ROOT / folder / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(ROOT / folder / "LC_MESSAGES" / "django.mo"))
    assert {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()} == {
        (e.msgctxt, e.msgid): e.msgstr for e in mo
    }, "run `make messages`"


def test_catalogue_is_up_to_date_with_the_code(tmp_path):
    if not shutil.which("xgettext"):
        pytest.skip("gettext is not installed (apt-get install gettext)")
    work = tmp_path / "project"
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", "var", ".git", "staticfiles", "__pycache__", "tests", "bench"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "de", "--no-obsolete", "--no-location"],
        cwd=work,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "geraportal.settings.test"},
    )
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(work / "locale/de/LC_MESSAGES/django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in catalogue("de")}
    assert fresh - committed == set(), "strings in the code but not in the catalogue: run `make messages`"
    assert committed - fresh == set(), "stale strings in the catalogue: run `make messages`"
