"""Finish the message catalogues after `makemessages`, and compile them without gettext.

Source strings are English, so the English catalogue translates each string to itself;
German entries are written by hand. The .mo files are compiled with polib and committed,
so running the portal needs no gettext tools. Run through `make messages`.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent.parent
LOCALE_DIR = ROOT / "locale"
# Our formal-German translations of allauth's strings, maintained by hand (see settings).
OVERRIDES_DIR = ROOT / "locale_overrides"


def fill_english(po: polib.POFile) -> None:
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")


def main() -> None:
    for po_path in sorted(
        [*LOCALE_DIR.glob("*/LC_MESSAGES/django.po"), *OVERRIDES_DIR.glob("*/LC_MESSAGES/*.po")]
    ):
        po = polib.pofile(str(po_path))
        if po_path.is_relative_to(LOCALE_DIR) and po_path.parts[-3] == "en":
            fill_english(po)
            po.save()
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        untranslated = len(po.untranslated_entries()) + len(po.fuzzy_entries())
        print(f"{po_path.relative_to(ROOT)}: {len(po)} entries, {untranslated} to translate")


if __name__ == "__main__":
    main()
