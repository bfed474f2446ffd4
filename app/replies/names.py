"""How the reply page names a person: their given name at most (the link holder knows whom
it is for; the page should not spell out a full name to whoever sees the screen)."""

from __future__ import annotations

from app.people.demo import DEMO_PREFIX

# Two-character family names (复姓) common enough to matter; the rest are one character.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 令狐 慕容 尉迟 公孙 司徒 夏侯 长孙 宇文 独孤 端木 西门 南宫".split()
)


def given_name(name: str) -> str:
    """The given name of a register name: a Chinese name without its family name (张小明 →
    小明, 欧阳娜娜 → 娜娜; a two-character name keeps its last character), a Latin-script
    name's first word ("Anna Li" → "Anna"), a transliterated name's first part (阿依古丽·买买提
    → 阿依古丽). The demo's "示例·" mark is not part of the name."""
    name = (name or "").strip().removeprefix(DEMO_PREFIX)
    if not name:
        return ""
    if "·" in name:  # a transliterated name (阿依古丽·买买提): the given name comes first
        return name.split("·")[0]
    if " " in name:
        return name.split()[0]
    if not name.isascii():
        if len(name) >= 4 and name[:2] in COMPOUND_SURNAMES:
            return name[2:]
        return name[1:] if len(name) >= 2 else name
    return name
