"""Agg figures without pyplot, and their pixels as PNG bytes.

Every picture in awskit is drawn on a matplotlib Figure that owns an Agg canvas directly: no
pyplot, so no global figure manager, and the same pixels in a kernel, in pytest and under
nbconvert.  matplotlib is imported inside the functions, never when this module loads.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

__all__ = ["figure_png", "new_figure", "png_bytes"]


def new_figure(dpi: int = 80):
    """An Agg-backed matplotlib Figure, without pyplot (no global figure manager)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def figure_png(fig: Any, compress_level: int = 1) -> bytes:
    """Render a Figure on its Agg canvas and encode it as PNG (fast compression)."""
    from PIL import Image  # Pillow is a dependency of matplotlib

    canvas = fig.canvas
    canvas.draw()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=compress_level)
    return buf.getvalue()


def png_bytes(canvas: Any, compress_level: int = 1) -> bytes:
    """Encode an Agg canvas's pixels as PNG, fast: RGBA rows unfiltered, deflated at ``compress_level``.

    Charts are flat colour, so skipping the PNG row filters costs a little size (a 600 x 480
    chart: about 47 kB instead of 35 kB) and halves the encoding time against Pillow's
    ``save(format="PNG", compress_level=1)`` (about 2 ms instead of 4-5 ms).

    >>> from PIL import Image
    >>> fig = new_figure(dpi=10); fig.set_size_inches(3, 2); fig.canvas.draw()
    >>> Image.open(io.BytesIO(png_bytes(fig.canvas))).size
    (30, 20)
    """
    width, height = canvas.get_width_height()
    pixels = memoryview(canvas.buffer_rgba()).cast("B")
    stride = width * 4
    deflate = zlib.compressobj(compress_level)
    parts = []
    for start in range(0, len(pixels), stride):
        parts.append(deflate.compress(b"\0"))  # filter type 0 (None) for this row
        parts.append(deflate.compress(pixels[start:start + stride]))
    parts.append(deflate.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return b"".join((b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", header), _png_chunk(b"IDAT", b"".join(parts)),
                     _png_chunk(b"IEND", b"")))


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
