"""boto3-shaped ``client("redshift-data")``: run SQL without a connection, poll, fetch results."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from ..core.errors import InvalidParameter
from .base import BaseClient, check_type

__all__ = ["RedshiftDataClient"]


def _field(v: Any) -> dict[str, Any]:
    if v is None:
        return {"isNull": True}
    if isinstance(v, bool):
        return {"booleanValue": v}
    if isinstance(v, int):
        return {"longValue": v}
    if isinstance(v, float):
        return {"doubleValue": v}
    if isinstance(v, (Decimal, _dt.date, _dt.datetime)):
        return {"stringValue": v.isoformat(sep=" ") if isinstance(v, _dt.datetime) else str(v)}
    return {"stringValue": str(v)}


class RedshiftDataClient(BaseClient):
    """``cloud.client("redshift-data")``: execute_statement / describe_statement / get_statement_result."""

    service_name = "redshift-data"
    error_codes = ("ValidationException", "ResourceNotFoundException", "ExecuteStatementException")

    @property
    def _svc(self):
        return self._region.redshift

    def execute_statement(self, *, Sql, Database, ClusterIdentifier=None, DbUser=None, SecretArn=None,
                          WorkgroupName=None, Parameters=None, StatementName=None, WithEvent=None,
                          ClientToken=None, SessionKeepAliveSeconds=None, SessionId=None, ResultFormat=None):
        check_type("Sql", Sql, str)
        if WorkgroupName is not None:
            raise InvalidParameter("ValidationException", "Redshift Serverless workgroups are not modelled; "
                                                          "pass ClusterIdentifier.")
        if ClusterIdentifier is None:
            raise InvalidParameter("ValidationException", "ClusterIdentifier is required.")
        if Parameters:
            from ..redshift.connection import _literal
            for p in Parameters:
                Sql = Sql.replace(f":{p['name']}", _literal(p.get("value")))
        st = self._svc.execute_statement(ClusterIdentifier, Sql, Database, DbUser)
        return {"Id": st.id, "ClusterIdentifier": st.cluster.id, "Database": st.database, "DbUser": st.db_user,
                "CreatedAt": self._cloud.clock.to_datetime(st.created)}

    def describe_statement(self, *, Id):
        st = self._svc.get_statement(Id)
        clock = self._cloud.clock
        res = st.result
        out = {"Id": st.id, "Status": st.status, "QueryString": st.sql, "ClusterIdentifier": st.cluster.id,
               "Database": st.database, "DbUser": st.db_user, "CreatedAt": clock.to_datetime(st.created),
               "UpdatedAt": clock.to_datetime(st.updated or st.created),
               "Duration": int(st.duration_s * 1e9) if st.status in ("FINISHED", "FAILED") else -1,
               "HasResultSet": bool(res is not None and res.columns),
               "ResultRows": (len(res.rows) if res.columns else res.record.rows) if res is not None else -1,
               "RedshiftQueryId": res.record.query if res is not None else 0}
        if st.error:
            out["Error"] = st.error
        return out

    def get_statement_result(self, *, Id, NextToken=None):
        st = self._svc.get_statement(Id)
        if st.status != "FINISHED" or not st.result.columns:
            raise InvalidParameter("ValidationException", f"Query does not have result (status {st.status}). "
                                                          "Check describe_statement until it is FINISHED.")
        res = st.result
        return {"Records": [[_field(v) for v in row] for row in res.rows],
                "ColumnMetadata": [{"name": c, "label": c} for c in res.columns],
                "TotalNumRows": len(res.rows)}
