"""CSV import and export of a roadmap's measures.

The file has a header row naming its columns (any order; `COLUMNS`), UTF-8 (a BOM is fine),
comma- or semicolon-separated (Excel in Russia writes semicolons). Dates are 2025-03-31 or
31.03.2025; the agency is its code in the catalogue; the overseer is a working-group member's full
name; the status its code or its name. A row whose number exists updates that measure, any other
adds one. The import is all or nothing: every bad row is reported with its line number and, if
there is one, nothing is written (ARCHITECTURE.md: a bad row never half-loads a plan).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uslugi.catalogue.models import Agency
from uslugi.core.services import record_event
from uslugi.roadmap import selectors, services
from uslugi.roadmap.errors import ImportRejected
from uslugi.roadmap.models import MEASURE_FIELDS, ItemStatus, Measure, Roadmap

COLUMNS = MEASURE_FIELDS
REQUIRED = ("number", "title", "responsible_agency", "responsible_person", "starts_on", "due_on")
MAX_BYTES = 1_000_000
MAX_ROWS = 2000
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


def export_measures(roadmap: Roadmap) -> str:
    """The roadmap's measures as CSV text (semicolons, a header row), ready to import back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for measure in (
        Measure.objects.filter(roadmap=roadmap)
        .select_related("responsible_agency", "overseer")
        .order_by("pk")
    ):
        writer.writerow(
            [
                measure.number,
                measure.title,
                measure.description,
                measure.responsible_agency.code,
                measure.responsible_person,
                measure.responsible_email,
                measure.overseer.full_name if measure.overseer else "",
                measure.starts_on.isoformat(),
                measure.due_on.isoformat(),
                measure.status,
            ]
        )
    return buffer.getvalue()


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _read_text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRejected([_("The file is larger than 1 MB.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(
            [_("The file is not in UTF-8 encoding: save it as «CSV UTF-8» and try again.")]
        ) from error
    if not text.strip():
        raise ImportRejected([_("The file is empty.")])
    return text


def _parse_date(value: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _status_codes() -> dict[str, str]:
    """A status by its code or by its name in any of the site's languages («выполнено»)."""
    codes: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in ItemStatus.choices:
                codes[value] = value
                codes[str(label).lower()] = value
    return codes


def _line(number: int, message: str) -> str:
    return _("Line %(line)s: %(message)s") % {"line": number, "message": message}


def parse_measures(roadmap: Roadmap, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(line number, measure fields) of every row, or ImportRejected listing every bad row."""
    text = _read_text(data)
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    errors: list[str] = []
    if unknown:
        errors.append(_line(1, _("unknown columns: %(names)s.") % {"names": ", ".join(unknown)}))
    if missing:
        errors.append(
            _line(1, _("required columns are missing: %(names)s.") % {"names": ", ".join(missing)})
        )
    if errors:
        raise ImportRejected(errors)
    agencies = {a.code: a for a in Agency.objects.filter(region=roadmap.region)}
    members = {m.full_name: m for m in roadmap.members.all()}
    statuses = _status_codes()
    rows: list[tuple[int, dict[str, Any]]] = []
    numbers: dict[str, int] = {}
    for index, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRejected(
                [_("The file has more than %(count)s rows.") % {"count": MAX_ROWS}]
            )
        if len(values) != len(header):
            errors.append(
                _line(
                    index,
                    _("%(found)s values instead of %(expected)s (check the separators and quotes).")
                    % {"found": len(values), "expected": len(header)},
                )
            )
            continue
        row = {name: value.strip() for name, value in zip(header, values, strict=True)}
        problems: list[str] = []
        for name in REQUIRED:
            if not row.get(name):
                problems.append(_("«%(column)s» is empty") % {"column": name})
        fields: dict[str, Any] = {
            "number": row["number"],
            "title": row["title"],
            "description": row.get("description", ""),
            "responsible_person": row["responsible_person"],
            "responsible_email": row.get("responsible_email", ""),
        }
        if len(fields["number"]) > 20:
            problems.append(_("the number is longer than 20 characters"))
        if len(fields["title"]) > 500:
            problems.append(_("the title is longer than 500 characters"))
        if fields["number"] in numbers:
            problems.append(
                _("number %(number)s repeats line %(line)s")
                % {"number": fields["number"], "line": numbers[fields["number"]]}
            )
        elif fields["number"]:
            numbers[fields["number"]] = index
        if row["responsible_agency"]:
            agency = agencies.get(row["responsible_agency"])
            if agency is None:
                problems.append(
                    _("no agency with the code «%(code)s» in this region")
                    % {"code": row["responsible_agency"]}
                )
            fields["responsible_agency"] = agency
        if fields["responsible_email"]:
            try:
                validate_email(fields["responsible_email"])
            except ValidationError:
                problems.append(
                    _("«%(value)s» is not an e-mail address")
                    % {"value": fields["responsible_email"]}
                )
        overseer = row.get("overseer", "")
        if overseer:
            if overseer not in members:
                problems.append(
                    _("«%(name)s» is not a member of the working group") % {"name": overseer}
                )
            fields["overseer"] = members.get(overseer)
        else:
            fields["overseer"] = None
        for name in ("starts_on", "due_on"):
            if row[name]:
                parsed = _parse_date(row[name])
                if parsed is None:
                    problems.append(
                        _(
                            "«%(value)s» in «%(column)s» is not a date "
                            "(use 31.03.2025 or 2025-03-31)"
                        )
                        % {"value": row[name], "column": name}
                    )
                fields[name] = parsed
        if (
            fields.get("starts_on")
            and fields.get("due_on")
            and fields["due_on"] < fields["starts_on"]
        ):
            problems.append(_("the due date is before the start date"))
        status = row.get("status", "") or ItemStatus.PLANNED
        if status.lower() not in statuses:
            problems.append(
                _("unknown status «%(value)s» (one of: %(codes)s)")
                % {"value": status, "codes": ", ".join(ItemStatus.values)}
            )
        fields["status"] = statuses.get(status.lower(), ItemStatus.PLANNED)
        if problems:
            errors.append(_line(index, "; ".join(problems) + "."))
        else:
            rows.append((index, fields))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([_("The file has no measures, only a header.")])
    return rows


@transaction.atomic
def import_measures(
    *, roadmap: Roadmap, actor: Any, data: bytes, filename: str = ""
) -> ImportResult:
    """Add or update the file's measures, all or none; one audit event for the whole import."""
    services.ensure_can_run(actor, roadmap.region)
    rows = parse_measures(roadmap, data)
    existing = {m.number: m for m in Measure.objects.filter(roadmap=roadmap)}
    today = selectors.today_in(roadmap.region)
    created = updated = 0
    for _index, fields in rows:
        measure = existing.get(fields["number"])
        if measure is None:
            done = fields["status"] == ItemStatus.DONE
            Measure.objects.create(roadmap=roadmap, completed_on=today if done else None, **fields)
            created += 1
            continue
        changes = {k: v for k, v in fields.items() if getattr(measure, k) != v}
        if "status" in changes:
            changes["completed_on"] = today if changes["status"] == ItemStatus.DONE else None
        if changes:
            Measure.objects.filter(pk=measure.pk).update(
                **changes, revision=F("revision") + 1, updated_at=timezone.now()
            )
            updated += 1
    record_event(
        actor=actor,
        verb="roadmap.measures_imported",
        target=roadmap,
        data={"file": filename, "rows": len(rows), "created": created, "updated": updated},
    )
    return ImportResult(created=created, updated=updated)
