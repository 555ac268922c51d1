"""What every facade client shares: boto3's parameter checks, exception classes, metadata, waiters."""

import pytest

import awskit
from awskit import AWSError, Cloud
from awskit.api.base import ParamValidationError


@pytest.fixture
def ec2():
    return Cloud(seed=0).client("ec2")


def test_positional_arguments_are_refused_like_boto3(ec2):
    with pytest.raises(TypeError):
        ec2.describe_availability_zones(["us-east-1a"])


def test_unknown_parameter_is_a_param_validation_error(ec2):
    with pytest.raises(ParamValidationError) as err:
        ec2.describe_availability_zones(ZoneName=["us-east-1a"])
    assert err.value.code == "ParamValidationError"
    assert "ZoneNames" in str(err.value)  # lists the valid names


def test_wrong_type_is_a_param_validation_error(ec2):
    with pytest.raises(ParamValidationError):
        ec2.describe_availability_zones(ZoneNames="us-east-1a")


def test_responses_carry_response_metadata(ec2):
    meta = ec2.describe_regions()["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 200 and meta["RequestId"]


def test_errors_name_the_operation_and_are_client_errors(ec2):
    with pytest.raises(ec2.exceptions.ClientError) as err:
        ec2.describe_availability_zones(ZoneNames=["us-east-1z"])
    assert err.value.operation == "DescribeAvailabilityZones"
    assert err.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert "DescribeAvailabilityZones" in str(err.value)


def test_exceptions_subclass_the_error_family(ec2):
    cls = ec2.exceptions.from_code("InvalidVpcID.NotFound")
    assert issubclass(cls, AWSError) and issubclass(cls, LookupError)


def test_unknown_waiter_teaches(ec2):
    with pytest.raises(AWSError):
        ec2.get_waiter("no_such_waiter")


def test_unknown_paginator_teaches(ec2):
    assert not ec2.can_paginate("describe_regions")
    with pytest.raises(AWSError):
        ec2.get_paginator("describe_regions")


def test_module_level_client_uses_default_cloud():
    cloud = awskit.reset(seed=11)
    assert awskit.client("ec2")._cloud is cloud
