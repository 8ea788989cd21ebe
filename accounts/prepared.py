"""Read queries compiled to SQL once, then run many times: for the queries every request makes.

Django compiles a QuerySet to SQL each time it runs it; for a short query that costs
several times the round trip to the database (about 0.5 ms of CPU for the API key
lookup's joins and subquery, per request). A PreparedValues compiles its queryset
once per database connection, with a sample value in each parameter's place, and
then runs that SQL with the request's values, converting each column as the ORM's
``values()`` would (so PostgreSQL and SQLite answer alike). It goes through the
connection's cursor like any query: logged, counted, in the current transaction.

Only for exact-match parameters: each sample must reach the SQL unchanged but for the
field's own preparation (``get_db_prep_value``), where it is found and replaced.
"""

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, QuerySet


@dataclass(frozen=True)
class Param:
    """A parameter of a PreparedValues: the field that prepares its values, and a sample
    no real request would send (it marks the parameter's place in the compiled SQL)."""

    field: Field
    sample: Any


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[str | None, ...]  # for each SQL parameter: the Param it takes, or None
    names: tuple[str, ...]
    converters: dict


class PreparedValues:
    """``build(**samples)`` must return a ``.values(...)`` QuerySet."""

    def __init__(
        self, build: Callable[..., QuerySet], *, using: str = DEFAULT_DB_ALIAS, **params: Param
    ):
        self._build = build
        self._params = params
        self.using = using
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        connection = connections[self.using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        prepared = {
            name: param.field.get_db_prep_value(values[name], connection, prepared=False)
            for name, param in self._params.items()
        }
        params = [
            prepared[slot] if slot is not None else value
            for slot, value in zip(compiled.slots, compiled.params, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        rows = []
        for fetched_row in fetched:
            row = list(fetched_row)
            for position, (converters, expression) in compiled.converters.items():
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            rows.append(dict(zip(compiled.names, row, strict=True)))
        return rows

    def first(self, **values: Any) -> dict[str, Any] | None:
        rows = self.rows(**values)
        return rows[0] if rows else None

    def _compile(self, connection) -> _Compiled:
        queryset = self._build(**{name: p.sample for name, p in self._params.items()})
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        marks = {
            name: p.field.get_db_prep_value(p.sample, connection, prepared=False)
            for name, p in self._params.items()
        }
        slots = tuple(
            next((name for name, mark in marks.items() if _same(value, mark)), None)
            for value in params
        )
        missing = set(self._params) - set(slots)
        if missing:
            raise ValueError(f"parameters not found in the compiled SQL: {sorted(missing)}")
        if query.selected:
            names = tuple(query.selected)
        else:
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        if len(columns) != len(names):
            raise ValueError("PreparedValues needs a .values(...) queryset")
        return _Compiled(sql, tuple(params), slots, names, compiler.get_converters(columns))


def instance_from_row(model, db: str, row: dict[str, Any], attnames, *, prefix: str = ""):
    """A ``model`` instance loaded with the ``attnames`` of ``row`` (keys ``prefix`` +
    attname), the others deferred, as the ORM builds one (Model.from_db wants the values
    in the model's field order, whatever order they were asked in)."""
    wanted = set(attnames)
    loaded = [f.attname for f in model._meta.concrete_fields if f.attname in wanted]
    if len(loaded) != len(wanted):
        raise ValueError(f"not fields of {model.__name__}: {sorted(wanted - set(loaded))}")
    return model.from_db(db, loaded, [row[prefix + name] for name in loaded])


def _same(value: Any, mark: Any) -> bool:
    return type(value) is type(mark) and value == mark
