"""Russian first, English complete: every string in the code has a Russian translation.

Source strings are English, so English is complete by construction; the Russian catalogue must
translate every one of them and the compiled .mo must match the .po it came from.
"""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def test_every_russian_entry_is_translated_and_not_fuzzy() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source() -> None:
    source = {
        (e.msgid, e.msgctxt): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.pofile(str(CATALOGUE))
    }
    compiled = {
        (e.msgid, e.msgctxt): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    }
    assert {key: value for key, value in source.items() if key[0]} == {
        key: value for key, value in compiled.items() if key[0]
    }


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs GNU gettext: apt-get install gettext"
)
def test_every_string_in_the_code_is_in_the_catalogue(
    tmp_path: Path, settings, monkeypatch
) -> None:
    # given a scratch copy of the code and the catalogue, which makemessages may rewrite
    for folder in ("config", "uslugi", "templates", "locale"):
        shutil.copytree(
            Path(settings.BASE_DIR) / folder,
            tmp_path / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    known = {entry.msgid for entry in polib.pofile(str(CATALOGUE))}
    # when the strings are extracted from the code again
    call_command("makemessages", locale=["ru"], verbosity=0)
    # then nothing new appears
    rewritten = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    extracted = {entry.msgid for entry in polib.pofile(str(rewritten))}
    assert sorted(extracted - known) == []
