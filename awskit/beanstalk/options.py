"""Configuration options: ``(namespace, option name) -> value`` settings of an environment.

Elastic Beanstalk configures everything it builds through option settings grouped in
namespaces (``aws:autoscaling:asg`` MinSize/MaxSize, ``aws:ec2:instances`` InstanceTypes,
``aws:elasticbeanstalk:command`` DeploymentPolicy ...).  Values are strings in the API;
awskit checks them like AWS (``ConfigurationValidationException``) and keeps them typed.
Only the options listed in :data:`OPTIONS` are modelled; an unknown one is an error, as in
AWS.  ``aws:elasticbeanstalk:application:environment`` takes any name: environment
properties, kept in ``Environment.properties``.
"""

from __future__ import annotations

from typing import Any

from ._common import config_error, fail

__all__ = ["OPTIONS", "PROPERTIES", "parse_options"]

PROPERTIES = "aws:elasticbeanstalk:application:environment"
_PROC = "aws:elasticbeanstalk:environment:process:default"
_MEASURES = ("CPUUtilization", "NetworkIn", "NetworkOut", "DiskWriteOps", "DiskReadBytes", "DiskReadOps",
             "DiskWriteBytes", "Latency", "RequestCount", "HealthyHostCount", "UnhealthyHostCount")

#: (namespace, option) -> (default, kind, rule): kind "int" with (lo, hi), "choice" with the
#: choices, "str", "float".  Defaults are AWS's documented defaults today.
OPTIONS: dict[tuple[str, str], tuple[str | None, str, Any]] = {
    ("aws:autoscaling:asg", "MinSize"): ("1", "int", (1, 10000)),
    ("aws:autoscaling:asg", "MaxSize"): ("4", "int", (1, 10000)),
    ("aws:ec2:instances", "InstanceTypes"): ("t3.micro,t3.small", "str", None),
    ("aws:autoscaling:launchconfiguration", "InstanceType"): (None, "str", None),
    ("aws:elasticbeanstalk:environment", "EnvironmentType"): ("LoadBalanced", "choice",
                                                              ("LoadBalanced", "SingleInstance")),
    ("aws:elasticbeanstalk:environment", "LoadBalancerType"): ("application", "choice",
                                                               ("application", "classic", "network")),
    ("aws:elasticbeanstalk:command", "DeploymentPolicy"): ("AllAtOnce", "choice",
                                                           ("AllAtOnce", "Rolling", "RollingWithAdditionalBatch",
                                                            "Immutable", "TrafficSplitting")),
    ("aws:elasticbeanstalk:command", "BatchSizeType"): ("Percentage", "choice", ("Percentage", "Fixed")),
    ("aws:elasticbeanstalk:command", "BatchSize"): ("100", "int", (1, 10000)),
    ("aws:elasticbeanstalk:command", "Timeout"): ("600", "int", (1, 3600)),
    ("aws:autoscaling:trigger", "MeasureName"): ("NetworkOut", "choice", _MEASURES),
    ("aws:autoscaling:trigger", "Statistic"): ("Average", "choice", ("Minimum", "Maximum", "Sum", "Average")),
    ("aws:autoscaling:trigger", "Unit"): ("Bytes", "str", None),
    ("aws:autoscaling:trigger", "Period"): ("5", "int", (1, 600)),
    ("aws:autoscaling:trigger", "BreachDuration"): ("5", "int", (1, 600)),
    ("aws:autoscaling:trigger", "EvaluationPeriods"): ("1", "int", (1, 600)),
    ("aws:autoscaling:trigger", "UpperThreshold"): ("6000000", "float", None),
    ("aws:autoscaling:trigger", "LowerThreshold"): ("2000000", "float", None),
    ("aws:autoscaling:trigger", "UpperBreachScaleIncrement"): ("1", "int", (-10000, 10000)),
    ("aws:autoscaling:trigger", "LowerBreachScaleIncrement"): ("-1", "int", (-10000, 10000)),
    (_PROC, "HealthCheckPath"): ("/", "str", None),
    (_PROC, "HealthCheckInterval"): ("15", "int", (5, 300)),
    (_PROC, "HealthCheckTimeout"): ("5", "int", (1, 60)),
    (_PROC, "HealthyThresholdCount"): ("3", "int", (2, 10)),
    (_PROC, "UnhealthyThresholdCount"): ("5", "int", (2, 10)),
    (_PROC, "MatcherHTTPCode"): ("200", "str", None),
    (_PROC, "DeregistrationDelay"): ("20", "int", (0, 3600)),
    ("aws:elasticbeanstalk:healthreporting:system", "SystemType"): ("enhanced", "choice", ("basic", "enhanced")),
}

#: What awskit models of the documented choices (the rest are refused with a clear message).
NOT_MODELLED = {("aws:elasticbeanstalk:environment", "LoadBalancerType"): ("classic", "network"),
                ("aws:elasticbeanstalk:command", "DeploymentPolicy"): ("RollingWithAdditionalBatch", "Immutable",
                                                                       "TrafficSplitting")}


def _items(settings: Any):
    """Accept boto3's list of dicts, {(ns, name): value} or {ns: {name: value}}."""
    if settings is None:
        return
    if isinstance(settings, dict):
        for key, value in settings.items():
            if isinstance(key, tuple) and len(key) == 2:
                yield key[0], key[1], value
            elif isinstance(key, str) and isinstance(value, dict):
                for name, v in value.items():
                    yield key, name, v
            else:
                fail("InvalidParameterValue", f"Option settings are {{(namespace, option): value}} or "
                                              f"{{namespace: {{option: value}}}}, not {key!r}: {value!r}.")
        return
    if not isinstance(settings, (list, tuple)):
        fail("InvalidParameterValue", f"OptionSettings is a list of {{'Namespace', 'OptionName', 'Value'}}, "
                                      f"not {settings!r}.")
    for item in settings:
        if not isinstance(item, dict) or "Namespace" not in item or "OptionName" not in item:
            fail("InvalidParameterValue", f"Each option setting needs Namespace, OptionName and Value: {item!r}.")
        yield item["Namespace"], item["OptionName"], item.get("Value")


def parse_options(settings: Any, base: dict | None = None) -> tuple[dict[tuple[str, str], Any], dict[str, str]]:
    """Typed option values (defaults filled in) and environment properties.

    >>> opts, props = parse_options({"aws:autoscaling:asg": {"MinSize": "2", "MaxSize": "6"}})
    >>> opts[("aws:autoscaling:asg", "MinSize")], opts[("aws:elasticbeanstalk:command", "DeploymentPolicy")]
    (2, 'AllAtOnce')

    Raises: ConfigurationValidationException (unknown option, bad value, MinSize > MaxSize),
    InvalidParameterValue (a documented choice awskit does not model).
    """
    out: dict[tuple[str, str], Any] = dict(base) if base else {}
    props: dict[str, str] = {}
    if base is None:
        for key, (default, kind, rule) in OPTIONS.items():
            if default is not None:
                out[key] = _convert(key, default, kind, rule)
    for ns, name, value in _items(settings):
        if ns == PROPERTIES:
            if not isinstance(name, str) or not name:
                config_error(f"Invalid environment property name {name!r}.")
            props[name] = "" if value is None else str(value)
            continue
        key = (ns, name)
        if key not in OPTIONS:
            config_error(f"Invalid option specification (Namespace: '{ns}', OptionName: '{name}'): Unknown "
                         "configuration setting.")
        default, kind, rule = OPTIONS[key]
        out[key] = _convert(key, value, kind, rule)
        if out[key] in NOT_MODELLED.get(key, ()):
            fail("InvalidParameterValue", f"{name} {out[key]!r} is a real Elastic Beanstalk choice that awskit does "
                                          f"not model; use one of: "
                                          f"{', '.join(c for c in rule if c not in NOT_MODELLED[key])}.")
    lo, hi = out[("aws:autoscaling:asg", "MinSize")], out[("aws:autoscaling:asg", "MaxSize")]
    if lo > hi:
        config_error(f"Invalid option value: MinSize ({lo}) must not be greater than MaxSize ({hi}) "
                     "(Namespace: 'aws:autoscaling:asg').")
    if out[("aws:elasticbeanstalk:command", "BatchSizeType")] == "Percentage" \
            and out[("aws:elasticbeanstalk:command", "BatchSize")] > 100:
        config_error("Invalid option value: a Percentage BatchSize is 1-100 (Namespace: "
                     "'aws:elasticbeanstalk:command', OptionName: 'BatchSize').")
    return out, props


def _convert(key: tuple[str, str], value: Any, kind: str, rule: Any) -> Any:
    ns, name = key
    where = f"(Namespace: '{ns}', OptionName: '{name}')"
    text = str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    if text is None:
        config_error(f"Invalid option value: {value!r} {where}: option values are strings.")
    if kind == "int":
        try:
            number = int(text)
        except ValueError:
            config_error(f"Invalid option value: '{text}' {where}: Value is not an integer.")
        lo, hi = rule
        if number < lo:
            config_error(f"Invalid option value: '{text}' {where}: Value is less than minimum allowed value: {lo}")
        if number > hi:
            config_error(f"Invalid option value: '{text}' {where}: Value is greater than maximum allowed value: {hi}")
        return number
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            config_error(f"Invalid option value: '{text}' {where}: Value is not a number.")
    if kind == "choice":
        if text not in rule:
            config_error(f"Invalid option value: '{text}' {where}: Value is not one of [{', '.join(rule)}]")
        return text
    if name == "HealthCheckPath" and not text.startswith("/"):
        config_error(f"Invalid option value: '{text}' {where}: a health check path starts with '/'.")
    if not text:
        config_error(f"Invalid option value: '' {where}: Value is empty.")
    return text
