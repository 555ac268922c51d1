"""Redshift node types: what one node of a cluster brings (vCPU, memory, slices, storage, price).

A provisioned Redshift cluster is built from identical nodes.  Each compute node is split
into *slices*, and a slice is the unit of parallel work: it owns a share of every table's
rows and scans them at the same time as every other slice.  More slices, more parallelism.

Node families offered today (AWS's CreateCluster accepts exactly these node types):

* **RA3** (``ra3.large``, ``ra3.xlplus``, ``ra3.4xlarge``, ``ra3.16xlarge``): compute is
  separate from *Redshift Managed Storage* (RMS), which keeps hot blocks on local SSD and
  the rest in S3, billed per GB-month.  AWS recommends RA3 for new clusters.
* **DC2** (``dc2.large``, ``dc2.8xlarge``): "dense compute", storage on local NVMe SSD
  inside the node; data must fit on the nodes.
* **DS2** (dense storage on HDD) and the older **DC1** are retired: AWS no longer lets you
  create them and tells DS2 owners to move to RA3 (elastic resize or snapshot/restore).

Numbers follow AWS's "Node type details" table (management guide, checked 2026);
prices are approximate us-east-1 on-demand rates, US dollars per node-hour, as published
in 2025-2026.  Amazon Redshift Serverless also exists (capacity in RPUs, billed per
second of use, no nodes to choose); awskit models provisioned clusters only.

>>> node_type("ra3.4xlarge").slices
4
>>> try:
...     node_type("ds2.xlarge")
... except ValueError as err:
...     print(err.code)
InvalidParameterValue
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import InvalidParameter

__all__ = ["MANAGED_STORAGE_GB_MONTH", "NODE_TYPES", "RETIRED_NODE_TYPES", "NodeType", "node_type"]

#: RA3 managed storage, USD per GB-month (us-east-1, approximate).
MANAGED_STORAGE_GB_MONTH = 0.024


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeType:
    """One node type and what a node of it brings."""

    name: str
    family: str
    vcpu: int
    memory_gib: int
    slices: int                 #: default slices per node
    storage_gb: int             #: local SSD (DC2) or managed-storage quota per node (RA3)
    storage_kind: str           #: "NVMe-SSD" or "RMS"
    single_node: bool           #: may a cluster be a single node of this type?
    min_nodes: int              #: smallest multi-node cluster
    max_nodes: int              #: largest cluster CreateCluster accepts
    hourly: float               #: USD per node-hour, on-demand, approximate

    @property
    def managed_storage(self) -> bool:
        """True for RA3: storage is billed separately per GB-month."""
        return self.family == "ra3"

    def node_range(self) -> str:
        """The node counts CreateCluster accepts, as AWS prints it (``1-16``)."""
        return f"{1 if self.single_node else self.min_nodes}-{self.max_nodes}"

    def __repr__(self) -> str:
        return (f"NodeType({self.name!r}, vcpu={self.vcpu}, memory_gib={self.memory_gib}, "
                f"slices={self.slices}, nodes={self.node_range()}, ${self.hourly}/h)")


def _nt(name, family, vcpu, mem, slices, storage_gb, kind, single, lo, hi, hourly) -> NodeType:
    return NodeType(name=name, family=family, vcpu=vcpu, memory_gib=mem, slices=slices, storage_gb=storage_gb,
                    storage_kind=kind, single_node=single, min_nodes=lo, max_nodes=hi, hourly=hourly)


#: The node types CreateCluster accepts today.
NODE_TYPES: dict[str, NodeType] = {n.name: n for n in (
    _nt("ra3.large", "ra3", 2, 16, 2, 8_192, "RMS", True, 2, 16, 0.543),
    _nt("ra3.xlplus", "ra3", 4, 32, 2, 32_768, "RMS", True, 2, 32, 1.086),
    _nt("ra3.4xlarge", "ra3", 12, 96, 4, 131_072, "RMS", False, 2, 32, 3.26),
    _nt("ra3.16xlarge", "ra3", 48, 384, 16, 131_072, "RMS", False, 2, 128, 13.04),
    _nt("dc2.large", "dc2", 2, 15, 2, 160, "NVMe-SSD", True, 2, 32, 0.25),
    _nt("dc2.8xlarge", "dc2", 32, 244, 16, 2_560, "NVMe-SSD", False, 2, 128, 4.80),
)}

#: Node types AWS no longer offers, with what to use instead.
RETIRED_NODE_TYPES: dict[str, str] = {
    "ds2.xlarge": "ra3.xlplus or ra3.4xlarge",
    "ds2.8xlarge": "ra3.4xlarge or ra3.16xlarge",
    "dc1.large": "dc2.large or ra3.large",
    "dc1.8xlarge": "dc2.8xlarge or ra3.4xlarge",
}


def node_type(name: object) -> NodeType:
    """The :class:`NodeType` called ``name``.

    Raises:
        InvalidParameterValue: an unknown or retired node type (the message lists today's).
    """
    nt = NODE_TYPES.get(name) if isinstance(name, str) else None
    if nt is not None:
        return nt
    valid = ", ".join(NODE_TYPES)
    if isinstance(name, str) and name in RETIRED_NODE_TYPES:
        raise InvalidParameter(
            "InvalidParameterValue",
            f"Node type {name} is retired: AWS no longer creates {name.split('.')[0].upper()} nodes. "
            f"Use {RETIRED_NODE_TYPES[name]} instead (valid node types: {valid}).")
    raise InvalidParameter("InvalidParameterValue", f"Invalid node type: {name!r}. Valid node types: {valid}.")
