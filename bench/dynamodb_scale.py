"""DynamoDB at 10k, 100k and 1M items: query by key against a full scan.

A query reads one partition key's items through the table's per-key index, so its time and
its consumed capacity stay flat as the table grows; a scan reads everything, page by 1 MB
page, so both grow linearly.  Prints one row per table size and the query/scan ratios.
Run: .venv/bin/python bench/dynamodb_scale.py [--quick]   (--quick stops at 100k)
"""

from __future__ import annotations

import statistics
import sys
import time

from awskit import Cloud

SIZES = [10_000, 100_000] if "--quick" in sys.argv else [10_000, 100_000, 1_000_000]
KEYS = 1000  # partition keys; each holds size/KEYS items under a numeric sort key


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def main() -> None:
    cloud = Cloud(seed=0)
    table = cloud.dynamodb.create_table("bench", partition_key="pk", sort_key=("sk", "N"))
    cloud.clock.advance(10)
    loaded = 0
    print(f"{'items':>9} {'load s':>8} {'query ms':>9} {'query RCU':>10} {'scan s':>8} {'scan RCU':>10} "
          f"{'scan/query':>11}")
    for size in SIZES:
        t = time.perf_counter()
        for i in range(loaded, size):
            table.put_item({"pk": S(f"k{i % KEYS}"), "sk": N(i), "v": S("x" * 20)})
            if i % 900 == 0:
                cloud.clock.advance(1)  # stay under each partition's 1,000 WCU per second
        load = time.perf_counter() - t
        loaded = size

        def query():
            return table.query("pk = :p", values={":p": S("k7")}, limit=10)  # the 10 oldest of one key

        times = []
        for _ in range(5):
            t = time.perf_counter()
            page = query()
            times.append(time.perf_counter() - t)
        q = statistics.median(times)

        t = time.perf_counter()
        rcu, page = 0.0, table.scan()
        rcu += page.consumed.read
        scanned = page.scanned_count
        while page.last_evaluated_key is not None:
            cloud.clock.advance(1)
            page = table.scan(start_key=page.last_evaluated_key)
            scanned += page.scanned_count
            rcu += page.consumed.read
        s = time.perf_counter() - t
        qrcu = query().consumed.read
        assert scanned == size
        print(f"{size:9,} {load:8.2f} {q * 1000:9.3f} {qrcu:10.1f} {s:8.2f} {rcu:10.1f} {s / q:10.0f}x",
              flush=True)
    print("goal: query at least 1000x faster than scan at 1M items, query time flat across sizes")


if __name__ == "__main__":
    main()
