"""Chapter 12 widget: where a DynamoDB table's items and traffic land, partition by partition.

DynamoDB hashes each item's partition key to pick the partition that stores it.  With many
different keys the hash spreads items and requests evenly; with a few very popular keys
("hot keys") one partition does most of the work, and since one key always lives on one
partition, that key is throttled at the partition's ceiling however large the table is.

The view draws one pair of bars per partition: the items it stores and the capacity it
consumed in the last simulated minute (hot partitions in red).  "Load" writes N items with
uniform or skewed keys, retrying throttled writes a simulated second later as the AWS SDKs
do.  The query-vs-scan panel reads one key both ways and puts Count, ScannedCount and
consumed capacity side by side.  Bars are HTML, so a redraw costs about a millisecond.
"""

from __future__ import annotations

import html
import time
from decimal import Decimal
from typing import Any

import ipywidgets as widgets

from ..core.errors import AWSError, InvalidParameter
from ._base import Dashboard

__all__ = ["HOT_FACTOR", "PartitionView"]

#: A partition is "hot" when it served at least this many times its fair share of the
#: last minute's capacity (fair share = total / number of partitions).
HOT_FACTOR = 2.0
#: Skewed loads send this share of the writes to HOT_KEYS keys.
HOT_SHARE = 0.8
HOT_KEYS = 3
#: How many simulated seconds of retries a load accepts before it gives up.
MAX_RETRY_SECONDS = 120
_BAR_PX = 260


class PartitionView(Dashboard):
    """Bars of items and recent capacity per partition, a loader, and a query-vs-scan panel.

    Args:
        cloud: the awskit Cloud.
        table: the table (object or name) in the cloud's default Region.

    Readable without a browser: ``bars`` (one dict per partition: ``partition``, ``items``,
    ``rcu``, ``wcu``, ``hot``), ``comparison`` (the last query-vs-scan result),
    ``last_load`` (what the last load did), ``redraw_count`` and ``last_redraw_ms``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> table = cloud.dynamodb.create_table("events", partition_key="device", sort_key="seq")
    >>> cloud.clock.advance(seconds=10)
    >>> view = PartitionView(cloud, table)
    >>> view.load(200, "uniform", keys=20)["written"]
    200
    >>> sum(b["items"] for b in view.bars)
    200
    >>> view.compare("key-3")["scan"]["scanned_count"]
    200
    >>> view.close()
    """

    topics = ("dynamodb.*",)

    def __init__(self, cloud, table: Any) -> None:
        super().__init__(cloud)
        self._ready = False
        try:
            self.table = _resolve_table(cloud, table)
        except Exception:
            self.close()
            raise
        self.bars: list[dict[str, Any]] = []
        self.comparison: dict[str, dict[str, Any]] = {}
        self.last_load: dict[str, Any] = {}
        self.redraw_count = 0
        self.last_redraw_ms = 0.0
        self._loading = False
        self._sequence = 0
        self.chart = widgets.HTML()
        self.summary = widgets.HTML()
        self.count = widgets.BoundedIntText(value=1000, min=1, max=100_000, step=100, description="Items",
                                            layout=widgets.Layout(width="180px"))
        self.keys = widgets.BoundedIntText(value=100, min=1, max=100_000, description="Keys",
                                           layout=widgets.Layout(width="180px"))
        self.distribution = widgets.ToggleButtons(options=["uniform", "skewed"], value="uniform",
                                                  description="Keys are",
                                                  tooltips=["every key equally likely",
                                                            f"{HOT_SHARE:.0%} of writes go to {HOT_KEYS} hot keys"])
        self.load_button = widgets.Button(description="Load", icon="upload", button_style="primary")
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.key = widgets.Text(description="Key", placeholder="key-1 or hot-0",
                                layout=widgets.Layout(width="260px"))
        self.compare_button = widgets.Button(description="Query vs scan", icon="search")
        self.panel = widgets.HTML()
        self.root = widgets.VBox([
            widgets.HTML(f"<b>Partitions of <code>{html.escape(self.table.name)}</code></b>: items stored "
                         "and capacity used in the last simulated minute"),
            self.chart, self.summary,
            widgets.HBox([self.count, self.keys]), self.distribution,
            widgets.HBox([self.load_button, self.refresh_button]),
            widgets.HBox([self.key, self.compare_button]), self.panel,
            self.status, self.output])
        self.load_button.on_click(self.guard(lambda _b: self.load()))
        self.refresh_button.on_click(self.guard(lambda _b: self.redraw()))
        self.compare_button.on_click(self.guard(lambda _b: self.compare()))
        self._ready = True
        self.redraw()

    # -- drawing --------------------------------------------------------------------------------
    def redraw(self) -> None:
        """Read the partitions and redraw the bars (about a millisecond)."""
        start = time.perf_counter()
        report = self.table.partition_report()
        used = [r["recent_rcu"] + r["recent_wcu"] for r in report]
        total = sum(used)
        fair = total / len(report) if report else 0.0
        self.bars = [{"partition": r["partition"], "items": r["items"], "rcu": r["recent_rcu"],
                      "wcu": r["recent_wcu"], "hot": total > 0 and len(report) > 1 and u >= HOT_FACTOR * fair}
                     for r, u in zip(report, used)]
        self.chart.value = self._chart_html(used)
        self.summary.value = self._summary_html()
        self.redraw_count += 1
        self.last_redraw_ms = (time.perf_counter() - start) * 1000

    def _chart_html(self, used: list[float]) -> str:
        top_items = max((b["items"] for b in self.bars), default=0) or 1
        top_used = max(used, default=0.0) or 1.0
        rows = []
        for b, u in zip(self.bars, used):
            items_px = round(_BAR_PX * b["items"] / top_items)
            used_px = round(_BAR_PX * u / top_used)
            colour = "#cf222e" if b["hot"] else "#f0883e"
            label = f"P{b['partition']}" + (" &#128293; hot" if b["hot"] else "")
            rows.append(
                f"<tr><td style='padding-right:6px'>{label}</td>"
                f"<td><div style='background:#3b82f6;height:10px;width:{items_px}px'></div>"
                f"<div style='background:{colour};height:10px;width:{used_px}px;margin-top:2px'></div></td>"
                f"<td style='padding-left:6px'>{b['items']} items<br>{b['rcu']:g} RCU + {b['wcu']:g} WCU</td></tr>")
        legend = ("<span style='color:#3b82f6'>&#9632;</span> items stored "
                  "<span style='color:#f0883e'>&#9632;</span> capacity used in the last minute "
                  "<span style='color:#cf222e'>&#9632;</span> hot partition")
        return f"<table>{''.join(rows)}</table><div style='font-size:90%'>{legend}</div>"

    def _summary_html(self) -> str:
        t = self.table
        hot = [f"P{b['partition']}" for b in self.bars if b["hot"]]
        mode = ("on-demand" if t.billing_mode.value == "PAY_PER_REQUEST" else
                f"provisioned {t.read_capacity} RCU / {t.write_capacity} WCU")
        text = (f"{t.item_count} items in {len(t.partitions)} partitions ({mode}); "
                f"{t.throttled_requests} requests throttled so far")
        if hot:
            text += f"; hot: {', '.join(hot)}"
        return html.escape(text) + "."

    # -- loading ----------------------------------------------------------------------------------
    def _key_value(self, text: str, typ: str) -> Any:
        if typ == "S":
            return text
        if typ == "B":
            return text.encode()
        try:
            return Decimal(text) if not text.lstrip("-").isdigit() else int(text)
        except ArithmeticError:
            raise InvalidParameter("ValidationException", f"The partition key of {self.table.name} is a "
                                   f"number: {text!r} is not one.") from None

    def _pk(self, index: int, hot: bool) -> Any:
        typ = self.table.hash_key[1]
        if typ == "N":
            return index if not hot else -(index + 1)  # hot keys are the negative numbers
        return self._key_value(f"{'hot' if hot else 'key'}-{index}", typ)

    def _item(self, pk: Any) -> dict:
        t = self.table
        self._sequence += 1
        item = {t.hash_key[0]: pk, "payload": "x" * 200}
        if t.range_key is not None:
            name, typ = t.range_key
            item[name] = self._sequence if typ == "N" else self._key_value(f"{self._sequence:09d}", typ)
        return item

    def load(self, n: int | None = None, distribution: str | None = None, *, keys: int | None = None) -> dict:
        """Write ``n`` items whose partition keys are spread ``"uniform"``-ly over ``keys``
        keys, or ``"skewed"``: most writes go to a few hot keys.  A throttled write is retried
        a simulated second later.  Returns what happened (also kept in ``last_load``)."""
        n = self.count.value if n is None else n
        distribution = self.distribution.value if distribution is None else distribution
        keys = self.keys.value if keys is None else keys
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 100_000:
            raise InvalidParameter("InvalidParameterValue", f"Load 1 to 100000 items, not {n!r}.")
        if not isinstance(keys, int) or isinstance(keys, bool) or keys < 1:
            raise InvalidParameter("InvalidParameterValue", f"The number of keys is a whole number >= 1, "
                                   f"not {keys!r}.")
        if distribution not in ("uniform", "skewed"):
            raise InvalidParameter("InvalidParameterValue", f"The key distribution is 'uniform' or 'skewed', "
                                   f"not {distribution!r}.")
        rng, clock = self.cloud.rng, self.cloud.clock
        started, throttled, written = clock.now, 0, 0
        splits_before = len(self.table.partitions)
        self._loading = True
        try:
            for _ in range(n):
                if distribution == "skewed" and rng.random() < HOT_SHARE:
                    pk = self._pk(rng.randrange(HOT_KEYS), hot=True)
                else:
                    pk = self._pk(rng.randrange(keys), hot=False)
                item = self._item(pk)
                while True:
                    try:
                        self.table.put(item)
                        break
                    except AWSError as err:
                        if err.code != "ProvisionedThroughputExceededException" or \
                                clock.now - started >= MAX_RETRY_SECONDS:
                            raise
                        throttled += 1
                        clock.advance(seconds=1)  # back off, as the SDKs do, and try again
                written += 1
        finally:
            self._loading = False
            self.last_load = {"written": written, "throttled": throttled, "seconds": clock.now - started,
                              "distribution": distribution,
                              "new_partitions": len(self.table.partitions) - splits_before}
            self.redraw()
        self.show_status(f"Wrote {written} items ({distribution} keys) in {clock.now - started:g} simulated "
                         f"seconds; {throttled} writes were throttled and retried.")
        return self.last_load

    # -- query vs scan ------------------------------------------------------------------------------
    def compare(self, key: Any = None) -> dict[str, dict[str, Any]]:
        """Read one partition key's items with a query and with a filtered scan; compare the costs."""
        t = self.table
        text = self.key.value if key is None else key
        if text is None or text == "":
            raise InvalidParameter("ValidationException", "Type a partition key value first, e.g. key-1.")
        value = self._key_value(text, t.hash_key[1]) if isinstance(text, str) else text
        from ..dynamodb import serialize

        av = serialize(value, t.hash_key[0])
        names, values = {"#k": t.hash_key[0]}, {":k": av}
        results = {}
        for op in ("query", "scan"):
            count = scanned = 0
            units = 0.0
            start_key = None
            while True:
                if op == "query":
                    page = t.query("#k = :k", names=names, values=values, start_key=start_key)
                else:
                    page = t.scan(filter="#k = :k", names=names, values=values, start_key=start_key)
                count += page.count
                scanned += page.scanned_count
                units += page.consumed.read
                start_key = page.last_evaluated_key
                if start_key is None:
                    break
            results[op] = {"count": count, "scanned_count": scanned, "consumed_rcu": units}
        self.comparison = results
        self.panel.value = self._panel_html(text)
        self.redraw()
        return results

    def _panel_html(self, key: Any) -> str:
        q, s = self.comparison["query"], self.comparison["scan"]
        rows = "".join(
            f"<tr><td>{label}</td><td style='text-align:right'>{q[k]:g}</td><td style='text-align:right'>"
            f"{s[k]:g}</td></tr>"
            for label, k in (("Count (items returned)", "count"), ("ScannedCount (items read)", "scanned_count"),
                             ("ConsumedCapacity (RCU)", "consumed_rcu")))
        ratio = (f"The scan read {s['scanned_count']} items to return {s['count']}; "
                 f"it cost {s['consumed_rcu'] / q['consumed_rcu']:.0f} times the query's capacity."
                 if q["consumed_rcu"] else "")
        return (f"<table><tr><th>key = {html.escape(str(key))}</th><th>Query</th><th>Scan + filter</th></tr>"
                f"{rows}</table><div>{html.escape(ratio)}</div>")

    # -- reacting -----------------------------------------------------------------------------------------
    def on_event(self, message) -> None:
        if not self._ready or self._loading or message.data.get("table") != self.table.name:
            return
        self.redraw()

    def __repr__(self) -> str:
        hot = sum(1 for b in self.bars if b["hot"])
        return f"PartitionView({self.table.name!r}: {len(self.bars)} partitions, {hot} hot)"


def _resolve_table(cloud, table: Any):
    from ..dynamodb import Table

    if isinstance(table, Table):
        return table
    if isinstance(table, str):
        return cloud.dynamodb.table(table)
    raise InvalidParameter("InvalidParameterValue", f"Pass a DynamoDB Table or its name, not {table!r}. "
                           f"Tables: {', '.join(cloud.dynamodb.list_tables()) or 'none'}.")
