"""Keep the catalogues in step with the source: `make messages` runs this after
`pybabel update`. It fills the English catalogue (English is the source language, so msgstr =
msgid) and merges Chinese translations from JSON files given on the command line
({msgid: msgstr}), then reports what is still untranslated in zh_Hans."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "app" / "translations"


def load(locale: str):
    path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return path, read_po(fh, locale=locale)


# Fixed header dates and no source locations (`--no-location`): a catalogue changes only when
# a message does, so two branches that add strings do not conflict over line numbers.
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def save(path: Path, catalog) -> None:
    catalog.creation_date = FIXED_DATE
    catalog.revision_date = FIXED_DATE
    catalog.obsolete.clear()  # strings the code no longer has: kept by git, not here
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)


def main(json_files: list[str]) -> int:
    path, en = load("en")
    for message in en:
        if message.id:
            message.string = tuple(message.id) if message.pluralizable else message.id
            message.flags.discard("fuzzy")
    save(path, en)

    path, zh = load("zh_Hans")
    translations: dict[str, str] = {}
    for name in json_files:
        translations.update(json.loads(Path(name).read_text("utf-8")))
    for message in zh:
        key = message.id[0] if message.pluralizable else message.id
        if key and key in translations:
            # Chinese has one plural form.
            message.string = (translations[key],) if message.pluralizable else translations[key]
            message.flags.discard("fuzzy")
    save(path, zh)
    missing = [m.id for m in zh if m.id and not (all(m.string) if m.pluralizable else m.string)]
    for msgid in missing:
        print(f"untranslated (zh_Hans): {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
