"""Elastic Beanstalk: the same boto3 calls against moto and awskit: response keys and error codes.

moto's Beanstalk backend is small (applications, environments as records, solution stacks);
where it departs from AWS the test follows AWS and says so.
"""

import pytest

from .conftest import error_code, keys, moto_differs

STACK = "64bit Amazon Linux 2023 v4.6.0 running Python 3.11"


@pytest.fixture
def eb(client):
    return client("elasticbeanstalk")


def test_create_application_shape(eb):
    resp = eb.create_application(ApplicationName="shop")
    assert keys(resp) == {"Application"}
    assert {"ApplicationArn", "ApplicationName"} <= set(resp["Application"])
    assert resp["Application"]["ApplicationArn"].startswith("arn:aws:elasticbeanstalk:us-east-1:")


def test_describe_applications_lists_the_application(eb):
    eb.create_application(ApplicationName="shop")
    apps = eb.describe_applications()["Applications"]
    assert [a["ApplicationName"] for a in apps] == ["shop"]


def test_duplicate_application_is_invalid_parameter_value(eb):
    eb.create_application(ApplicationName="shop")
    assert error_code(eb.create_application, ApplicationName="shop") == "InvalidParameterValue"


def test_create_environment_shape(eb):
    eb.create_application(ApplicationName="shop")
    env = eb.create_environment(ApplicationName="shop", EnvironmentName="shop-prod", SolutionStackName=STACK)
    assert {"EnvironmentName", "ApplicationName", "Status", "Health", "Tier", "EnvironmentArn"} <= keys(env)
    assert env["Tier"]["Name"] == "WebServer"


def test_describe_environments_finds_the_environment(eb):
    eb.create_application(ApplicationName="shop")
    eb.create_environment(ApplicationName="shop", EnvironmentName="shop-prod", SolutionStackName=STACK)
    envs = eb.describe_environments()["Environments"]
    assert [e["EnvironmentName"] for e in envs] == ["shop-prod"]
    assert {"EnvironmentName", "ApplicationName", "Status", "Health", "Tier"} <= set(envs[0])


def test_environment_of_unknown_application_is_invalid_parameter_value(eb):
    assert error_code(eb.create_environment, ApplicationName="nope", EnvironmentName="shop-prod",
                      SolutionStackName=STACK) == "InvalidParameterValue"


def test_duplicate_environment_is_invalid_parameter_value(eb):
    eb.create_application(ApplicationName="shop")
    eb.create_environment(ApplicationName="shop", EnvironmentName="shop-prod", SolutionStackName=STACK)
    assert error_code(eb.create_environment, ApplicationName="shop", EnvironmentName="shop-prod",
                      SolutionStackName=STACK) == "InvalidParameterValue"


def test_list_available_solution_stacks_shape(eb):
    resp = eb.list_available_solution_stacks()
    assert keys(resp) == {"SolutionStacks", "SolutionStackDetails"}
    assert STACK in resp["SolutionStacks"]


@moto_differs("moto gives new environments no id, status Ready at once and no CNAME")
def test_new_environment_is_launching_with_an_e_id(eb):
    eb.create_application(ApplicationName="shop")
    env = eb.create_environment(ApplicationName="shop", EnvironmentName="shop-prod", SolutionStackName=STACK,
                                CNAMEPrefix="shop-prod")
    assert env["Status"] == "Launching" and env["EnvironmentId"].startswith("e-")
    assert env["CNAME"] == "shop-prod.us-east-1.elasticbeanstalk.com"


@moto_differs("moto accepts unknown solution stacks")
def test_unknown_solution_stack_is_invalid_parameter_value(eb):
    eb.create_application(ApplicationName="shop")
    assert error_code(eb.create_environment, ApplicationName="shop", EnvironmentName="shop-prod",
                      SolutionStackName="64bit Windows 95") == "InvalidParameterValue"


@moto_differs("moto does not model application versions")
def test_version_from_missing_s3_object_is_invalid_parameter_combination(eb, client):
    client("s3").create_bucket(Bucket="bundles-c1")
    eb.create_application(ApplicationName="shop")
    assert error_code(eb.create_application_version, ApplicationName="shop", VersionLabel="v1",
                      SourceBundle={"S3Bucket": "bundles-c1", "S3Key": "missing.zip"}) == "InvalidParameterCombination"
