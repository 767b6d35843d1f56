"""Names for the few statements written by hand on hot paths, taken from the models' own meta.

A statement built once and run many times skips the ORM's per-call compilation, which for a small
lookup costs many times what the database takes to answer; naming tables and columns through the
models keeps such a statement in step with the migrations.
"""

from collections.abc import Callable

from django.db import connection, models


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], name: str) -> str:
    """The quoted column of the concrete field `name` (a foreign key's `…_id` column)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} has no column of its own")
    return connection.ops.quote_name(field.column)


_statements: dict[tuple[str, str], str] = {}


def statement(name: str, build: Callable[[], str]) -> str:
    """The statement `name` for this connection's database, built by `build` the first time."""
    key = (name, connection.vendor)
    written = _statements.get(key)
    if written is None:
        written = _statements[key] = build()
    return written
