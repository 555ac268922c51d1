"""What a student feels: `import awskit`, each widget's response to an interaction, and each
chapter notebook's run time in a fresh kernel.

A widget's time is from the simulated interaction (a value set or a button's handler) to the
end of its redraw, median of several interactions after a warm-up (the first draw pays for
importing matplotlib).  Goal (issue 8): under 50 ms each; `import awskit` under 150 ms.
Rows marked "axes grow" time only the rare interactions after which a chart had to draw its
axes again (a limit grew), median and max.
--cpu times the widgets in CPU seconds of this process instead of wall-clock seconds: steadier
on a machine other jobs share.
Run: .venv/bin/python bench/widgets_and_notebooks.py [--no-notebooks] [--only NAME] [--cpu]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the clock the widget rows read: wall time, or this process's CPU time with --cpu
clock = time.process_time if "--cpu" in sys.argv else time.perf_counter


def import_time() -> float:
    code = "import time; t = time.perf_counter(); import awskit; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(5)]
    return statistics.median(runs)


def timed(actions) -> float:
    times = []
    for i, act in enumerate(actions):
        t = clock()
        act()
        if i:  # the first interaction warms caches and imports
            times.append(clock() - t)
    return statistics.median(times) * 1000


def timed_rescales(w, act, n) -> tuple[float, str]:
    """Median ms of the interactions (of ``n`` calls of ``act``) after which ``w.frames_drawn`` grew:
    the rare redraws that must draw the axes again because a limit grew."""
    times = []
    for i in range(n):
        before = w.frames_drawn
        t = clock()
        act()
        ms = (clock() - t) * 1000
        if i and w.frames_drawn > before:
            times.append(ms)
    return statistics.median(times), f"{len(times)} rescales, max {max(times):.1f} ms"


def widget_rows():
    from awskit import Cloud
    from awskit.http import Response

    rows = []

    def row(name, build):
        try:
            ms = build()
        except Exception as exc:  # noqa: BLE001  (a widget not in this checkout yet)
            rows.append((name, None, f"{type(exc).__name__}: {exc}"[:60]))
        else:
            ms, note = ms if isinstance(ms, tuple) else (ms, "")
            rows.append((name, ms, note))

    def edge():
        from awskit.widgets import EdgeExplorer
        w = EdgeExplorer(Cloud(seed=0))
        cities = ["Tokyo", "Berlin", "Sydney", "Lagos", "Toronto", "Mumbai", "Lima"]
        return timed([lambda c=c: setattr(w.place, "value", c) for c in cities])

    def shop():
        cloud = Cloud(seed=0)
        vpc = cloud.vpc.create_vpc("10.0.0.0/16")
        subnet = cloud.vpc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a")
        return cloud, vpc, subnet

    def diagram():
        from awskit.widgets import VPCDiagram
        cloud, vpc, _ = shop()
        w = VPCDiagram(cloud, vpc)  # noqa: F841  (it redraws on the model's events)
        return timed([lambda i=i: cloud.vpc.create_subnet(vpc, f"10.0.{i + 10}.0/24",
                                                         availability_zone=f"us-east-1{'ab'[i % 2]}")
                      for i in range(6)])

    def explorer():
        from awskit.widgets import ReachabilityExplorer
        cloud, vpc, subnet = shop()
        cloud.vpc.create_network_interface(subnet)
        w = ReachabilityExplorer(cloud, vpc)
        return timed([lambda p=p: setattr(w.port, "value", p) for p in (22, 80, 443, 3306, 8080, 25)])

    def launch():
        from awskit.widgets import LaunchConsole
        cloud = Cloud(seed=0)
        w = LaunchConsole(cloud)
        return timed([w.launch for _ in range(6)])

    def lam():
        from awskit.widgets import LambdaConsole
        cloud = Cloud(seed=0)
        fn = cloud.awslambda.create_function("hello", handler=lambda event, context: {"ok": True})
        w = LambdaConsole(cloud, fn)
        return timed([w.invoke for _ in range(6)])

    def s3():
        from awskit.widgets import S3Browser
        cloud = Cloud(seed=0)
        cloud.s3.create_bucket("bench-bucket")
        w = S3Browser(cloud, "bench-bucket")
        return timed([lambda i=i: w.upload(f"notes/{i}.txt", "hello") for i in range(6)])

    def partitions():
        from awskit.widgets import PartitionView
        cloud = Cloud(seed=0)
        table = cloud.dynamodb.create_table("bench", partition_key="pk")
        cloud.clock.advance(10)
        w = PartitionView(cloud, table)
        return timed([w.redraw for _ in range(6)])

    def volumes():
        from awskit.widgets import VolumeBench
        w = VolumeBench(Cloud(seed=0), duration_s=600)
        return timed([w.run for _ in range(4)])

    def volumes_redraw():
        from awskit.widgets import VolumeBench
        w = VolumeBench(Cloud(seed=0), duration_s=600)
        return timed([lambda d=d: setattr(w.demand, "value", d) for d in (3000, 1000, 1500, 2000, 2500, 3500, 5000)])

    def glacier():
        from awskit.widgets import JobTimeline
        cloud = Cloud(seed=0)
        vault = cloud.glacier.create_vault("v")
        cloud.glacier.upload_archive(vault, b"data" * 1000)
        w = JobTimeline(cloud, vault)
        return timed([lambda t=t: w.retrieve(t) for t in ("Expedited", "Standard", "Bulk", "Standard")])

    def glacier_clock():
        from awskit.widgets import JobTimeline
        cloud = Cloud(seed=0)
        vault = cloud.glacier.create_vault("v")
        cloud.glacier.upload_archive(vault, b"data" * 1000)
        w = JobTimeline(cloud, vault)
        for tier in ("Standard", "Bulk"):
            w.retrieve(tier)
        return timed([w.step_buttons["+1 h"].click for _ in range(14)])

    def alb():
        from awskit.widgets import ALBRouter
        cloud = Cloud(seed=1)
        vpc = cloud.vpc.default_vpc
        lb = cloud.elb.create_load_balancer("shop", subnets=vpc.subnets[:2])
        tg = cloud.elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=2)
        cloud.elb.create_listener(lb, port=80, default_actions=tg)
        for subnet in vpc.subnets[:2]:
            web = cloud.ec2.run_instance(subnet=subnet)
            web.serve(lambda req: Response(200, body="hello"))
            cloud.elb.register_targets(tg, web)
        cloud.clock.advance(minutes=3)
        w = ALBRouter(cloud, lb)
        w.path.value = "/index.html"
        return timed([w.send for _ in range(31)])

    def cross_zone():
        from awskit.widgets import CrossZoneView
        w = CrossZoneView(Cloud(seed=1), a=2, b=8)
        return timed([lambda i=i: setattr(w.cross_zone, "value", bool(i % 2)) for i in range(31)])

    def scaling_watch():
        from awskit.widgets import ScalingWatch
        from awskit.workload import Workload, constant, serve_app
        cloud = Cloud(seed=4)
        vpc = cloud.vpc.default_vpc
        subnets = [s for s in vpc.subnets if s.availability_zone.name in ("us-east-1a", "us-east-1b")]
        lb = cloud.elb.create_load_balancer("shop", subnets=subnets)
        tg = cloud.elb.create_target_group("web", vpc=vpc, health_check_interval=10, healthy_threshold=2)
        cloud.elb.create_listener(lb, port=80, default_actions=tg)
        lt = cloud.autoscaling.create_launch_template("web", instance_type="t3.micro")
        g = cloud.autoscaling.create_auto_scaling_group("web", launch_template=lt, min_size=2, max_size=10,
                                                        subnets=subnets, target_group_arns=[tg.arn],
                                                        health_check_type="ELB", health_check_grace_period=60)
        serve_app(g)
        cloud.autoscaling.put_scaling_policy(g, "cpu", policy_type="TargetTrackingScaling",
                                             predefined_metric="ASGAverageCPUUtilization", target_value=50)
        cloud.clock.advance(minutes=3)
        return ScalingWatch(cloud, g, Workload(cloud, constant(40), target=lb, group=g))

    def scaling():
        w = scaling_watch()
        w.set_profile("daily cycle", peak=300, trough=30, peak_hour=14)
        return timed([w.step_buttons[10].click for _ in range(31)])

    def scaling_rescale():
        # A day and a half of +10 min under traffic ramping up over 10 hours: the time axis grows
        # (1, 2, 3, 6, 12, 24, 48 h) and the request and instance axes grow with the traffic;
        # only those interactions are timed.
        w = scaling_watch()
        w.set_profile("ramp", start=20, end=1500, over_min=600)
        return timed_rescales(w, w.step_buttons[10].click, 6 * 36)

    def failover():
        from awskit.widgets import FailoverTimeline
        cloud = Cloud(seed=3)
        db = cloud.rds.create_db_instance("shop", engine="mysql", instance_class="db.t3.micro", allocated_storage=20,
                                          master_username="admin", master_password="s3cretpass", multi_az=True)
        cloud.clock.advance(minutes=6)
        w = FailoverTimeline(cloud, db)
        w.fail_button.click()
        return timed([w.step_buttons["+1 min"].click for _ in range(31)])

    def advisor():
        from awskit.widgets import TrustedAdvisorDashboard
        cloud = Cloud(seed=1)
        cloud.ec2.allocate_address()
        w = TrustedAdvisorDashboard(cloud)
        return timed([w.refresh_button.click for _ in range(11)])

    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    for name, fn in [("EdgeExplorer: pick a city", edge), ("VPCDiagram: add a subnet", diagram),
                     ("ReachabilityExplorer: change the port", explorer), ("LaunchConsole: launch", launch),
                     ("LambdaConsole: invoke", lam), ("S3Browser: upload", s3), ("PartitionView: redraw", partitions),
                     ("VolumeBench: run 5 volume types", volumes), ("VolumeBench: change the demand", volumes_redraw),
                     ("JobTimeline: start a retrieval", glacier), ("JobTimeline: +1 h", glacier_clock),
                     ("ALBRouter: send", alb), ("CrossZoneView: toggle cross-zone", cross_zone),
                     ("ScalingWatch: +10 min", scaling), ("ScalingWatch: +10 min, axes grow", scaling_rescale),
                     ("FailoverTimeline: +1 min", failover),
                     ("TrustedAdvisorDashboard: refresh", advisor)]:
        if only.lower() in name.lower():
            row(name, fn)
    _ = Response
    return rows


def notebook_rows():
    import os
    import tempfile

    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    rows = []
    sockets = tempfile.mkdtemp(prefix="bench-kernel-")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        # Unix sockets, as a local kernel should use (and no "running over TCP" warning).
        km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
        t = time.perf_counter()
        try:
            NotebookClient(nb, km=km, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
            rows.append((path.name, time.perf_counter() - t, ""))
        except Exception as exc:  # noqa: BLE001
            rows.append((path.name, None, type(exc).__name__))
        finally:
            if km.has_kernel:  # a kernel manager we passed in is ours to stop
                km.shutdown_kernel(now=True)
    return rows


def main() -> None:
    print(f"import awskit: {import_time() * 1000:.0f} ms (goal < 150 ms)\n")
    print(f"{'widget interaction':45} {'median ms':>10}{' (CPU)' if '--cpu' in sys.argv else ''}")
    for name, ms, note in widget_rows():
        print(f"{name:45} {'' if ms is None else f'{ms:10.2f}'} {note}", flush=True)
    print("goal: each under 50 ms\n")
    if "--no-notebooks" not in sys.argv:
        print(f"{'notebook':40} {'run s':>7}")
        for name, s, note in notebook_rows():
            print(f"{name:40} {'' if s is None else f'{s:7.1f}'} {note}", flush=True)


if __name__ == "__main__":
    main()
