import pickle

import pytest

from awskit.core.errors import (AccessDenied, AlreadyExists, AWSError, DependencyViolation,
                                InvalidParameter, NotFound, error_class)


def test_response_has_botocore_shape():
    err = NotFound("InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist")
    assert err.response["Error"] == {"Code": "InvalidVpcID.NotFound",
                                     "Message": "The vpc ID 'vpc-1' does not exist"}
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_families_are_also_builtin_exceptions():
    assert isinstance(NotFound("X.NotFound", "m"), LookupError)
    assert isinstance(InvalidParameter("InvalidParameterValue", "m"), ValueError)
    assert isinstance(AccessDenied("AccessDenied", "m"), PermissionError)
    assert AccessDenied("AccessDenied", "m").response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.parametrize("code, family", [
    ("InvalidSubnetID.NotFound", NotFound),
    ("NoSuchBucket", NotFound),
    ("ResourceNotFoundException", NotFound),
    ("BucketAlreadyExists", AlreadyExists),
    ("InvalidGroup.Duplicate", AlreadyExists),
    ("DependencyViolation", DependencyViolation),
    ("BucketNotEmpty", DependencyViolation),
    ("InvalidSubnet.Range", InvalidParameter),
    ("ValidationException", InvalidParameter),
])
def test_error_class_picks_family_from_code(code, family):
    assert error_class(code) is family


def test_str_names_code_and_operation_like_botocore():
    err = AWSError("NoSuchBucket", "The specified bucket does not exist", operation="GetObject")
    assert str(err) == ("An error occurred (NoSuchBucket) when calling the GetObject operation: "
                        "The specified bucket does not exist")


def test_errors_survive_pickling():
    err = pickle.loads(pickle.dumps(NotFound("NoSuchKey", "gone", operation="GetObject")))
    assert type(err) is NotFound and err.code == "NoSuchKey" and err.operation == "GetObject"
