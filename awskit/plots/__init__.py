"""matplotlib figures of the model: pictures a notebook can show, and widgets redraw.

Three parts, one module each:

* :mod:`~awskit.plots.figures`: an Agg Figure without pyplot (:func:`new_figure`) and its
  pixels as PNG bytes (:func:`figure_png`; :func:`png_bytes`, the fast encoder);
* :mod:`~awskit.plots.blit`: :class:`BlitFigure`, the chart of a widget that redraws at every
  click: what does not move is drawn once and kept as pixels, limits grow in steps
  (:func:`ceil_nice`, :func:`ceil_doubling`) so they rarely have to be drawn again, and each
  click draws only what moved;
* :mod:`~awskit.plots.diagram`: the VPC diagram, as plain data (:func:`vpc_layout`, no
  matplotlib needed) and as a picture (:func:`draw_vpc`, :func:`vpc_figure`,
  :class:`VPCRenderer`).

matplotlib is imported inside the functions, never when a module of this package loads, so
``import awskit`` stays light.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=3)
>>> vpc = cloud.vpc.create_vpc("10.0.0.0/16")
>>> vpc_figure(vpc)  # doctest: +ELLIPSIS
<VPC diagram of vpc-...: 0 subnets in 0 AZs>
"""

from __future__ import annotations

from .blit import BlitFigure, ceil_doubling, ceil_nice
from .diagram import MAX_DOTS as MAX_DOTS  # the diagram's constants, as awskit.plots had them
from .diagram import PRIVATE_COLOURS as PRIVATE_COLOURS
from .diagram import PUBLIC_COLOURS as PUBLIC_COLOURS
from .diagram import (
    DiagramFigure,
    EniDot,
    SubnetBox,
    VPCLayout,
    VPCRenderer,
    draw_vpc,
    vpc_figure,
    vpc_layout,
)
from .figures import figure_png, new_figure, png_bytes

__all__ = [
    "BlitFigure",
    "DiagramFigure",
    "EniDot",
    "SubnetBox",
    "VPCLayout",
    "VPCRenderer",
    "ceil_doubling",
    "ceil_nice",
    "draw_vpc",
    "figure_png",
    "new_figure",
    "png_bytes",
    "vpc_figure",
    "vpc_layout",
]
