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


# -- boto3's client-side check against the service model (awskit/api/models) ---------------------

def test_required_parameter_given_none_is_a_param_validation_error():
    s3 = Cloud(seed=0).client("s3")
    with pytest.raises(ParamValidationError):
        s3.head_bucket(Bucket=None)


def test_nested_unknown_key_is_a_param_validation_error():
    elb = Cloud(seed=0).client("elb")
    with pytest.raises(ParamValidationError) as err:
        elb.describe_instance_health(LoadBalancerName="clb", Instances=[{"Wrong": "i-1"}])
    assert "InstanceId" in str(err.value)  # lists the valid member names


def test_value_below_the_model_minimum_is_a_param_validation_error(ec2):
    with pytest.raises(ParamValidationError):
        ec2.describe_subnets(MaxResults=2)


def test_timestamp_given_as_epoch_seconds_is_accepted_like_boto3():
    s3 = Cloud(seed=0).client("s3")
    s3.create_bucket(Bucket="when")
    s3.put_object(Bucket="when", Key="k", Body=b"x")
    assert s3.get_object(Bucket="when", Key="k", IfUnmodifiedSince=4_000_000_000)["Body"].read() == b"x"


def test_timestamp_that_does_not_parse_is_a_param_validation_error():
    s3 = Cloud(seed=0).client("s3")
    s3.create_bucket(Bucket="when")
    with pytest.raises(ParamValidationError):
        s3.get_object(Bucket="when", Key="k", IfModifiedSince="yesterday")


def test_copy_source_as_a_dict_is_still_accepted_like_boto3():
    s3 = Cloud(seed=0).client("s3")
    s3.create_bucket(Bucket="src")
    s3.put_object(Bucket="src", Key="a", Body=b"x")
    s3.copy_object(Bucket="src", Key="b", CopySource={"Bucket": "src", "Key": "a"})
    assert s3.get_object(Bucket="src", Key="b")["Body"].read() == b"x"


def test_waiter_config_of_the_wrong_type_is_a_param_validation_error(ec2):
    with pytest.raises(ParamValidationError):
        ec2.get_waiter("instance_running").wait(InstanceIds=["i-0"], WaiterConfig="fast")


def test_waiter_on_a_probe_with_missing_arguments_is_a_param_validation_error():
    s3 = Cloud(seed=0).client("s3")
    with pytest.raises(ParamValidationError):
        s3.get_waiter("bucket_exists").wait()


def test_page_size_that_is_not_a_number_is_a_param_validation_error(ec2):
    with pytest.raises(ParamValidationError):
        ec2.get_paginator("describe_vpcs").paginate(PaginationConfig={"PageSize": "ten"})


def test_page_size_takes_the_type_of_the_operations_limit_like_botocore():
    glacier = Cloud(seed=0).client("glacier")  # Glacier's limit is a string in the model
    for i in range(3):
        glacier.create_vault(vaultName=f"v{i}")
    pages = list(glacier.get_paginator("list_vaults").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["VaultList"]) for p in pages] == [2, 1]


def test_launch_template_page_token_that_is_not_ours_is_invalid(ec2):
    with pytest.raises(AWSError) as err:
        ec2.describe_launch_templates(NextToken="not-a-token")
    assert err.value.code == "InvalidNextToken"
