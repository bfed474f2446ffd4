"""Reading a spreadsheet that people upload (the screening and results imports): CSV in
UTF-8, UTF-8 with BOM, GBK or GB18030, or an Excel workbook (.xlsx, its first sheet).

``read_table(data)`` gives the file's rows as text cells (NFKC-normalised and trimmed; empty
rows dropped; ``as_written=True``: as typed and as displayed) or raises DomainError on the ``file`` field for a file that is too large, not a
spreadsheet, or empty. ``match_key`` is how a heading or a name is compared, ``cell_date``
how a date cell is read. Writing spreadsheets is app/core/exports.py."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Hashable
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError

MAX_BYTES = 512 * 1024
MAX_ROWS = 2000
# A workbook is a zip: what it may unpack to, whatever it declares (a 5 KB file declaring a
# sheet of A1:XFD1048576 once made openpyxl pad 3 GB of empty cells).
MAX_UNPACKED_BYTES = 16 * 1024 * 1024
MAX_COLUMNS = 100
# Blank rows are skipped, but reading stops this many physical rows after the data limit.
MAX_PHYSICAL_ROWS = MAX_ROWS + 1 + 1000


def match_key(text) -> str:
    """Text as compared with headings and names: NFKC, runs of spaces as one, lower case."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text or ""))).strip().lower()


def _cell(value, number_format: str | None = None, *, as_written: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if as_written and isinstance(value, int | float) and not isinstance(value, bool):
        shown = _as_displayed(value, number_format or "General")
        if shown is not None:
            return shown
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if as_written:
        return _clean(str(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


def _clean(text: str) -> str:
    """Text as typed: trimmed, without control characters (no NFKC: "（北京）" stays)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


# The plain number formats a cell may carry: "0", "0.00", "#,##0.0", "0.0%".
_NUMBER_FORMAT = re.compile(r"(?P<int>[#,0]*0)(?:\.(?P<dec>0+))?(?P<pct>%?)")


def _as_displayed(value: float | int, number_format: str) -> str | None:
    """The number as Excel shows it under a plain number format (its first section), e.g.
    36.2 under "0.00" is "36.20"; None for a format this does not read (then the caller
    writes the plain number)."""
    section = number_format.split(";")[0].strip()
    if section in ("General", "@", ""):
        return None
    match = _NUMBER_FORMAT.fullmatch(section)
    if match is None:
        return None
    places = len(match["dec"] or "")
    number = value * 100 if match["pct"] else value
    grouping = "," if "," in match["int"] else ""
    return f"{number:{grouping}.{places}f}{match['pct']}"


NOT_A_SPREADSHEET = _l(
    "The file is not a spreadsheet. Send a CSV file or an Excel workbook (.xlsx)."
)


def read_table(data: bytes, *, as_written: bool = False) -> list[list[str]]:
    """The file's rows as text cells. Raises DomainError for a file that is too large, not a
    spreadsheet, or empty.

    ``as_written``: text cells as typed (trimmed, not NFKC-normalised: names compared the way
    they are stored keep their full-width brackets) and a workbook's numbers as the cell
    displays them under its number format (36.2 formatted "0.00" is "36.20": marks are kept
    as written). The caller normalises the cells that are codes or numbers itself."""
    if len(data) > MAX_BYTES:
        raise DomainError(
            _l(
                "The file is larger than %(size)d KB. Split it into smaller files.",
                size=MAX_BYTES // 1024,
            ),
            field="file",
        )
    if data[:4] == b"PK\x03\x04":
        rows = _read_xlsx(data, as_written=as_written)
    else:
        rows = _read_csv(data, as_written=as_written)
    rows = [row for row in rows if any(cell for cell in row)]
    if len(rows) < 2:
        raise DomainError(_l("The file has no rows of results under the headings."), field="file")
    if len(rows) > MAX_ROWS + 1:
        raise _too_many_rows()
    return rows


def heading_columns(
    header: list[str],
    headings: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    other: Callable[[str], Hashable | None] | None = None,
) -> dict[int, Hashable]:
    """What each column of ``header`` holds: {column index: field name} for the headings
    ``headings`` lists per field (English and Chinese, compared by match_key), or what
    ``other(key)`` makes of a heading it knows (a measurement's name). Empty headings are
    skipped. Raises DomainError on the ``file`` field naming the unknown headings, or the
    required fields without a column."""
    names = {alias: name for name, aliases in headings.items() for alias in aliases}
    columns: dict[int, Hashable] = {}
    unknown = []
    for index, heading in enumerate(header):
        key = match_key(heading)
        if not key:
            continue
        target = names.get(key) or (other(key) if other is not None else None)
        if target is None:
            unknown.append(heading)
        else:
            columns[index] = target
    if unknown:
        raise DomainError(
            _l(
                "Unknown columns: %(columns)s. Use the column headings listed on this page.",
                columns=", ".join(unknown),
            ),
            field="file",
        )
    missing = [name for name in required if name not in columns.values()]
    if missing:
        raise DomainError(
            _l("Columns missing: %(columns)s.", columns=", ".join(missing)), field="file"
        )
    return columns


def row_cells(cells: list[str], columns: dict[int, Hashable]) -> dict[Hashable, str]:
    """One row's {what the column holds: its text} ("" past the end of a short row)."""
    return {target: cells[i] if i < len(cells) else "" for i, target in columns.items()}


def _too_many_rows() -> DomainError:
    return DomainError(
        _l("The file has more than %(max)d rows. Split it into smaller files.", max=MAX_ROWS),
        field="file",
    )


def _check_zip(data: bytes) -> None:
    """Refuse a workbook whose members would unpack to more than MAX_UNPACKED_BYTES, before
    any XML is parsed."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise DomainError(NOT_A_SPREADSHEET, field="file") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise DomainError(
            _l(
                "The workbook is too large once unpacked. Save it again with only the rows to import."
            ),
            field="file",
        )


def _read_xlsx(data: bytes, *, as_written: bool = False) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_zip(data)
    rows: list[list[str]] = []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            # Ignore the size the file declares (it may claim 16,384 columns and a million
            # rows): read the cells it holds, up to the known columns and the row limit.
            sheet.reset_dimensions()
            for number, row in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, values_only=not as_written), start=1
            ):
                if number > MAX_PHYSICAL_ROWS:
                    raise _too_many_rows()
                if as_written:  # cells with their number formats
                    cells = [
                        _cell(c.value, getattr(c, "number_format", None), as_written=True)
                        for c in row
                    ]
                else:
                    cells = [_cell(v) for v in row]
                while cells and not cells[-1]:  # the padding up to MAX_COLUMNS
                    cells.pop()
                rows.append(cells)
        finally:
            book.close()
    except DomainError:
        raise
    except Exception:  # any damaged or foreign zip: the user gets one plain message
        raise DomainError(NOT_A_SPREADSHEET, field="file") from None
    width = max((len(row) for row in rows), default=0)  # the columns in use, as Excel shows
    return [row + [""] * (width - len(row)) for row in rows]


def _read_csv(data: bytes, *, as_written: bool = False) -> list[list[str]]:
    if b"\x00" in data:
        raise DomainError(NOT_A_SPREADSHEET, field="file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError(NOT_A_SPREADSHEET, field="file")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in text):
        raise DomainError(NOT_A_SPREADSHEET, field="file")
    try:
        return [
            [_cell(c, as_written=as_written) for c in row] for row in csv.reader(io.StringIO(text))
        ]
    except csv.Error:
        raise DomainError(NOT_A_SPREADSHEET, field="file") from None


def cell_date(text: str) -> date | None:
    """2025-09-01, 2025/9/1, 2025.9.1 or 2025年9月1日 as a date; None for anything else."""
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None
