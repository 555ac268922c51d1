"""The VPC diagram: a VPC's AZ columns, subnet boxes, internet gateway and network interfaces.

Drawn in two steps.  :func:`vpc_layout` reads the model and returns plain data (what is drawn
where, with which label); it needs no matplotlib, so tests and widgets compare layouts and check
what a picture shows without reading pixels.  :func:`draw_vpc` draws a layout on a Figure;
:func:`vpc_figure` does both for a notebook, and :class:`VPCRenderer` redraws a layout fast by
keeping each subnet box as a tile of pixels (the :class:`~awskit.widgets.VPCDiagram` widget).

>>> from awskit import Cloud
>>> cloud = Cloud(seed=3)
>>> vpc = cloud.vpc.create_vpc("10.0.0.0/16", tags={"Name": "shop"})
>>> _ = cloud.vpc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a")
>>> layout = vpc_layout(vpc)
>>> [(b.kind, str(b.cidr), b.free) for b in layout.subnets], layout.igw_id
([('private', '10.0.1.0/24', 251)], None)
>>> fig = vpc_figure(vpc)
>>> fig.png()[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from .figures import figure_png, new_figure

__all__ = [
    "DiagramFigure",
    "EniDot",
    "SubnetBox",
    "VPCLayout",
    "VPCRenderer",
    "draw_vpc",
    "vpc_figure",
    "vpc_layout",
]

#: colours of the VPC diagram: (face, edge)
PUBLIC_COLOURS = ("#e8f5e9", "#2e7d32")
PRIVATE_COLOURS = ("#e3f2fd", "#1565c0")
#: at most this many interfaces are drawn per subnet ("+ N more" for the rest)
MAX_DOTS = 4


@dataclass(slots=True, frozen=True)
class EniDot:
    """One network interface as the diagram shows it."""

    id: str
    label: str
    private_ip: str
    public_ip: str | None
    groups: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class SubnetBox:
    """One subnet as the diagram shows it: its kind decides the colour."""

    id: str
    az: str
    kind: str  # "public" | "private"
    cidr: str
    free: int
    route_table_id: str
    network_acl_id: str
    name: str | None
    enis: tuple[EniDot, ...] = ()

    @property
    def label(self) -> str:
        """The text drawn in the box (also what ``VPCDiagram.boxes`` reports)."""
        name = f" ({self.name})" if self.name else ""
        return (f"{self.kind} {self.id}{name}\n{self.cidr} · {self.free} free IPs\n"
                f"{self.route_table_id} · {self.network_acl_id}")


@dataclass(slots=True, frozen=True)
class VPCLayout:
    """Everything the VPC diagram draws, as plain data; equal layouts draw the same picture."""

    vpc_id: str
    title: str
    cidr: str
    igw_id: str | None  # the attached internet gateway, None when none is attached
    azs: tuple[str, ...]  # one column per AZ that holds a subnet, in name order
    failed_azs: tuple[str, ...]
    subnets: tuple[SubnetBox, ...] = field(default=())

    def column(self, az: str) -> list[SubnetBox]:
        return [s for s in self.subnets if s.az == az]


def _eni_dot(eni) -> EniDot:
    groups = tuple(g.group_name for g in eni.security_groups)
    public = str(eni.public_ip) if eni.public_ip is not None else None
    who = eni.name or eni.id
    ips = str(eni.private_ip_address) + (f" / {public}" if public else "")
    return EniDot(id=eni.id, label=f"{who}: {ips} [{', '.join(groups)}]",
                  private_ip=str(eni.private_ip_address), public_ip=public, groups=groups)


def vpc_layout(vpc, failed_azs=None) -> VPCLayout:
    """What the diagram of ``vpc`` shows, read from the model.

    Args:
        vpc: a :class:`~awskit.vpc.Vpc`.
        failed_azs: names of failed AZs (default: the VPC's cloud's ``failed_azs``).
    """
    from ..core.errors import InvalidParameter
    from ..vpc import Vpc

    if not isinstance(vpc, Vpc):
        raise InvalidParameter("InvalidParameterValue",
                               f"vpc_layout() draws a Vpc object (cloud.vpc.get_vpc('vpc-...')), not {vpc!r}.")
    if failed_azs is None:
        failed_azs = vpc.service.cloud.failed_azs
    subnets = sorted(vpc.subnets, key=lambda s: (s.availability_zone.name, s.cidr_block))
    boxes = tuple(
        SubnetBox(id=s.id, az=s.availability_zone.name, kind="public" if s.is_public else "private",
                  cidr=str(s.cidr_block), free=s.available_ip_address_count,
                  route_table_id=s.route_table.id, network_acl_id=s.network_acl.id, name=s.name,
                  enis=tuple(_eni_dot(e) for e in sorted(s.network_interfaces, key=lambda e: e.private_ip_address)))
        for s in subnets)
    azs = tuple(sorted({b.az for b in boxes}))
    igw = vpc.internet_gateway
    name = f" ({vpc.name})" if vpc.name else ""
    default = " - default VPC" if vpc.is_default else ""
    return VPCLayout(vpc_id=vpc.id, title=f"{vpc.id}{name}  {vpc.cidr_block}{default}", cidr=str(vpc.cidr_block),
                     igw_id=igw.id if igw is not None else None, azs=azs,
                     failed_azs=tuple(a for a in azs if a in failed_azs), subnets=boxes)


# -- drawing ----------------------------------------------------------------------------------

_COL_W = 2.75     # inches per AZ column
_MARGIN = 0.2
_IGW_Y = 0.5      # the VPC's top edge, where the internet gateway sits
_TITLE_Y = 0.82
_AZ_Y = 1.02      # top of the AZ columns
_AZ_HEAD = 0.3
_BOX_BASE = 0.62  # a subnet box without interfaces
_DOT_ROW = 0.17
_GAP = 0.12
_PAD = 0.06       # room around a box tile for its border


def _box_height(box: SubnetBox) -> float:
    rows = min(len(box.enis), MAX_DOTS) + (1 if len(box.enis) > MAX_DOTS else 0)
    return _BOX_BASE + rows * _DOT_ROW


@dataclass(slots=True, frozen=True)
class _Geometry:
    width: float
    height: float
    columns: tuple[tuple[str, float], ...]                        # (az, left x)
    boxes: tuple[tuple[SubnetBox, float, float, float, float], ...]  # (box, x, y, w, h)


def _geometry(layout: VPCLayout) -> _Geometry:
    """Where everything goes, in inches from the top-left corner."""
    columns, boxes, bottom = [], [], _AZ_Y + _AZ_HEAD + 0.5
    for col, az in enumerate(layout.azs):
        x0 = _MARGIN + col * _COL_W
        columns.append((az, x0))
        y = _AZ_Y + _AZ_HEAD
        for box in layout.column(az):
            h = _box_height(box)
            boxes.append((box, x0 + 0.12, y, _COL_W - 0.24, h))
            y += h + _GAP
        bottom = max(bottom, y)
    width = max(1, len(layout.azs)) * _COL_W + 2 * _MARGIN
    return _Geometry(width, bottom + _MARGIN + 0.05, tuple(columns), tuple(boxes))


def _draw_frame(ax, layout: VPCLayout, geom: _Geometry) -> None:
    """The VPC, its title, the internet gateway, the AZ columns and the gateway's links."""
    from matplotlib.patches import Rectangle

    width, height = geom.width, geom.height
    ax.add_patch(Rectangle((_MARGIN * 0.5, _IGW_Y), width - _MARGIN, height - _IGW_Y - _MARGIN * 0.5,
                           facecolor="#fafafa", edgecolor="#546e7a", linewidth=1.4))
    ax.text(_MARGIN, _TITLE_Y, f"VPC {layout.title}", fontsize=8.5, fontweight="bold", va="center",
            color="#263238")
    gx = width / 2
    if layout.igw_id:
        ax.text(gx, 0.14, "the internet", fontsize=7.5, ha="center", va="center", color="#e65100")
        ax.plot([gx, gx], [0.24, _IGW_Y - 0.12], color="#e65100", linewidth=1.2)
        ax.text(gx, _IGW_Y, f"internet gateway {layout.igw_id}", fontsize=7.5, ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fff3e0", "edgecolor": "#e65100", "linewidth": 1.2})
    else:
        ax.text(gx, _IGW_Y, "no internet gateway attached", fontsize=7.5, ha="center", va="center",
                color="#9e9e9e", bbox={"boxstyle": "round,pad=0.3", "facecolor": "#eeeeee", "edgecolor": "#bdbdbd",
                                           "linestyle": "--", "linewidth": 1})
    if not layout.azs:
        ax.text(width / 2, _AZ_Y + 0.4, "no subnets yet: create_subnet(vpc, cidr, availability_zone=...)",
                fontsize=7.5, ha="center", va="center", color="#757575")
    failed = set(layout.failed_azs)
    for az, x0 in geom.columns:
        down = az in failed
        ax.add_patch(Rectangle((x0 + 0.04, _AZ_Y), _COL_W - 0.08, height - _AZ_Y - _MARGIN,
                               facecolor="#ffebee" if down else "none", edgecolor="#c62828" if down else "#b0bec5",
                               hatch="///" if down else None, linestyle="-" if down else ":", linewidth=1.0))
        ax.text(x0 + _COL_W / 2, _AZ_Y + _AZ_HEAD / 2, f"{az}  (FAILED)" if down else az, fontsize=8,
                ha="center", va="center", color="#c62828" if down else "#37474f",
                fontweight="bold" if down else "normal")
    if layout.igw_id:
        for box, x, y, w, _h in geom.boxes:
            if box.kind == "public":
                ax.plot([gx, x + w / 2], [_IGW_Y + 0.12, y], color="#e65100", linewidth=0.7, alpha=0.55,
                        linestyle="--")


def _draw_box(ax, box: SubnetBox, x: float, y: float, w: float, h: float) -> None:
    """One subnet: a coloured box, its label, and a dot per network interface."""
    from matplotlib.patches import FancyBboxPatch

    face, edge = PUBLIC_COLOURS if box.kind == "public" else PRIVATE_COLOURS
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.05",
                                facecolor=face, edgecolor=edge, linewidth=1.3))
    ax.text(x + 0.07, y + 0.05, box.label, fontsize=6.5, va="top", ha="left", color="#212121", linespacing=1.25)
    dy = y + _BOX_BASE - 0.04
    for dot in box.enis[:MAX_DOTS]:
        ax.plot([x + 0.12], [dy + 0.06], "o", markersize=4.5, color="#e65100" if dot.public_ip else "#455a64")
        ax.text(x + 0.22, dy + 0.06, dot.label, fontsize=6, va="center", ha="left", color="#263238")
        dy += _DOT_ROW
    if len(box.enis) > MAX_DOTS:
        ax.text(x + 0.22, dy + 0.06, f"+ {len(box.enis) - MAX_DOTS} more interfaces", fontsize=6,
                va="center", color="#616161")


def _inch_axes(fig, width: float, height: float):
    """Size ``fig`` and give it one bare axes whose units are inches, y pointing down."""
    fig.clear()
    fig.set_size_inches(width, height)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    return ax


def draw_vpc(fig, layout: VPCLayout) -> None:
    """Draw ``layout`` onto a matplotlib Figure (clearing it first), sized to fit.

    Coordinates are inches from the top-left corner, so text sizes do not depend on how many
    AZs or subnets there are.
    """
    geom = _geometry(layout)
    ax = _inch_axes(fig, geom.width, geom.height)
    _draw_frame(ax, layout, geom)
    for box, x, y, w, h in geom.boxes:
        _draw_box(ax, box, x, y, w, h)


class VPCRenderer:
    """Draws VPC layouts to PNG quickly by reusing what did not change.

    Rendering text dominates a matplotlib redraw, so the picture is cut into tiles: the
    frame (VPC, title, gateway, AZ columns) and one tile per subnet box, each drawn with the
    same code as :func:`draw_vpc` on its own small Agg figure and kept, keyed by the data
    it shows.  A redraw after one change renders only the tiles that changed and pastes
    the rest (Pillow), then encodes the PNG with fast compression.

    ``tiles_drawn`` tells how many tiles the last :meth:`render` had to draw.
    """

    MAX_CACHED = 128

    def __init__(self, dpi: int = 80) -> None:
        self.dpi = dpi
        self._fig = new_figure(dpi)
        self._ax = None
        self._frames: dict[Any, Any] = {}
        self._tiles: dict[Any, Any] = {}
        self.tiles_drawn = 0

    def _rasterize(self, width: float, height: float, draw) -> Any:
        from PIL import Image

        ax = self._ax
        if ax is None:
            ax = self._ax = _inch_axes(self._fig, width, height)
        else:  # reuse the axes: removing artists is far cheaper than clearing the figure
            for artist in [*ax.patches, *ax.texts, *ax.lines]:
                artist.remove()
            self._fig.set_size_inches(width, height)
            ax.set_xlim(0, width)
            ax.set_ylim(height, 0)
        draw(ax)
        canvas = self._fig.canvas
        canvas.draw()
        w, h = canvas.get_width_height()
        self.tiles_drawn += 1
        return Image.frombuffer("RGBA", (w, h), bytes(canvas.buffer_rgba()), "raw", "RGBA", 0, 1)

    def _cached(self, cache: dict, key: Any, width: float, height: float, draw) -> Any:
        image = cache.get(key)
        if image is None:
            if len(cache) >= self.MAX_CACHED:
                cache.clear()
            image = cache[key] = self._rasterize(width, height, draw)
        return image

    def image(self, layout: VPCLayout):
        """The diagram as a Pillow image."""
        self.tiles_drawn = 0
        geom = _geometry(layout)
        publics = tuple((x, y, w) for b, x, y, w, _ in geom.boxes if b.kind == "public")
        frame_key = (layout.title, layout.igw_id, layout.azs, layout.failed_azs, geom.width, geom.height,
                     geom.columns, publics)
        frame = self._cached(self._frames, frame_key, geom.width, geom.height,
                             lambda ax: _draw_frame(ax, layout, geom)).copy()
        frame.info.clear()
        for box, x, y, w, h in geom.boxes:
            tile = self._cached(self._tiles, (box, w, h), w + 2 * _PAD, h + 2 * _PAD,
                                lambda ax, box=box, w=w, h=h: _draw_box(ax, box, _PAD, _PAD, w, h))
            at = (round((x - _PAD) * self.dpi), round((y - _PAD) * self.dpi))
            frame.alpha_composite(tile, at)
        return frame

    def render(self, layout: VPCLayout) -> bytes:
        """PNG bytes of the diagram."""
        buf = io.BytesIO()
        self.image(layout).save(buf, format="PNG", compress_level=1)
        return buf.getvalue()


class DiagramFigure:
    """A drawn figure that shows itself as a PNG in a notebook (``.figure`` is the matplotlib Figure)."""

    def __init__(self, figure, layout: VPCLayout) -> None:
        self.figure = figure
        self.layout = layout

    def png(self) -> bytes:
        return figure_png(self.figure)

    def _repr_png_(self) -> bytes:
        return self.png()

    def __repr__(self) -> str:
        return (f"<VPC diagram of {self.layout.vpc_id}: {len(self.layout.subnets)} subnets in "
                f"{len(self.layout.azs)} AZs>")


def vpc_figure(vpc, failed_azs=None, *, dpi: int = 80) -> DiagramFigure:
    """A static picture of one VPC: AZ columns, subnet boxes (public green, private blue) with
    their CIDR, free addresses, route table and network ACL, the internet gateway, and the
    network interfaces as dots labelled with their addresses and security groups.

    Returns a :class:`DiagramFigure`; displayed in a notebook it shows as an image.
    """
    layout = vpc_layout(vpc, failed_azs)
    fig = new_figure(dpi)
    draw_vpc(fig, layout)
    return DiagramFigure(fig, layout)
