"""Chapter 2 widget: a live diagram of one VPC.

The diagram draws the VPC's block, one column per Availability Zone it uses, each subnet as
a box (green when public, blue when private) with its CIDR block, free addresses, route table
and network ACL, the internet gateway on the VPC's edge (grey when none is attached) and the
network interfaces as dots labelled with their addresses and security groups.  It listens
to ``vpc.*`` and ``az.*`` events: create a subnet, attach a gateway, add a route or fail an
AZ in another cell and the picture follows.  A failed AZ's column is drawn hatched in red.

The view holds no network logic: it reads the model through :func:`awskit.plots.vpc_layout`
and draws with :class:`awskit.plots.VPCRenderer` (the same drawing code as
:func:`awskit.plots.vpc_figure`).
"""

from __future__ import annotations

import html
import time

import ipywidgets as widgets

from ..core.errors import InvalidParameter
from ..plots import VPCLayout, VPCRenderer, vpc_layout
from ._base import Dashboard

__all__ = ["VPCDiagram"]


class VPCDiagram(Dashboard):
    """A diagram of one VPC that redraws itself when the model changes.

    Args:
        cloud: the awskit Cloud.
        vpc: the VPC (object or id) to draw; its Region may be any of the cloud's.

    What is drawn is readable without pixels: ``layout`` (an :class:`~awskit.plots.VPCLayout`),
    ``boxes`` (subnet id -> ``("public" | "private", label)``), ``dots`` (interface id ->
    label), ``igw`` (the attached gateway's id or None) and ``failed_azs``.
    ``redraw_count`` and ``last_redraw_ms`` tell how often and how fast it redrew.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> vpc = cloud.vpc.create_vpc("10.0.0.0/16")
    >>> diagram = VPCDiagram(cloud, vpc)
    >>> subnet = cloud.vpc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a")
    >>> diagram.boxes[subnet.id][0], diagram.redraw_count
    ('private', 2)
    >>> diagram.close()
    """

    topics = ("vpc.*", "az.*")

    def __init__(self, cloud, vpc) -> None:
        super().__init__(cloud)
        # Looking the VPC up may build the Region's network (and its default VPC), which
        # publishes events: the view ignores them until it is built (layout is None).
        self.layout: VPCLayout | None = None
        self.deleted = False
        try:
            self.vpc = _resolve_vpc(cloud, vpc)
        except Exception:
            self.close()  # stop listening: a half-built view must not receive events
            raise
        self.redraw_count = 0
        self.last_redraw_ms = 0.0
        self._renderer = VPCRenderer()
        self.image = widgets.Image(format="png")
        self.legend = widgets.HTML(
            "<span style='background:#e8f5e9;border:1px solid #2e7d32;padding:0 4px'>public subnet</span> "
            "<span style='background:#e3f2fd;border:1px solid #1565c0;padding:0 4px'>private subnet</span> "
            "<span style='color:#e65100'>&#9679;</span> interface with a public IP "
            "<span style='color:#455a64'>&#9679;</span> private only "
            "<span style='background:#ffebee;border:1px solid #c62828;padding:0 4px'>failed AZ</span>")
        self.summary = widgets.HTML()
        self.root = widgets.VBox([
            widgets.HTML(f"<b>VPC diagram</b> of <code>{html.escape(self.vpc.id)}</code>: it redraws when "
                         "the network changes"),
            self.image, self.legend, self.summary, self.status, self.output])
        self.refresh()

    # -- what is shown -----------------------------------------------------------------
    @property
    def boxes(self) -> dict[str, tuple[str, str]]:
        """subnet id -> (kind, label) of every subnet box drawn."""
        return {b.id: (b.kind, b.label) for b in self.layout.subnets}

    @property
    def dots(self) -> dict[str, str]:
        """interface id -> label of every interface drawn."""
        return {d.id: d.label for b in self.layout.subnets for d in b.enis}

    @property
    def igw(self) -> str | None:
        return self.layout.igw_id

    @property
    def failed_azs(self) -> tuple[str, ...]:
        return self.layout.failed_azs

    # -- reacting ----------------------------------------------------------------------
    def on_event(self, message) -> None:
        if self.layout is None:  # still being built
            return
        if message.topic == "vpc.vpc.deleted" and message.data.get("id") == self.vpc.id:
            self.deleted = True
            self.show_status(f"{self.vpc.id} was deleted; the picture shows it as it last was.")
            return
        if not self.deleted:
            self.refresh()

    def refresh(self, force: bool = False) -> bool:
        """Read the model and redraw if what is shown changed; returns whether it redrew."""
        layout = vpc_layout(self.vpc)
        if layout == self.layout and not force:
            return False
        start = time.perf_counter()
        self.layout = layout
        self.image.value = self._renderer.render(layout)
        self.summary.value = self._summary_html()
        self.last_redraw_ms = (time.perf_counter() - start) * 1000
        self.redraw_count += 1
        return True

    def _summary_html(self) -> str:
        layout = self.layout
        public = sum(1 for b in layout.subnets if b.kind == "public")
        igw = f"internet gateway <code>{layout.igw_id}</code> attached" if layout.igw_id else \
            "no internet gateway attached"
        failed = f"; failed AZs: {', '.join(layout.failed_azs)}" if layout.failed_azs else ""
        return (f"{len(layout.subnets)} subnets ({public} public, {len(layout.subnets) - public} private) "
                f"in {len(layout.azs)} AZs, {len(self.dots)} network interfaces; {igw}{failed}.")

    def __repr__(self) -> str:
        layout = self.layout
        if layout is None:
            return "VPCDiagram(<not built>)"
        return (f"VPCDiagram({layout.vpc_id!r}: {len(layout.subnets)} subnets in {len(layout.azs)} AZs, "
                f"igw={layout.igw_id!r}, redraws={self.redraw_count})")


def _resolve_vpc(cloud, vpc):
    from ..vpc import Vpc

    if isinstance(vpc, Vpc):
        return vpc.service.get_vpc(vpc)
    if isinstance(vpc, str):
        return cloud.vpc.get_vpc(vpc)
    raise InvalidParameter(
        "InvalidParameterValue",
        f"Pass a Vpc or its id ('vpc-...'), not {vpc!r}. "
        f"VPCs in {cloud.region_name}: {', '.join(v.id for v in cloud.vpc.vpcs) or 'none'}.")
