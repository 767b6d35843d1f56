"""Writing generated applications and cases fast: COPY lines on PostgreSQL, a citizen pool.

Shared by the commands that generate data for benchmarks and demos (`generate_cases` here,
`generate_history` in the quality app).
"""

import json
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models

from uslugi.applications.models import Application, Case

LAST_NAMES = ["Иванова", "Петров", "Сидорова", "Кузнецов", "Смирнова", "Попов", "Васильева"]
FIRST_NAMES = ["Мария", "Иван", "Анна", "Сергей", "Ольга", "Николай", "Елена", "Алексей"]

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class Answers(dict[str, Any]):
    """A citizen's answers, serialised once for COPY (they repeat across millions of rows)."""

    @property
    def json(self) -> str:
        if not hasattr(self, "_json"):
            self._json = json.dumps(self, ensure_ascii=False).translate(_ESCAPES)
        return self._json


def citizens(count: int, seed: int) -> list[tuple[int, str, str]]:
    """(id, name, e-mail) of `count` generated citizens, created once and reused."""
    model = get_user_model()
    prefix = f"generated-{seed}-"
    names = [f"{prefix}{index:06d}" for index in range(max(1, count))]
    model.objects.bulk_create(
        [
            model(
                username=name,
                password="!",  # unusable: generated people never log in
                last_name=LAST_NAMES[index % len(LAST_NAMES)],
                first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
                email=f"{name}@example.org",
            )
            for index, name in enumerate(names)
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    rows = model.objects.filter(username__startswith=prefix).order_by("username")
    return [
        (row.pk, f"{row.last_name} {row.first_name}", row.email)
        for row in rows.only("pk", "last_name", "first_name", "email")[:count]
    ]


def reserve_ids(count: int) -> int:
    """Move both id sequences past `count` new rows; returns the first id of the block."""
    with connection.cursor() as cursor:
        first = 1
        for model in (Application, Case):
            table = model._meta.db_table
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            first = max(first, cursor.fetchone()[0] + 1)
        for model in (Application, Case):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [model._meta.db_table, first + count],
            )
    return first


def columns_of(model: type[models.Model]) -> list[tuple[str, models.Field[Any, Any], Any]]:
    """(column, field, default) of every concrete field; the default fills what we do not set."""
    columns = []
    for field in model._meta.concrete_fields:
        default = None if field.null and not field.has_default() else field.get_default()
        columns.append((field.attname, field, default))
    return columns


def copy_lines(
    raw: Any, model: type[models.Model], columns: list[tuple[str, Any, Any]], lines: list[str]
) -> None:
    names = ", ".join(f'"{column.column}"' for _, column, _ in columns)
    with raw.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
        copy.write("".join(lines))


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, Answers):
        return value.json
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).translate(_ESCAPES)


def copy_line(columns: list[tuple[str, Any, Any]], values: dict[str, Any]) -> str:
    return "\t".join(_text(values.get(name, default)) for name, _, default in columns) + "\n"
