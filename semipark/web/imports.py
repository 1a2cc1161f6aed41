"""The Excel upload page every import shares: upload, row-by-row report, nothing written unless all rows are valid."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from semipark.core.excel import Column, ImportReport


def excel_import_page(
    request, *, run: Callable[[object], ImportReport], columns: list[Column], template: str, done: str
):
    """Render ``template`` with ``columns`` and, after a failed upload, its ``report``; redirect to ``done`` on success.

    ``template`` extends ``web/base.html`` and includes ``web/excel_import.html`` for the form and the report.
    """
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose an .xlsx file to import."))
        else:
            report = run(upload)
            if report.ok:
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(updated)s updated.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect(done)
    return render(request, template, {"report": report, "columns": columns})
