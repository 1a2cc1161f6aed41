"""Excel in and out: one sheet per table, a header row, then data. Import checks every row before writing."""

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # lazily translated; shown in the header row
    required: bool = False


@dataclass
class ImportReport:
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, column, message)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def workbook_response(filename: str, title: str, columns: list[Column], rows: Iterable[list]) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([str(c.header) for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, len(str(column.header)) * 2)
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def read_rows(upload, columns: list[Column]) -> tuple[list[tuple[int, dict]], ImportReport]:
    """Rows of the first sheet as dicts keyed by column key; header cells may be the key or the header."""
    report = ImportReport()
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        report.errors.append((0, "", _("Not a readable .xlsx file: %(error)s") % {"error": exc}))
        return [], report
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = _header_names(columns)
    keys = [names.get(str(h).strip()) if h is not None else None for h in header]
    missing = [str(c.header) for c in columns if c.required and c.key not in keys]
    if missing:
        report.errors.append((1, "", _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}))
        return [], report
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {key: value for key, value in zip(keys, values, strict=False) if key}
        out.append((number, row))
    return out, report


def import_rows(
    rows: list[tuple[int, dict]],
    report: ImportReport,
    build: Callable[[int, dict], object],
    save: Callable[[object], bool],
) -> ImportReport:
    """Build every row (collecting errors), then save all in one transaction only if none failed.

    ``build`` returns an unsaved object or raises ``RowError``; ``save`` stores it and says whether it was new.
    """
    built = []
    for number, row in rows:
        try:
            built.append(build(number, row))
        except RowError as exc:
            report.errors.extend((number, column, message) for column, message in exc.problems)
    if report.errors or not built:
        if not built and not report.errors:
            report.errors.append((0, "", _("The sheet has no data rows.")))
        return report
    with transaction.atomic():
        for obj in built:
            if save(obj):
                report.created += 1
            else:
                report.updated += 1
    return report


def _header_names(columns: list[Column]) -> dict[str, str]:
    """Column keys by header text in every language of the site, so a sheet exported in English imports in Chinese."""
    names = {c.key: c.key for c in columns}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names |= {str(c.header).strip(): c.key for c in columns}
    return names


class RowError(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{c}: {m}" for c, m in problems))
        self.problems = problems
