"""``field__prefix="73.09"``: "inside this area" as an index range on every backend.

Registered by the regions app (the bottom layer), so every app can ask for rows inside an area.

On SQLite a LIKE is case-insensitive and skips the index, so the prefix becomes a range
(codes and name keys are ASCII). PostgreSQL answers ``LIKE 'p%'`` from the pattern-ops index
that Django creates for indexed text columns.
"""

from django.db.models import CharField, ForeignKey, Lookup


class Prefix(Lookup):
    lookup_name = "prefix"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        prefix = str(rhs_params[0])
        if connection.vendor == "postgresql":
            escaped = connection.ops.prep_for_like_query(prefix)
            return f"{lhs} LIKE %s", [*lhs_params, escaped + "%"]
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, *lhs_params, prefix + "\x7f"]


def register() -> None:
    CharField.register_lookup(Prefix)
    ForeignKey.register_lookup(Prefix)
