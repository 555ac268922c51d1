import pytest

import awskit
from awskit import AWSError, Cloud


def test_public_face_is_small_and_complete():
    assert set(awskit.__all__) == {"Cloud", "AWSError", "client", "default_cloud", "reset", "sleep", "__version__",
                                   "check", "progress", "variant"}
    for name in awskit.__all__:
        assert hasattr(awskit, name)


def test_import_is_light():
    import subprocess
    import sys

    code = ("import sys, awskit; heavy = [m for m in ('pandas', 'matplotlib', 'ipywidgets', 'IPython', 'numpy') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_clouds_do_not_share_state():
    a, b = Cloud(seed=1), Cloud(seed=1)
    a.clock.advance(60)
    assert b.clock.now == 0.0
    assert a.account_id == b.account_id  # same seed, same account number


def test_unknown_region_lists_valid_codes():
    with pytest.raises(AWSError) as err:
        Cloud(region="mars-north-1")
    assert err.value.code == "InvalidParameterValue"
    assert "us-east-1" in err.value.message


def test_bad_seed_is_rejected():
    with pytest.raises(AWSError):
        Cloud(seed="zero")


def test_second_account_shares_clock_but_not_resources():
    a = Cloud(seed=0)
    b = a.create_account()
    assert b.account_id != a.account_id
    a.clock.advance(10)
    assert b.clock.now == 10.0
    assert a.namespace("s3") is b.namespace("s3")
    assert a.account(b.account_id) is b


def test_unknown_account_is_not_found():
    with pytest.raises(LookupError):
        Cloud().account("000000000000")


def test_fail_and_restore_az_publish_events():
    cloud, seen = Cloud(), []
    cloud.events.subscribe("az.*", lambda m: seen.append((m.topic, m["az"])))
    cloud.fail_az("us-east-1a")
    cloud.fail_az("us-east-1a")  # already down: no second event
    assert not cloud.az_available("us-east-1a")
    cloud.restore_az("us-east-1a")
    assert seen == [("az.failed", "us-east-1a"), ("az.restored", "us-east-1a")]


def test_fail_unknown_az_teaches():
    with pytest.raises(AWSError) as err:
        Cloud().fail_az("us-east-1z")
    assert err.value.code == "InvalidParameterValue"
    assert "us-east-1a" in err.value.message


def test_unknown_service_attribute_lists_services():
    with pytest.raises(AttributeError, match="Services"):
        Cloud().sqs


def test_default_client_and_sleep_use_the_default_cloud():
    cloud = awskit.reset(seed=3)
    before = cloud.clock.now
    awskit.sleep(90)
    assert awskit.default_cloud() is cloud and cloud.clock.now == before + 90


def test_client_rejects_unknown_service_and_kwargs():
    with pytest.raises(AWSError) as err:
        awskit.client("nosuchservice")
    assert err.value.code == "UnknownServiceError"
    with pytest.raises(AWSError) as err:
        awskit.client("ec2", regoin_name="us-east-1")
    assert err.value.code == "ParamValidationError"


def test_client_accepts_boto3_keyword_arguments():
    ec2 = awskit.client("ec2", region_name="eu-west-1", aws_access_key_id="AKIAEXAMPLE",
                        aws_secret_access_key="x", endpoint_url="http://localhost:4566", config=None)
    assert ec2.meta.region_name == "eu-west-1"
