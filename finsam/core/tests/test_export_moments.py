"""Files for people write a moment as people write it, in Swedish time: "2026-12-07 22:30",
never an ISO timestamp with its offset ("2026-12-07T22:30:00+01:00")."""

from __future__ import annotations

import datetime as dt
import io
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from finsam.core.exports import csv_writer, xlsx_response

UTC = dt.UTC
MOMENT = dt.datetime(2026, 12, 7, 21, 30, tzinfo=UTC)  # 22.30 in Stockholm


def test_the_csv_writer_writes_a_moment_in_swedish_time_without_offset():
    out = io.StringIO()
    csv_writer(out).writerow([MOMENT, dt.datetime(2026, 7, 1, 8, 5, tzinfo=ZoneInfo("UTC"))])
    line = out.getvalue().strip()
    assert line == "2026-12-07 22:30;2026-07-01 10:05"  # winter +1, summer +2
    assert "T" not in line and "+0" not in line


def test_the_xlsx_holds_the_moment_as_a_date_in_swedish_time():
    response = xlsx_response(filename="x.xlsx", title="Test", headers=["Tid"], rows=[[MOMENT]])
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A2"].value == dt.datetime(2026, 12, 7, 22, 30)
