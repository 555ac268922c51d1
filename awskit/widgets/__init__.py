"""ipywidgets views over the awskit model, one per chapter that teaches with one.

Importing this package is light: ipywidgets (and matplotlib) load only when a widget class
is first used, e.g. ``from awskit.widgets import EdgeExplorer``.
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> "module:attribute", loaded on first access
_LAZY: dict[str, str] = {
    "Dashboard": "awskit.widgets._base:Dashboard",
    "ALBRouter": "awskit.widgets.alb_router:ALBRouter",
    "CrossZoneView": "awskit.widgets.cross_zone:CrossZoneView",
    "EdgeExplorer": "awskit.widgets.edge:EdgeExplorer",
    "FailoverTimeline": "awskit.widgets.db_failover:FailoverTimeline",
    "VPCDiagram": "awskit.widgets.vpc_diagram:VPCDiagram",
    "VolumeBench": "awskit.widgets.ebs_workload:VolumeBench",
    "JobTimeline": "awskit.widgets.glacier_timeline:JobTimeline",
    "ReachabilityExplorer": "awskit.widgets.reachability:ReachabilityExplorer",
    "S3Browser": "awskit.widgets.s3_browser:S3Browser",
    "PartitionView": "awskit.widgets.dynamodb_partitions:PartitionView",
    "TrustedAdvisorDashboard": "awskit.widgets.trusted_advisor:TrustedAdvisorDashboard",
    "LaunchConsole": "awskit.widgets.launch:LaunchConsole",
    "LambdaConsole": "awskit.widgets.lambda_console:LambdaConsole",
    "ScalingWatch": "awskit.widgets.scaling_watch:ScalingWatch",
}

__all__ = ["ALBRouter", "CrossZoneView", "Dashboard", "EdgeExplorer", "FailoverTimeline", "JobTimeline", "LambdaConsole", "LaunchConsole", "PartitionView",
           "ReachabilityExplorer", "S3Browser", "ScalingWatch", "TrustedAdvisorDashboard", "VPCDiagram", "VolumeBench"]  # the keys of _LAZY


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"awskit.widgets has no {name!r}. Widgets: {', '.join(__all__)}.")
    module, _, attr = _LAZY[name].partition(":")
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
