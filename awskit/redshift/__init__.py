"""Chapter 13: Amazon Redshift, a column-oriented data warehouse that answers big analytical
queries by running them in parallel over many slices.

A provisioned *cluster* has a leader node, which plans queries and merges results, and
compute nodes whose *slices* each own a share of every table.  How a table is spread over
the slices (its distribution style) and ordered on each (its sort key) decides how much
data a query reads and how much must cross the network: the lessons of this chapter.
Loading is done in bulk with COPY from S3.  Amazon Redshift Serverless (pay per use, no
nodes to manage) exists too; awskit models provisioned clusters.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=5)
>>> c = cloud.redshift.create_cluster("dw", node_type="ra3.xlplus", number_of_nodes=2,
...                                   master_username="awsuser", master_user_password="Secret123")
>>> cloud.clock.advance(minutes=10)
>>> _ = c.execute("CREATE TABLE t (k INT, v INT) DISTKEY(k)")
>>> _ = c.execute("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30), (4, 40)")
>>> c.table_distribution("t")
[1, 1, 0, 2]
"""

from .cluster import Cluster, ClusterNode, ClusterStatus, Snapshot, SnapshotStatus
from .connection import Connection, Cursor
from .load import LoadError
from .nodes import MANAGED_STORAGE_GB_MONTH, NODE_TYPES, RETIRED_NODE_TYPES, NodeType, node_type
from .query import QueryRecord, Result
from .service import ClusterSubnetGroup, RedshiftService
from .sql import parse
from .tables import (
    AUTO_ALL_MAX_ROWS,
    ROWS_PER_BLOCK,
    Column,
    ColumnType,
    DistStyle,
    SQLError,
    Table,
)

__all__ = [
    "AUTO_ALL_MAX_ROWS", "MANAGED_STORAGE_GB_MONTH", "NODE_TYPES", "RETIRED_NODE_TYPES", "ROWS_PER_BLOCK",
    "Cluster", "ClusterNode", "ClusterStatus", "ClusterSubnetGroup", "Column", "ColumnType", "Connection",
    "Cursor", "DistStyle", "LoadError", "NodeType", "QueryRecord", "RedshiftService", "Result", "SQLError",
    "Snapshot", "SnapshotStatus", "Table", "node_type", "parse",
]
