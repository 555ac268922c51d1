"""The boto3-shaped Glacier client."""

import json

import pytest

from awskit.core.errors import AWSError
from awskit.glacier import tree_hash

MIB = 1024 * 1024


@pytest.fixture
def gl(cloud):
    c = cloud.client("glacier")
    c.create_vault(vaultName="v")
    return c


def _code(call, **kwargs):
    with pytest.raises(AWSError) as info:
        call(**kwargs)
    return info.value.code


def test_missing_vault_raises_modelled_exception_class(gl):
    with pytest.raises(gl.exceptions.ResourceNotFoundException):
        gl.describe_vault(vaultName="nope")


def test_account_id_of_own_account_works_and_other_is_denied(gl, cloud):
    assert gl.describe_vault(accountId=cloud.account_id, vaultName="v")["VaultName"] == "v"
    assert _code(gl.describe_vault, accountId="111122223333", vaultName="v") == "AccessDeniedException"
    assert _code(gl.describe_vault, accountId="12-34", vaultName="v") == "InvalidParameterValueException"


def test_describe_vault_after_inventory_has_last_inventory_date(gl, cloud):
    gl.upload_archive(vaultName="v", body=b"abc")
    cloud.clock.advance(days=1)
    d = gl.describe_vault(vaultName="v")
    assert (d["NumberOfArchives"], d["SizeInBytes"], d["LastInventoryDate"]) == (1, 3, "2026-01-06T09:00:00.000Z")


def test_upload_location_names_the_archive(gl, cloud):
    r = gl.upload_archive(vaultName="v", body=b"abc")
    assert r["location"] == f"/{cloud.account_id}/vaults/v/archives/{r['archiveId']}"


def test_multipart_through_the_client(gl):
    data = b"m" * (MIB + 10)
    up = gl.initiate_multipart_upload(vaultName="v", partSize=str(MIB), archiveDescription="mp")
    gl.upload_multipart_part(vaultName="v", uploadId=up["uploadId"], range=f"bytes 0-{MIB - 1}/*", body=data[:MIB])
    gl.upload_multipart_part(vaultName="v", uploadId=up["uploadId"], range=f"bytes {MIB}-{MIB + 9}/*",
                             body=data[MIB:])
    parts = gl.list_parts(vaultName="v", uploadId=up["uploadId"])
    assert [p["RangeInBytes"] for p in parts["Parts"]] == [f"0-{MIB - 1}", f"{MIB}-{MIB + 9}"]
    assert gl.list_multipart_uploads(vaultName="v")["UploadsList"][0]["MultipartUploadId"] == up["uploadId"]
    done = gl.complete_multipart_upload(vaultName="v", uploadId=up["uploadId"], archiveSize=str(len(data)),
                                        checksum=tree_hash(data))
    assert done["checksum"] == tree_hash(data)


def test_list_vaults_paginator_walks_every_page(cloud):
    gl = cloud.client("glacier")
    for i in range(5):
        gl.create_vault(vaultName=f"p{i}")
    pages = list(gl.get_paginator("list_vaults").paginate(PaginationConfig={"PageSize": "2"}))
    assert [len(p["VaultList"]) for p in pages] == [2, 2, 1]


def test_vault_exists_waiter(gl):
    gl.get_waiter("vault_exists").wait(vaultName="v")


def test_initiate_job_rejects_unknown_job_parameter(gl):
    assert _code(gl.initiate_job, vaultName="v", jobParameters={"Type": "inventory-retrieval",
                                                                "Speed": "fast"}) == "ParamValidationError"


def test_ranged_get_job_output_shape(gl, cloud):
    aid = gl.upload_archive(vaultName="v", body=b"0123456789", archiveDescription="digits")["archiveId"]
    job = gl.initiate_job(vaultName="v", jobParameters={"Type": "archive-retrieval", "ArchiveId": aid,
                                                        "Tier": "Expedited"})
    cloud.clock.advance(minutes=5)
    out = gl.get_job_output(vaultName="v", jobId=job["jobId"], range="bytes=2-5")
    assert (out["body"].read(), out["status"], out["contentRange"], out["archiveDescription"]) == (
        b"2345", 206, "bytes 2-5/10", "digits")


def test_describe_job_after_completion(gl, cloud):
    aid = gl.upload_archive(vaultName="v", body=b"x")["archiveId"]
    job = gl.initiate_job(vaultName="v", jobParameters={"Type": "archive-retrieval", "ArchiveId": aid,
                                                        "Tier": "Bulk", "Description": "nightly"})
    cloud.clock.advance(hours=12)
    d = gl.describe_job(vaultName="v", jobId=job["jobId"])
    assert (d["StatusCode"], d["Completed"], d["JobDescription"], d["RetrievalByteRange"], d["SHA256TreeHash"]) == (
        "Succeeded", True, "nightly", "0-0", tree_hash(b"x"))
    assert gl.list_jobs(vaultName="v", completed="true")["JobList"][0]["JobId"] == job["jobId"]


def test_inventory_job_through_client(gl, cloud):
    gl.upload_archive(vaultName="v", body=b"abc")
    cloud.clock.advance(days=1)
    job = gl.initiate_job(vaultName="v", jobParameters={"Type": "inventory-retrieval", "Format": "JSON"})
    cloud.clock.advance(hours=5)
    out = gl.get_job_output(vaultName="v", jobId=job["jobId"])
    assert out["contentType"] == "application/json"
    assert json.loads(out["body"].read())["ArchiveList"][0]["Size"] == 3


def test_vault_lock_shapes(gl, cloud):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "glacier:DeleteArchive",
        "Resource": f"arn:aws:glacier:us-east-1:{cloud.account_id}:vaults/v"}]})
    lock_id = gl.initiate_vault_lock(vaultName="v", policy={"Policy": policy})["lockId"]
    got = gl.get_vault_lock(vaultName="v")
    assert (got["Policy"], got["State"], got["ExpirationDate"]) == (policy, "InProgress", "2026-01-06T09:00:00.000Z")
    gl.complete_vault_lock(vaultName="v", lockId=lock_id)
    assert "ExpirationDate" not in gl.get_vault_lock(vaultName="v")


def test_access_policy_shapes(gl):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "glacier:ListJobs", "Resource": "*"}]})
    gl.set_vault_access_policy(vaultName="v", policy={"Policy": policy})
    got = gl.get_vault_access_policy(vaultName="v")
    assert set(got) - {"ResponseMetadata"} == {"policy"} and got["policy"] == {"Policy": policy}


def test_provisioned_capacity_shapes(gl):
    cap = gl.purchase_provisioned_capacity()["capacityId"]
    listed = gl.list_provisioned_capacity()["ProvisionedCapacityList"]
    assert listed[0]["CapacityId"] == cap and {"StartDate", "ExpirationDate"} <= set(listed[0])


def test_notifications_shape(gl, cloud):
    topic = f"arn:aws:sns:us-east-1:{cloud.account_id}:t"
    gl.set_vault_notifications(vaultName="v", vaultNotificationConfig={"SNSTopic": topic,
                                                                       "Events": ["InventoryRetrievalCompleted"]})
    assert gl.get_vault_notifications(vaultName="v")["vaultNotificationConfig"]["SNSTopic"] == topic


def test_tags_shape(gl):
    gl.add_tags_to_vault(vaultName="v", Tags={"k": "v"})
    assert gl.list_tags_for_vault(vaultName="v")["Tags"] == {"k": "v"}
