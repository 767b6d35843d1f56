"""Names for the few statements written by hand on hot paths, taken from the models' own meta.

A statement built once and run many times skips the ORM's per-call compilation, which for a small
lookup costs many times what the database takes to answer; naming tables and columns through the
models keeps such a statement in step with the migrations.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.signals import post_save, pre_save
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=models.Model)


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


class Writes:
    """The rows (and upserts) of one transaction, prepared before it opens and run by `write`.

    On SQLite a write transaction holds the database's one write lock from BEGIN to COMMIT, so
    every other writer waits for whatever Python runs in between; intake filed a few hundred
    applications a second however fast each one was checked. Here each row is prepared as
    `save(force_insert=True)` prepares it — pre_save signal, auto_now values, every value
    converted for the database — and the transaction then only runs the statements. What a row
    can know only once an earlier row of the same batch has its primary key is filled in as
    it is written: a foreign key to an instance queued before it, and `later` values (a key
    naming a new row's pk, say), computed just before the row's insert.
    """

    def __init__(self) -> None:
        self._steps: list[_Row | tuple[str, list[Any]] | Callable[[], Any]] = []
        self._on_commit: list[Callable[[], Any]] = []

    def insert(self, obj: models.Model, **later: Callable[[], Any]) -> None:
        """Queue `obj`'s insert (see `insert`); `later` maps fields to functions giving their
        values when the row is written."""
        self._steps.append(_Row(obj, later))

    def execute(self, statement_: str, params: list[Any]) -> None:
        """Queue a statement written by hand (an upsert of counts, say)."""
        self._steps.append((statement_, params))

    def then(self, function: Callable[[], Any]) -> None:
        """Queue a call at this point of the writing (a signal that a row now exists, say)."""
        self._steps.append(function)

    def on_commit(self, function: Callable[[], Any]) -> None:
        """Call `function` once the transaction that writes these rows commits."""
        self._on_commit.append(function)

    def write(self) -> None:
        """Run the queued statements in order, in the transaction the caller has opened."""
        database = connections[DEFAULT_DB_ALIAS]
        if not database.in_atomic_block:
            raise TransactionManagementError("Writes.write() runs inside transaction.atomic()")
        with database.cursor() as cursor:
            for step in self._steps:
                if isinstance(step, _Row):
                    step.write(cursor, database)
                elif isinstance(step, tuple):
                    cursor.execute(*step)
                else:
                    step()
        for function in self._on_commit:
            transaction.on_commit(function)


def insert(obj: models.Model) -> None:
    """Insert `obj` as `obj.save(force_insert=True)` does — the same pre_save and post_save
    signals, auto_now values, related instances' keys and primary key read back — with its
    statement built once per model and database vendor.

    For the rows written on every request of a hot path (intake, the audit log): Django
    compiles a model's INSERT anew on every save, at several times what the database takes to
    run it. Only plain models qualify (no parents, no database defaults, no generated columns;
    values, not expressions); anything else is refused rather than written differently from
    `save`. The model's own `save` method is not called: a model whose `save` does something on
    insert must not be written here.
    """
    database = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` looks it up on every use
    with database.cursor() as cursor:
        _Row(obj, {}).write(cursor, database)


@dataclass(frozen=True)
class _Insert:
    """A model's INSERT for this database, with what preparing a row needs to know of it."""

    statement: str
    fields: list[models.Field[Any, Any]]  # in the statement's order
    relations: list[int]  # positions of the foreign keys among `fields`
    returns_pk: bool


_inserts: dict[tuple[type[models.Model], str], _Insert] = {}


class _Row:
    """One prepared insert of a model instance (see `insert` and `Writes`)."""

    def __init__(self, obj: models.Model, later: dict[str, Callable[[], Any]]) -> None:
        model = type(obj)
        database = connections[DEFAULT_DB_ALIAS]
        key = (model, database.vendor)
        prepared = _inserts.get(key)
        if prepared is None:
            prepared = _inserts[key] = _insert_statement(model, database)
        meta = model._meta
        if prepared.returns_pk and obj.pk is not None:
            raise TypeError(f"{meta.label}: sql.insert numbers new rows itself; this one has a pk")
        pre_save.send(
            sender=model, instance=obj, raw=False, using=database.alias, update_fields=None
        )
        fields = prepared.fields
        self.prepared, self.obj = prepared, obj
        self.waiting = _related_fields_for_save(obj, fields, prepared.relations)
        if obj.pk is None and not prepared.returns_pk:
            obj.pk = meta.pk.get_pk_value_on_save(obj)  # a default such as uuid4
        positions = {field.name: index for index, field in enumerate(fields)}
        self.later = [(positions[name], function) for name, function in later.items()]
        self.params: list[Any] = []
        for index, field in enumerate(fields):
            value = None if index in self.waiting else field.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"{meta.label}.{field.name}: sql.insert writes values only")
            self.params.append(field.get_db_prep_save(value, connection=database))

    def write(self, cursor: Any, database: Any) -> None:
        obj, params, fields = self.obj, self.params, self.prepared.fields
        for index in self.waiting:
            field = fields[index]
            related = field.get_cached_value(obj)  # type: ignore[attr-defined]
            if not related._is_pk_set():
                raise ValueError(
                    f"save() prohibited to prevent data loss due to unsaved related object "
                    f"'{field.name}'."
                )
            setattr(obj, field.name, related)
            params[index] = field.get_db_prep_save(getattr(obj, field.attname), database)
        for index, function in self.later:
            field = fields[index]
            setattr(obj, field.attname, function())
            params[index] = field.get_db_prep_save(getattr(obj, field.attname), database)
        cursor.execute(self.prepared.statement, params)
        if self.prepared.returns_pk:
            row = cursor.fetchone() if database.features.can_return_columns_from_insert else None
            obj.pk = row[0] if row is not None else cursor.lastrowid
        obj._state.adding = False
        obj._state.db = database.alias
        post_save.send(
            sender=type(obj),
            instance=obj,
            created=True,
            update_fields=None,
            raw=False,
            using=database.alias,
        )


def _related_fields_for_save(
    obj: models.Model, fields: list[models.Field[Any, Any]], relations: list[int]
) -> list[int]:
    """Django's check of related instances before a save (`Model._prepare_related_fields_for_
    save`), for the foreign keys alone; returns the positions of those whose instance has no pk
    yet: queued in the same `Writes` before this row, they are filled in as it is written."""
    waiting = []
    for index in relations:
        field: Any = fields[index]
        if not field.is_cached(obj):
            continue
        related = field.get_cached_value(obj)
        if not related:
            continue
        if not related._is_pk_set():
            waiting.append(index)
            continue
        if getattr(obj, field.attname) in field.empty_values:
            setattr(obj, field.name, related)
        if getattr(related, field.target_field.attname) != getattr(obj, field.attname):
            field.delete_cached_value(obj)
    return waiting


def _insert_statement(model: type[models.Model], database: Any) -> _Insert:
    meta = model._meta
    if meta.parents or meta.private_fields:
        raise TypeError(f"{meta.label}: sql.insert writes models without parents or generic keys")
    auto = meta.auto_field
    fields = [field for field in meta.local_concrete_fields if field is not auto]
    refused = [field.name for field in fields if field.generated or field.has_db_default()]
    if refused or any(getattr(field, "get_placeholder", None) for field in fields):
        raise TypeError(f"{meta.label}: sql.insert cannot write {', '.join(refused)}")
    quote = database.ops.quote_name
    statement_ = (
        f"{database.ops.insert_statement()} {quote(meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    returns_pk = auto is not None
    if returns_pk and database.features.can_return_columns_from_insert:
        returning, _params = database.ops.return_insert_columns([auto])
        statement_ = f"{statement_} {returning}"
    relations = [index for index, field in enumerate(fields) if field.is_relation]
    return _Insert(statement_, fields, relations, returns_pk)


_Converters = list[tuple[int, list[Any], Any]]  # (column, converter functions, expression)
_gets: dict[tuple[type[models.Model], str], tuple[str, list[str], _Converters]] = {}


def get(model: type[M], pk: Any) -> M | None:
    """The row of `model` with primary key `pk` as its default manager's `get(pk=pk)` would load
    it (every concrete field, through the same converters), or None; the statement built once.

    For the reads made on every request (the logged-in user): the ORM compiles the query anew
    each time, which costs several times the lookup itself. Only for models whose default
    manager filters nothing.
    """
    database = connections[DEFAULT_DB_ALIAS]
    key = (model, database.vendor)
    prepared = _gets.get(key)
    if prepared is None:
        prepared = _gets[key] = _get_statement(model, database)
    statement_, attnames, converters = prepared
    with database.cursor() as cursor:
        cursor.execute(statement_, [model._meta.pk.get_db_prep_value(pk, database)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, functions, expression in converters:
        for function in functions:
            values[index] = function(values[index], expression, database)
    return model.from_db(database.alias, attnames, values)


def _get_statement(model: type[models.Model], database: Any) -> tuple[str, list[str], _Converters]:
    """(statement, the attribute of each column, (column, converters, expression) where the
    backend or the field converts what the database returns — as the ORM's compiler does)."""
    meta = model._meta
    fields = list(meta.concrete_fields)
    quote = database.ops.quote_name
    statement_ = (
        f"SELECT {', '.join(quote(field.column) for field in fields)} "
        f"FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"
    )
    converters = []
    for index, field in enumerate(fields):
        expression = field.get_col(meta.db_table)
        functions = database.ops.get_db_converters(expression) + expression.get_db_converters(
            database
        )
        if functions:
            converters.append((index, functions, expression))
    return statement_, [field.attname for field in fields], converters
