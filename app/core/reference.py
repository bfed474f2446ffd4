"""Reference data shared by every domain: the district's towns and sub-districts (镇、街道)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.core import choices
from app.core.db import Base, enum_column
from app.core.enums import LabelledEnum


class TownKind(LabelledEnum):
    TOWN = "town", _l("Town")
    SUBDISTRICT = "subdistrict", _l("Sub-district")


class Town(Base):
    __tablename__ = "towns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[TownKind] = mapped_column(enum_column(TownKind, "town_kind"))
    sort_order: Mapped[int] = mapped_column(sa.Integer, default=0)

    @property
    def display_name(self) -> str:
        """The name in the reader's language."""
        return self.name_en if str(get_locale() or "") == "en" else self.name

    def __str__(self) -> str:
        return self.display_name


# The Fenghua district's six sub-districts and six towns (demo and default reference data).
DISTRICT_TOWNS = (
    ("锦屏街道", "Jinping Sub-district", TownKind.SUBDISTRICT),
    ("岳林街道", "Yuelin Sub-district", TownKind.SUBDISTRICT),
    ("江口街道", "Jiangkou Sub-district", TownKind.SUBDISTRICT),
    ("西坞街道", "Xiwu Sub-district", TownKind.SUBDISTRICT),
    ("萧王庙街道", "Xiaowangmiao Sub-district", TownKind.SUBDISTRICT),
    ("方桥街道", "Fangqiao Sub-district", TownKind.SUBDISTRICT),
    ("溪口镇", "Xikou Town", TownKind.TOWN),
    ("莼湖镇", "Chunhu Town", TownKind.TOWN),
    ("裘村镇", "Qiucun Town", TownKind.TOWN),
    ("大堰镇", "Dayan Town", TownKind.TOWN),
    ("松岙镇", "Song'ao Town", TownKind.TOWN),
    ("尚田镇", "Shangtian Town", TownKind.TOWN),
)


def ensure_towns(session) -> list[Town]:
    """Insert the district's towns that are missing (idempotent); return all, in order."""
    existing = {t.name: t for t in session.scalars(sa.select(Town))}
    for order, (name, name_en, kind) in enumerate(DISTRICT_TOWNS, start=1):
        if name not in existing:
            town = Town(name=name, name_en=name_en, kind=kind, sort_order=order)
            session.add(town)
            existing[name] = town
    session.flush()
    return list(session.scalars(sa.select(Town).order_by(Town.sort_order, Town.id)))


def town_choices(session) -> list[tuple[str, str]]:
    """(id, name in the reader's language) of every town, in order; kept per worker
    (app/core/choices.py)."""

    def build():
        towns = session.scalars(sa.select(Town).order_by(Town.sort_order, Town.id))
        return [(str(t.id), t.display_name) for t in towns]

    return choices.kept("towns", build)
