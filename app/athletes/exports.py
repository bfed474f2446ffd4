"""The athlete list and the reserve pipeline as tables for download (sent by
app/core/exports.send_table, which keeps every cell from starting a formula). No sensitive
field is exported."""

from __future__ import annotations

from flask_babel import gettext as _


def athlete_rows(athletes) -> list[list]:
    """The export of the athlete list: one row per athlete, no sensitive fields."""
    header = [
        _("Athlete number"),
        _("Name"),
        _("Name in pinyin"),
        _("Town or sub-district"),
        _("Main sport"),
        _("All sports"),
        _("Stage"),
        _("Stage since"),
        _("Squad level"),
        _("Coaches"),
        _("How the athlete was found"),
        _("Date found"),
    ]
    rows = [header]
    for a in athletes:
        rows.append(
            [
                a.id,
                a.person.name,
                a.person.name_pinyin,
                a.person.town.display_name if a.person.town else "",
                a.primary_sport.display_name,
                ", ".join(s.display_name for s in a.sports),
                str(a.stage.label),
                a.stage_since,
                str(a.squad_level.label),
                ", ".join(c.display_name for c in a.coaches),
                str(a.discovery_source.label),
                a.discovered_on,
            ]
        )
    return rows


def pipeline_rows(rows, stages) -> list[list]:
    header = [_("Sport"), *[str(stage.label) for stage in stages], _("Total")]
    return [header, *[[sport.display_name, *counts, sum(counts)] for sport, counts in rows]]
