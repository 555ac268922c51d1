"""Reachability Analyzer through the EC2 API: network insights paths and analyses.

The answers come from :mod:`awskit.reachability`; this module only translates shapes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import InvalidParameter
from ._ec2_common import NetworkClientBase, check_max_results, ident, ident_list, tag_spec, tagged
from .base import apply_filters, check_type, paginate_list

__all__ = ["InsightsOps"]


def _component(hop) -> dict[str, Any]:
    return {"Id": hop.id}


def _path_shape(client, path) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "NetworkInsightsPathId": path.id,
        "NetworkInsightsPathArn": path.arn,
        "CreatedDate": client._cloud.clock.to_datetime(path.created),
        "Source": path.source,
        "Protocol": path.protocol,
    }
    for key, value in (("Destination", path.destination), ("SourceIp", path.source_ip),
                       ("DestinationIp", path.destination_ip), ("DestinationPort", path.port)):
        if value is not None:
            shape[key] = value
    return tagged(shape, path.tags)


_COMPONENT_KEY = {"security-group": "SecurityGroup", "network-acl": "Acl", "route-table": "RouteTable",
                  "internet-gateway": "InternetGateway", "network-interface": "NetworkInterface"}


def _analysis_shape(client, analysis) -> dict[str, Any]:
    result = analysis.result
    forward = [{"SequenceNumber": i, "Component": _component(h)}
               for i, h in enumerate((h for h in result.hops if h.allowed), start=1)]
    shape: dict[str, Any] = {
        "NetworkInsightsAnalysisId": analysis.id,
        "NetworkInsightsAnalysisArn": analysis.arn,
        "NetworkInsightsPathId": analysis.path.id,
        "StartDate": client._cloud.clock.to_datetime(analysis.started),
        "Status": "succeeded",
        "NetworkPathFound": result.reachable,
        "ForwardPathComponents": forward,
        "Explanations": [],
    }
    hop = result.blocked_at
    if hop is not None:
        explanation = {"ExplanationCode": hop.explanation_code,
                       "Direction": "ingress" if "inbound" in hop.direction else "egress",
                       "Component": _component(hop)}
        key = _COMPONENT_KEY.get(hop.component)
        if key:
            explanation[key] = {"Id": hop.id}
        shape["Explanations"].append(explanation)
    return shape


class InsightsOps(NetworkClientBase):
    """CreateNetworkInsightsPath, StartNetworkInsightsAnalysis and friends."""

    waiters: ClassVar[dict] = {}
    paginators: ClassVar[dict] = {
        "describe_network_insights_paths": ("NextToken", "NextToken", "MaxResults", ("NetworkInsightsPaths",)),
        "describe_network_insights_analyses": ("NextToken", "NextToken", "MaxResults",
                                               ("NetworkInsightsAnalyses",)),
    }
    error_codes: ClassVar[tuple] = ("InvalidNetworkInsightsPathId.NotFound",
                                    "InvalidNetworkInsightsAnalysisId.NotFound")

    @property
    def _insights(self):
        return self._region.reachability_analyzer

    def create_network_insights_path(self, *, Source: str, Protocol: str, Destination: str | None = None,
                                     SourceIp: str | None = None, DestinationIp: str | None = None,
                                     DestinationPort: int | None = None, TagSpecifications: list | None = None,
                                     ClientToken: str | None = None, DryRun: bool = False,
                                     FilterAtSource: dict | None = None,
                                     FilterAtDestination: dict | None = None) -> dict[str, Any]:
        """Save a path to analyse (Reachability Analyzer)."""
        self._dry_run(DryRun)
        if FilterAtSource or FilterAtDestination:
            raise InvalidParameter("UnsupportedOperation", "Path filters are not modelled by awskit.")
        if DestinationPort is not None:
            check_type("DestinationPort", DestinationPort, int)
        path = self._insights.create_network_insights_path(
            source=ident("Source", Source), destination=Destination, source_ip=SourceIp,
            destination_ip=DestinationIp, protocol=check_type("Protocol", Protocol, str),
            destination_port=DestinationPort, tags=tag_spec(TagSpecifications, "network-insights-path"))
        return {"NetworkInsightsPath": _path_shape(self, path)}

    def start_network_insights_analysis(self, *, NetworkInsightsPathId: str, TagSpecifications: list | None = None,
                                        ClientToken: str | None = None, DryRun: bool = False,
                                        AdditionalAccounts: list | None = None,
                                        FilterInArns: list | None = None) -> dict[str, Any]:
        """Analyse a saved path against the network as it is now.

        AWS answers ``running`` and finishes within minutes; awskit's analysis is exact and
        instant, so the describe call already shows ``succeeded``.
        """
        self._dry_run(DryRun)
        analysis = self._insights.start_network_insights_analysis(ident("NetworkInsightsPathId", NetworkInsightsPathId))
        shape = _analysis_shape(self, analysis)
        return {"NetworkInsightsAnalysis": {k: shape[k] for k in (
            "NetworkInsightsAnalysisId", "NetworkInsightsAnalysisArn", "NetworkInsightsPathId", "StartDate")}
            | {"Status": "running"}}

    def describe_network_insights_paths(self, *, NetworkInsightsPathIds: list | None = None,
                                        Filters: list | None = None, MaxResults: int | None = None,
                                        NextToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        paths = ([self._insights.get_path(i) for i in ident_list("NetworkInsightsPathIds", NetworkInsightsPathIds)]
                 if NetworkInsightsPathIds is not None else self._insights.paths)
        paths = apply_filters(paths, Filters, {
            "source": lambda p: p.source, "destination": lambda p: p.destination,
            "destination-ip": lambda p: p.destination_ip, "protocol": lambda p: p.protocol,
            "destination-port": lambda p: p.port}, tag_getter=lambda p: p.tags)
        page, token = paginate_list(paths, NextToken, check_max_results(MaxResults, 1, 1000))
        out: dict[str, Any] = {"NetworkInsightsPaths": [_path_shape(self, p) for p in page]}
        if token:
            out["NextToken"] = token
        return out

    def describe_network_insights_analyses(self, *, NetworkInsightsAnalysisIds: list | None = None,
                                           NetworkInsightsPathId: str | None = None, Filters: list | None = None,
                                           AnalysisStartTime: Any = None, AnalysisEndTime: Any = None,
                                           MaxResults: int | None = None, NextToken: str | None = None,
                                           DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        if NetworkInsightsAnalysisIds is not None:
            items = [self._insights.get_analysis(i)
                     for i in ident_list("NetworkInsightsAnalysisIds", NetworkInsightsAnalysisIds)]
        else:
            items = self._insights.analyses
        if NetworkInsightsPathId is not None:
            self._insights.get_path(ident("NetworkInsightsPathId", NetworkInsightsPathId))
            items = [a for a in items if a.path.id == NetworkInsightsPathId]
        items = apply_filters(items, Filters, {
            "path-found": lambda a: str(a.result.reachable).lower(), "status": lambda a: "succeeded"})
        page, token = paginate_list(items, NextToken, check_max_results(MaxResults, 1, 1000))
        out: dict[str, Any] = {"NetworkInsightsAnalyses": [_analysis_shape(self, a) for a in page]}
        if token:
            out["NextToken"] = token
        return out

    def delete_network_insights_path(self, *, NetworkInsightsPathId: str, DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        self._insights.delete_network_insights_path(ident("NetworkInsightsPathId", NetworkInsightsPathId))
        return {"NetworkInsightsPathId": NetworkInsightsPathId}

    def delete_network_insights_analysis(self, *, NetworkInsightsAnalysisId: str,
                                         DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        self._insights.delete_network_insights_analysis(ident("NetworkInsightsAnalysisId", NetworkInsightsAnalysisId))
        return {"NetworkInsightsAnalysisId": NetworkInsightsAnalysisId}
