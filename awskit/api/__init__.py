"""The boto3-shaped facade: ``client(service)`` and one adapter module per service.

A client takes the calls a boto3 client takes (same method names, keyword arguments and
response dictionaries) and raises the same error codes, so code a student writes here
works against real AWS.  Adapters translate between boto3's shapes (``[{"Key": ..,
"Value": ..}]`` tags, PascalCase keys) and the model's objects; they hold no simulation
logic of their own.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..core.errors import InvalidParameter

__all__ = ["make_client", "CLIENTS"]

#: service name as boto3 spells it -> "module:Class"
CLIENTS: dict[str, str] = {
    "iam": "awskit.api.iam:IAMClient",
    "s3": "awskit.api.s3:S3Client",
    "sts": "awskit.api.sts:STSClient",
    "ec2": "awskit.api.ec2:EC2Client",
    "cloudwatch": "awskit.api.cloudwatch:CloudWatchClient",
    "logs": "awskit.api.logs:LogsClient",
    "dynamodb": "awskit.api.dynamodb:DynamoDBClient",
    "glacier": "awskit.api.glacier:GlacierClient",
    "lambda": "awskit.api.awslambda:LambdaClient",
    "support": "awskit.api.support:SupportClient",
    "rds": "awskit.api.rds:RDSClient",
    "autoscaling": "awskit.api.autoscaling:AutoScalingClient",
    "elbv2": "awskit.api.elbv2:ELBv2Client",
    "elb": "awskit.api.elb:ELBClient",
    "cloudfront": "awskit.api.cloudfront:CloudFrontClient",
    "redshift": "awskit.api.redshift:RedshiftClient",
    "redshift-data": "awskit.api.redshift_data:RedshiftDataClient",
    "elasticbeanstalk": "awskit.api.elasticbeanstalk:ElasticBeanstalkClient",
}

#: keyword arguments boto3.client() accepts besides the service and region; awskit accepts
#: them so existing scripts run unchanged (credentials choose the account where the
#: account exists; endpoints and TLS settings have no meaning in a simulation).
BOTO3_CLIENT_KWARGS = {
    "api_version", "use_ssl", "verify", "endpoint_url", "aws_access_key_id",
    "aws_secret_access_key", "aws_session_token", "config", "aws_account_id",
}


def make_client(cloud, service: str, region_name: str | None = None, **kwargs: Any):
    if not isinstance(service, str) or service not in CLIENTS:
        raise InvalidParameter(
            "UnknownServiceError",
            f"Unknown service: {service!r}. Valid service names are: {', '.join(sorted(CLIENTS))}.",
        )
    unknown = set(kwargs) - BOTO3_CLIENT_KWARGS
    if unknown:
        raise InvalidParameter(
            "ParamValidationError",
            f"client() got unexpected keyword argument(s) {', '.join(sorted(unknown))}; boto3.client "
            f"accepts: region_name, {', '.join(sorted(BOTO3_CLIENT_KWARGS))}.",
        )
    module, _, name = CLIENTS[service].partition(":")
    cls = getattr(importlib.import_module(module), name)
    region = cloud.region(region_name)  # validates the region code
    return cls(cloud, region, **kwargs)
