"""Charts that redraw at every click, drawing only what changed: :class:`BlitFigure`.

A widget's chart is mostly the same from one click to the next: the axes, ticks, grid and
legend stay; a line grows, a bar moves.  A :class:`BlitFigure` draws what stays once and keeps
it as pixels, draws only what moved, and encodes the PNG fast (:func:`~awskit.plots.png_bytes`).
Axis limits that grow in steps (:func:`ceil_nice`, :func:`ceil_doubling`) keep the drawn axes
valid for many redraws.  matplotlib is imported inside the methods, never when this module loads.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .figures import new_figure, png_bytes

__all__ = ["BlitFigure", "ceil_doubling", "ceil_nice"]


def ceil_nice(value: float, steps: tuple[float, ...] = (1, 2, 5)) -> float:
    """The smallest ``step * 10**k`` (``step`` from ``steps``) at or above ``value``; 1 for ``value <= 0``.

    Axis limits rounded up this way stay the same while the data grows a little, so a
    :class:`BlitFigure` keeps its drawn axes for many redraws; finer ``steps`` waste less room,
    coarser ones redraw the axes more rarely.

    >>> ceil_nice(3240), ceil_nice(3240, (1, 1.5, 2, 3, 5)), ceil_nice(0.7), ceil_nice(-4)
    (5000.0, 5000.0, 1.0, 1.0)
    """
    if value <= 0:
        return 1.0
    scale = 10.0 ** math.floor(math.log10(value))
    for step in steps:
        if step * scale >= value * (1 - 1e-9):
            return step * scale
    return 10 * scale


def ceil_doubling(value: float, start: float = 1.0) -> float:
    """The smallest ``start * 2**k`` (k >= 0) at or above ``value``: a limit that grows by doubling.

    >>> ceil_doubling(5.5), ceil_doubling(0.2), ceil_doubling(3, start=0.5)
    (8.0, 1.0, 4.0)
    """
    limit = float(start)
    while limit < value:
        limit *= 2
    return limit



@contextmanager
def _hidden(artists):
    """Hide ``artists`` for the duration of the block, then give each its own visibility back."""
    states = [(a, a.get_visible()) for a in artists]
    for artist, _ in states:
        artist.set_visible(False)
    try:
        yield
    finally:
        for artist, visible in states:
            artist.set_visible(visible)


@dataclass(slots=True, eq=False)
class _Layer:
    name: str
    artists: tuple = ()
    on_top: tuple = ()                    # artists of the layer below whose pixels cover this one
    regions: list = field(default_factory=list)
    key: Any = None
    pixels: Any = None                    # the Agg buffer region kept after the last build
    boxes: tuple | None = None            # pixel boxes of ``on_top``, measured once


@dataclass(slots=True, eq=False)
class _Region:
    name: str
    box: Any                              # an artist, or (left, bottom, right, top) in figure fractions
    artists: tuple
    key: Any = None
    pixels_box: tuple[int, int, int, int] | None = None


class _TextTiles:
    """Text drawn into kept layers, remembered as small RGBA tiles and pasted when drawn again.

    Laying out and rendering glyphs is most of what a matplotlib redraw costs, and the text of
    a chart's axes repeats (tick labels "0", "200", "12:00"; legend entries; event labels).
    Installed on one Agg renderer, it answers that renderer's ``draw_text`` while ``active`` (a
    :class:`BlitFigure` turns it on while it builds kept layers, off for animated artists, whose
    text seldom repeats).  Text is placed on whole pixels (matplotlib places it to 1/64 pixel:
    at most half a pixel away), so a string looks the same wherever it goes.  The second time
    a string is drawn with the same font, colour and angle it is rendered alone onto a scratch
    renderer, and from then on that tile is composited with ``draw_image`` wherever the string
    is drawn: the same pixels as drawing it afresh, up to the rounding of one blend.
    """

    MAX_TILES = 1024

    def __init__(self, renderer) -> None:
        self.renderer = renderer
        self.tiles: dict[tuple, tuple] = {}
        self.seen: set[tuple] = set()
        self.active = False
        renderer.draw_text = self.draw_text  # this renderer only: the class's method stays as it is

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None) -> None:
        from matplotlib.backends.backend_agg import RendererAgg

        renderer = self.renderer
        if not self.active:
            return RendererAgg.draw_text(renderer, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        left, top = round(x), round(y)  # on whole pixels (y counts down from the top here)
        key = (s, hash(prop), angle, tuple(gc.get_rgb()), gc.get_alpha(), gc.get_antialiased(), ismath)
        tile = self.tiles.get(key)
        if tile is None:
            if key not in self.seen:  # a string seen once may never come back: draw it directly
                if len(self.seen) >= self.MAX_TILES:
                    self.seen.clear()
                self.seen.add(key)
                return RendererAgg.draw_text(renderer, gc, left, top, s, prop, angle, ismath=ismath, mtext=mtext)
            if len(self.tiles) >= self.MAX_TILES:
                self.tiles.clear()
            tile = self.tiles[key] = self._render(gc, s, prop, angle, ismath, mtext)
        image, off_x, off_y = tile
        if image is None:  # nothing visible (a blank label)
            return None
        if gc.get_alpha() != 1.0:  # the tile holds the text's alpha already
            opaque = renderer.new_gc()
            opaque.copy_properties(gc)
            opaque.set_alpha(1.0)
            gc = opaque
        renderer.draw_image(gc, left + off_x, renderer.height - (top + off_y + image.shape[0]), image)
        return None

    def _render(self, gc, s, prop, angle, ismath, mtext) -> tuple:
        """The text drawn alone: (RGBA rows bottom first, offset of its top-left corner)."""
        import numpy as np
        from matplotlib.backends.backend_agg import RendererAgg

        width, height, _descent = self.renderer.get_text_width_height_descent(s, prop, ismath)
        reach = math.ceil(math.hypot(width, height)) + 4  # no glyph strays further from the anchor
        scratch = RendererAgg(2 * reach, 2 * reach, self.renderer.dpi)
        alone = scratch.new_gc()
        alone.copy_properties(gc)
        alone.set_clip_rectangle(None)
        alone.set_clip_path(None)
        RendererAgg.draw_text(scratch, alone, reach, reach, s, prop, angle, ismath=ismath, mtext=mtext)
        alone.restore()
        pixels = np.asarray(scratch.buffer_rgba())
        rows = np.flatnonzero(pixels[..., 3].any(axis=1))
        cols = np.flatnonzero(pixels[..., 3].any(axis=0))
        if not rows.size:
            return None, 0, 0
        image = pixels[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1][::-1].copy()
        return image, int(cols[0]) - reach, int(rows[0]) - reach


class BlitFigure:
    """A matplotlib figure for a widget that redraws often: what does not move is drawn once and
    kept as pixels; a render pastes those pixels, draws only what moves, and returns PNG bytes.

    The picture is a stack, bottom up:

    * the **frame** (everything not registered below: axes, ticks, grid, labels, legends), drawn
      by ``canvas.draw()`` and kept while its key stays the same.  The axis limits belong in the
      key: grow them in steps (:func:`ceil_nice`, :func:`ceil_doubling`) and the frame is drawn
      again only when the data outgrows them;
    * **kept layers** (:meth:`add_layer`): artists drawn onto the layer below and kept while the
      layer's key stays the same (event markers that change less often than the data; a time
      axis that changes more often than the other axes).  A layer is rebuilt whenever one below
      it is;
    * **animated** artists (:meth:`animate`, the list ``animated``): drawn at every render.

    A **region** (:meth:`add_region`) is part of a layer with a key of its own, e.g. one panel of
    a multi-panel chart: when its layer is rebuilt but the region's key did not change, its
    artists are not drawn and its pixels are copied from the layer's previous picture.  The
    region's key must then cover everything that region shows, layers below included.

    Text drawn into kept layers is remembered as small pixel tiles and pasted when the same
    string comes back at the same place (tick labels, legends, event labels): laying out and
    rendering glyphs is most of what a matplotlib draw costs.  Uses the Agg canvas directly (no
    pyplot), so it draws the same in a kernel, in pytest and under nbconvert.  ``frames_drawn``
    counts the frame's draws, ``builds`` each layer's, and ``last_built`` names the layers the
    last render had to draw.

    >>> chart = BlitFigure((3, 2), dpi=40)
    >>> ax = chart.figure.add_axes((0.2, 0.2, 0.75, 0.7))
    >>> (line,) = ax.plot([], [])
    >>> chart.animate(line)
    >>> def draw(ys):
    ...     line.set_data(range(len(ys)), ys)
    ...     top = ceil_nice(max(ys))                   # 1, 2, 5, 10, 20, ...: changes rarely
    ...     return chart.render(top, setup=lambda: ax.set(xlim=(0, 10), ylim=(0, top)))
    >>> draw([1, 3, 2])[:4], chart.frames_drawn        # the first render draws the frame
    (b'\\x89PNG', 1)
    >>> _ = draw([1, 3, 2, 4]); chart.frames_drawn      # same limits: only the line is drawn
    1
    >>> _ = draw([1, 3, 2, 4, 7]); chart.frames_drawn   # the data outgrew 5: new frame
    2
    >>> chart.add_region("labels", (0, 0, 0.2, 1), [ax.yaxis], layer="events")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    InvalidParameter: BlitFigure has no layer 'events'; its layers: frame.
    """

    def __init__(self, figsize: tuple[float, float], dpi: int = 72, *, compress_level: int = 1) -> None:
        self.figure = new_figure(dpi)
        self.figure.set_size_inches(*figsize)
        self.canvas = self.figure.canvas
        self.compress_level = compress_level
        #: artists drawn at every render, over the kept layers
        self.animated: list = []
        self._layers: list[_Layer] = [_Layer("frame")]
        self.builds: dict[str, int] = {"frame": 0}
        self.last_built: tuple[str, ...] = ()
        self.last_png = b""
        self._text: _TextTiles | None = None

    @property
    def frames_drawn(self) -> int:
        """How many times the frame was drawn (by ``canvas.draw()``)."""
        return self.builds["frame"]

    # -- what is where ---------------------------------------------------------------------------
    def animate(self, *artists) -> None:
        """Draw ``artists`` at every render, on top of the kept layers (and never into them)."""
        self.animated.extend(artists)

    def add_layer(self, name: str, artists, *, on_top=()) -> None:
        """Keep ``artists`` in a layer of their own over the layers added before (and the frame).

        ``on_top``: artists of the layers below (legends) whose pixels are copied back over this
        layer once it is drawn, for things that must stay above what this layer draws.
        """
        from ..core.errors import InvalidParameter

        if any(layer.name == name for layer in self._layers):
            raise InvalidParameter("InvalidParameterValue", f"BlitFigure already has a layer {name!r}: pick "
                                                            "another name.")
        self._layers.append(_Layer(name, tuple(artists), tuple(on_top)))
        self.builds[name] = 0
        self._invalidate()

    def add_region(self, name: str, box, artists=(), *, layer: str = "frame") -> None:
        """Give part of ``layer`` a key of its own (pass it to :meth:`render` under ``name``).

        Args:
            box: where the region is: ``(left, bottom, right, top)`` in figure fractions (like
                ``figure.add_axes``), or an artist whose drawn extent (plus 2 pixels) is the box.
            artists: what the region draws; when the region is kept, the frame hides them while
                it draws and a kept layer skips them.
        """
        from ..core.errors import InvalidParameter

        target = next((candidate for candidate in self._layers if candidate.name == layer), None)
        if target is None:
            raise InvalidParameter("InvalidParameterValue", f"BlitFigure has no layer {layer!r}; its layers: "
                                                            f"{', '.join(x.name for x in self._layers)}.")
        target.regions.append(_Region(name, box, tuple(artists)))
        self._invalidate()

    def _invalidate(self) -> None:
        for layer in self._layers:
            layer.pixels = None

    # -- drawing -----------------------------------------------------------------------------------
    def render(self, keys: Any = None, setup: Any = None) -> bytes:
        """Draw what changed and return the picture as PNG bytes.

        Args:
            keys: the frame's key, or a dict of keys by layer and region name (``"frame"`` for
                the frame).  A layer whose key differs from its last build is drawn again,
                with every layer above it.
            setup: a callable run before the frame is drawn again (set the axis limits there),
                or a dict of such callables by layer name.
        """
        keys = keys if isinstance(keys, dict) else {"frame": keys}
        setup = setup if isinstance(setup, dict) else {"frame": setup}
        renderer = self.canvas.get_renderer()
        if self._text is None or self._text.renderer is not renderer:
            self._text = _TextTiles(renderer)
        start = next((i for i, layer in enumerate(self._layers)
                      if layer.pixels is None or keys.get(layer.name) != layer.key), None)
        canvas = self.canvas
        if start is None:
            canvas.restore_region(self._layers[-1].pixels)
            self.last_built = ()
        else:
            self._text.active = True  # the text of kept layers repeats: keep it as tiles
            try:
                for i in range(start, len(self._layers)):
                    layer = self._layers[i]
                    if setup.get(layer.name) is not None:
                        setup[layer.name]()
                    self._build(i, keys)
            finally:
                self._text.active = False
            self.last_built = tuple(layer.name for layer in self._layers[start:])
        for artist in self.animated:
            if artist.get_visible():
                (artist.axes or self.figure).draw_artist(artist)
        self.last_png = png_bytes(canvas, self.compress_level)
        return self.last_png

    def _build(self, index: int, keys: dict) -> None:
        layer = self._layers[index]
        canvas = self.canvas
        old = layer.pixels
        kept = [r for r in layer.regions
                if old is not None and r.pixels_box is not None and r.name in keys and keys[r.name] == r.key]
        skip = [a for r in kept for a in r.artists]
        if index == 0:
            above = [a for upper in self._layers[1:] for a in upper.artists]
            with _hidden([*above, *self.animated, *skip]):
                canvas.draw()
        else:
            below = self._layers[index - 1].pixels
            canvas.restore_region(below)
            skipped = {id(a) for a in skip}
            for artist in layer.artists:
                if id(artist) not in skipped and artist.get_visible():
                    (artist.axes or self.figure).draw_artist(artist)
            if layer.boxes is None:
                layer.boxes = tuple(self._pixel_box(a) for a in layer.on_top)
            for box in layer.boxes:
                canvas.restore_region(below, box, (0, 0))
        for region in kept:
            canvas.restore_region(old, region.pixels_box, (0, 0))
        for region in layer.regions:
            if region.pixels_box is None:
                region.pixels_box = self._pixel_box(region.box)
            region.key = keys.get(region.name)
        layer.pixels = canvas.copy_from_bbox(self.figure.bbox)
        layer.key = keys.get(layer.name)
        self.builds[layer.name] += 1

    def _pixel_box(self, where: Any) -> tuple[int, int, int, int]:
        """Agg pixels (x0, y0, x1, y1), origin top left, of figure fractions or an artist's extent."""
        width, height = self.canvas.get_width_height()
        if isinstance(where, tuple):
            left, bottom, right, top = where
            x0, x1, y0, y1 = left * width, right * width, bottom * height, top * height
        else:
            extent = where.get_window_extent(self.canvas.get_renderer())
            x0, x1, y0, y1 = extent.x0 - 2, extent.x1 + 2, extent.y0 - 2, extent.y1 + 2
        return (max(0, math.floor(x0)), max(0, math.floor(height - y1)),
                min(width, math.ceil(x1)), min(height, math.ceil(height - y0)))

    def full_png(self) -> bytes:
        """Draw everything at once (no kept pixels, animated artists in their z-order) as PNG bytes."""
        self.canvas.draw()
        self._invalidate()  # the canvas no longer holds a kept layer's picture
        return png_bytes(self.canvas, self.compress_level)

    def _repr_png_(self) -> bytes:
        return self.last_png or self.full_png()
