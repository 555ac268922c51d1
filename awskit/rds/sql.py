"""The stand-in engine: real SQL through Python's sqlite3, one in-memory database per DB
instance (and one per Aurora cluster volume).

``cloud.rds.connect(db, user, password)`` returns a DB-API 2.0 style connection (PEP 249:
``cursor()``, ``execute``, ``fetchall``, ``commit``, ``rollback``) so a student writes the
same code a ``pymysql`` or ``psycopg`` program would.  Every committed transaction is also
written, with its simulated commit time, to the instance's transaction log: that log is
what point-in-time restore replays, what a Multi-AZ standby applies synchronously and what
a read replica applies after its lag.

The dialect is SQLite's, whatever engine you chose; written-down differences:

* types are SQLite's (``INTEGER``, ``REAL``, ``TEXT``, ``BLOB``; ``VARCHAR(20)`` is accepted
  but not enforced), no ``AUTO_INCREMENT``/``SERIAL`` keyword (use ``INTEGER PRIMARY KEY``);
* no stored procedures, users, grants, ``CREATE DATABASE`` or ``SHOW TABLES``
  (``SELECT name FROM sqlite_master`` lists tables);
* parameters may be written ``?`` (qmark) or ``%s`` (format, as pymysql/psycopg use);
* all connections to one instance share one session: transactions are not isolated
  from each other, and DDL is transactional (as in PostgreSQL, unlike MySQL);
* functions that read the wall clock or randomness (``datetime('now')``, ``random()``)
  are not replayed exactly by point-in-time restore: pass such values as parameters.

Errors are shaped like the real engine's (MySQL's ``(1045, "Access denied for user ...")``,
PostgreSQL's ``password authentication failed``) and are :class:`~awskit.AWSError` s.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from ..core.errors import AWSError

__all__ = [
    "AuthenticationError",
    "ConnectTimeout",
    "Connection",
    "ConnectionLost",
    "Cursor",
    "DataError",
    "Database",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "ReadOnlyError",
    "Txn",
    "apilevel",
    "engine_error",
    "paramstyle",
    "threadsafety",
]

apilevel = "2.0"
threadsafety = 1
paramstyle = "qmark"


# -- PEP 249 errors, as awskit errors ---------------------------------------------------

class Error(AWSError):
    """Base of the SQL errors (PEP 249's ``Error``); also an :class:`AWSError`."""

    engine_code: Any = None


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class DataError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


class AuthenticationError(OperationalError, PermissionError):
    """Wrong user name or password."""


class ConnectTimeout(OperationalError, TimeoutError):
    """The network path drops the packets (a security group or network ACL), or nothing answers."""


class ConnectionLost(OperationalError, ConnectionError):
    """The server went away: a failover, a reboot, an outage of its Availability Zone."""


class ReadOnlyError(OperationalError):
    """A write sent to a read replica or an Aurora reader."""


def _flavour(engine: str) -> str:
    if "postgres" in engine:
        return "postgres"
    if engine.startswith("oracle"):
        return "oracle"
    if engine.startswith("sqlserver"):
        return "sqlserver"
    return "mysql"


# (class, awskit code, {flavour: (engine code, message template)})
_SHAPES: dict[str, tuple[type[Error], str, dict[str, tuple[Any, str]]]] = {
    "auth": (AuthenticationError, "AuthenticationFailed", {
        "mysql": (1045, "(1045, \"Access denied for user '{user}'@'{client}' (using password: YES)\")"),
        "postgres": ("28P01", ('connection to server at "{host}", port {port} failed: FATAL:  password '
                              'authentication failed for user "{user}"')),
        "oracle": ("ORA-01017", "ORA-01017: invalid username/password; logon denied"),
        "sqlserver": (18456, "Login failed for user '{user}'. (18456)"),
    }),
    "timeout": (ConnectTimeout, "ConnectTimeout", {
        "mysql": (2003, "(2003, \"Can't connect to MySQL server on '{host}' (timed out)\")"),
        "postgres": ("08001", 'connection to server at "{host}", port {port} failed: timeout expired'),
        "oracle": ("ORA-12170", "ORA-12170: TNS:Connect timeout occurred"),
        "sqlserver": ("HYT00", "Login timeout expired"),
    }),
    "refused": (OperationalError, "CannotConnect", {
        "mysql": (2003, "(2003, \"Can't connect to MySQL server on '{host}' ([Errno 111] Connection refused)\")"),
        "postgres": ("08001", 'connection to server at "{host}", port {port} failed: Connection refused'),
        "oracle": ("ORA-12541", "ORA-12541: TNS:no listener"),
        "sqlserver": ("08001", ("TCP Provider: No connection could be made because the target machine "
                               "actively refused it.")),
    }),
    "lost": (ConnectionLost, "ConnectionLost", {
        "mysql": (2013, "(2013, 'Lost connection to MySQL server during query')"),
        "postgres": ("08006", "server closed the connection unexpectedly"),
        "oracle": ("ORA-03113", "ORA-03113: end-of-file on communication channel"),
        "sqlserver": ("08S01", "Communication link failure"),
    }),
    "readonly": (ReadOnlyError, "ReadOnly", {
        "mysql": (1290, ("(1290, 'The MySQL server is running with the --read-only option so it cannot "
                        "execute this statement')")),
        "postgres": ("25006", "cannot execute {verb} in a read-only transaction"),
        "oracle": ("ORA-16000", "ORA-16000: database or pluggable database open for read-only access"),
        "sqlserver": (3906, "Failed to update database \"{database}\" because the database is read-only."),
    }),
    "nodb": (OperationalError, "UnknownDatabase", {
        "mysql": (1049, "(1049, \"Unknown database '{database}'\")"),
        "postgres": ("3D000", ('connection to server at "{host}", port {port} failed: FATAL:  database '
                              '"{database}" does not exist')),
        "oracle": ("ORA-12514", "ORA-12514: TNS:listener does not currently know of service requested"),
        "sqlserver": (4060, "Cannot open database \"{database}\" requested by the login. The login failed."),
    }),
}


def engine_error(kind: str, engine: str, detail: str = "", **fmt: Any) -> Error:
    """An error shaped like ``engine``'s own for ``kind`` (auth, timeout, refused, lost,
    readonly, nodb); ``detail`` is awskit's explanation, appended after `` -- ``."""
    cls, code, shapes = _SHAPES[kind]
    ecode, template = shapes[_flavour(engine)]
    fmt.setdefault("verb", "this statement")
    message = template.format(**{k: fmt.get(k, "?") for k in ("user", "client", "host", "port", "database",
                                                               "verb")})
    err = cls(code, message + (f" -- {detail}" if detail else ""))
    err.engine_code = ecode
    return err


# -- the data -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Txn:
    """One committed transaction: its simulated commit time and its writing statements."""

    time: float
    statements: tuple[tuple[str, Any, bool], ...]   # (sql, params, executemany?)


_READ_WORDS = {"SELECT", "EXPLAIN", "VALUES"}
_WRITE_RE = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def _first_word(sql: str) -> str:
    m = re.match(r"\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*([A-Za-z]+)", sql, re.DOTALL)
    return m.group(1).upper() if m else ""


def is_write(sql: str) -> bool:
    word = _first_word(sql)
    if word in _READ_WORDS:
        return False
    if word == "WITH":
        return bool(_WRITE_RE.search(sql))
    if word == "PRAGMA":
        return "=" in sql
    return True


def _adapt(sql: str, params: Any) -> str:
    """Accept the ``%s`` / ``%(name)s`` styles pymysql and psycopg use by rewriting them."""
    if params is None or "%" not in sql:
        return sql
    if isinstance(params, dict):
        return re.sub(r"%\((\w+)\)s", r":\1", sql)
    return sql.replace("%s", "?") if "?" not in sql else sql


class Database:
    """One sqlite3 in-memory database standing in for a DB engine's data.

    Writes open a transaction that :meth:`commit` closes, returning the :class:`Txn` to log.

    >>> db = Database()
    >>> _ = db.execute("CREATE TABLE t (x INTEGER)"); _ = db.execute("INSERT INTO t VALUES (?)", (1,))
    >>> txn = db.commit(5.0); txn.time, len(txn.statements)
    (5.0, 2)
    >>> db.execute("SELECT x FROM t").fetchall()
    [(1,)]
    """

    def __init__(self, source: Database | None = None) -> None:
        self._conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if source is not None:
            source._conn.backup(self._conn)
        self.pending: list[tuple[str, Any, bool]] = []

    def copy(self) -> Database:
        """A separate database with the same committed content."""
        return Database(self)

    def execute(self, sql: str, params: Any = None, *, many: bool = False) -> sqlite3.Cursor:
        write = is_write(sql)
        if write and not self.pending and not self._conn.in_transaction:
            self._conn.execute("BEGIN")
        args = () if params is None else params
        sql = _adapt(sql, params if not many else (next(iter(params), None) if params else None))
        if many:
            params = [tuple(p) if not isinstance(p, dict) else dict(p) for p in args]
            cur = self._conn.executemany(sql, params)
        else:
            params = (dict(args) if isinstance(args, dict) else tuple(args)) if params is not None else None
            cur = self._conn.execute(sql, () if params is None else params)
        if write:
            self.pending.append((sql, params, many))
        return cur

    def commit(self, now: float) -> Txn | None:
        """Commit the open transaction; the committed :class:`Txn` (None when nothing was written)."""
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")
        if not self.pending:
            return None
        txn = Txn(now, tuple(self.pending))
        self.pending = []
        return txn

    def rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        self.pending = []

    def apply(self, txn: Txn) -> None:
        """Replay a committed transaction (replication, point-in-time recovery)."""
        self.rollback()
        self._conn.execute("BEGIN")
        for sql, params, many in txn.statements:
            if many:
                self._conn.executemany(sql, params)
            else:
                self._conn.execute(sql, () if params is None else params)
        self._conn.execute("COMMIT")

    def dump(self) -> list[str]:
        """The committed content as SQL text (``iterdump``), to compare two copies."""
        return list(self._conn.iterdump())

    @property
    def size_bytes(self) -> int:
        pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
        size = self._conn.execute("PRAGMA page_size").fetchone()[0]
        return int(pages * size)

    def tables(self) -> list[str]:
        return [r[0] for r in self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]

    def __repr__(self) -> str:
        return f"Database(tables={self.tables()}, size_bytes={self.size_bytes})"


def _wrap_sqlite(exc: sqlite3.Error) -> Error:
    if isinstance(exc, sqlite3.IntegrityError):
        return IntegrityError("IntegrityError", str(exc))
    if isinstance(exc, sqlite3.DataError):
        return DataError("DataError", str(exc))
    if isinstance(exc, (sqlite3.OperationalError, sqlite3.ProgrammingError)):
        return ProgrammingError("ProgrammingError", f"{exc} (awskit runs SQLite's dialect as the stand-in engine)")
    if isinstance(exc, sqlite3.NotSupportedError):
        return NotSupportedError("NotSupportedError", str(exc))
    return DatabaseError("DatabaseError", str(exc))


# -- DB-API connection and cursor ------------------------------------------------------------

@dataclass(slots=True)
class _Route:
    """What a connection talks to: given by the service (an RDS instance or an Aurora endpoint)."""

    database: Callable[[bool], Database]      # write? -> the Database, raising when unavailable
    commit: Callable[[Database], None]        # commit the open transaction and log/replicate it
    check: Callable[[], None]                 # raise ConnectionLost when the session was broken
    label: str
    engine: str
    instance: Any = None                      # the DB instance the session landed on
    stats: dict[str, int] = field(default_factory=dict)


class Connection:
    """A DB-API 2.0 style connection to a simulated DB instance (see the module docstring).

    Use as a context manager to commit on success and roll back on an error, like sqlite3.
    """

    def __init__(self, route: _Route, *, user: str, database: str | None) -> None:
        self._route = route
        self.user = user
        self.database = database
        self.closed = False
        self.on_close: Callable[[Connection], None] | None = None

    @property
    def host(self) -> str:
        """The name connected to (an instance, cluster or reader endpoint)."""
        return self._route.label

    @property
    def server_id(self) -> str | None:
        """The DB instance that answers this session (a reader endpoint picks one per connection)."""
        inst = self._route.instance
        return getattr(inst, "id", None)

    def _live(self) -> None:
        if self.closed:
            raise InterfaceError("InterfaceError", "The connection is closed: connect again.")
        self._route.check()

    def cursor(self) -> Cursor:
        self._live()
        return Cursor(self)

    def execute(self, sql: str, params: Any = None) -> Cursor:
        """A shortcut: a new cursor that has executed ``sql``."""
        return self.cursor().execute(sql, params)

    def executemany(self, sql: str, seq_of_params: Iterable[Any]) -> Cursor:
        return self.cursor().executemany(sql, seq_of_params)

    def commit(self) -> None:
        self._live()
        self._route.commit(self._route.database(False))

    def rollback(self) -> None:
        self._live()
        self._route.database(False).rollback()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.on_close is not None:
                self.on_close(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.closed:
            return
        if exc_type is None:
            self.commit()
        else:
            try:
                self.rollback()
            except Error:
                pass

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"Connection({self._route.label!r}, user={self.user!r}, {state})"


class Cursor:
    """A DB-API cursor: ``execute`` then ``fetchone`` / ``fetchmany`` / ``fetchall``."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._cur: sqlite3.Cursor | None = None
        self._rows: list[tuple] = []
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.description: tuple | None = None

    def _run(self, sql: Any, params: Any, many: bool) -> Cursor:
        conn = self.connection
        conn._live()
        if not isinstance(sql, str):
            raise ProgrammingError("ProgrammingError", f"SQL must be a string, not {type(sql).__name__}.")
        route = conn._route
        write = is_write(sql)
        word = _first_word(sql)
        if word in ("COMMIT", "END"):
            conn.commit()
            return self
        if word == "ROLLBACK":
            conn.rollback()
            return self
        if word in ("BEGIN", "START"):
            return self
        db = route.database(write)
        route.stats["writes" if write else "reads"] = route.stats.get("writes" if write else "reads", 0) + 1
        try:
            cur = db.execute(sql, params, many=many)
            self._rows = cur.fetchall() if cur.description else []
        except sqlite3.Error as exc:
            raise _wrap_sqlite(exc) from None
        except (TypeError, ValueError) as exc:
            raise ProgrammingError("ProgrammingError", f"Bad parameters for {sql!r}: {exc}") from None
        self.description = cur.description
        self.rowcount = cur.rowcount if not cur.description else len(self._rows)
        self.lastrowid = cur.lastrowid
        return self

    def execute(self, sql: str, params: Sequence[Any] | dict | None = None) -> Cursor:
        return self._run(sql, params, False)

    def executemany(self, sql: str, seq_of_params: Iterable[Any]) -> Cursor:
        return self._run(sql, list(seq_of_params), True)

    def fetchone(self) -> tuple | None:
        return self._rows.pop(0) if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[tuple]:
        n = self.arraysize if size is None else size
        out, self._rows = self._rows[:n], self._rows[n:]
        return out

    def fetchall(self) -> list[tuple]:
        out, self._rows = self._rows, []
        return out

    def __iter__(self) -> Iterator[tuple]:
        while self._rows:
            yield self._rows.pop(0)

    def close(self) -> None:
        self._rows = []

    def setinputsizes(self, sizes: Any) -> None:  # PEP 249: may do nothing
        pass

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        pass

    def __repr__(self) -> str:
        return f"Cursor(rowcount={self.rowcount}, pending_rows={len(self._rows)})"
