"""Glacier: the same boto3 calls against moto and awskit: response keys and error codes.

moto finishes jobs after a few seconds of *wall-clock* time; AWS takes minutes to hours.
``later(hours)`` moves time on for either backend: awskit's simulated clock, or moto's
``datetime.now`` shifted through monkeypatch, so no test sleeps.
"""

import datetime as _dt
import types

import pytest

from .conftest import error_code, keys, moto_differs


@pytest.fixture
def glacier(client):
    return client("glacier")


@pytest.fixture
def later(backend, glacier, monkeypatch):
    shift = [0.0]

    def advance(hours: float) -> None:
        if backend == "awskit":
            glacier._cloud.clock.advance(hours=hours)
            return
        from moto.glacier import models

        shift[0] += hours

        class _Shifted(_dt.datetime):
            @classmethod
            def now(cls, tz=None):
                return _dt.datetime.now(tz) + _dt.timedelta(hours=shift[0])

        monkeypatch.setattr(models, "datetime", types.SimpleNamespace(datetime=_Shifted, timedelta=_dt.timedelta))

    return advance


@pytest.fixture
def vault(glacier):
    glacier.create_vault(vaultName="conf-vault")
    return "conf-vault"


@pytest.fixture
def archive_id(glacier, vault):
    return glacier.upload_archive(vaultName=vault, body=b"conformance bytes", archiveDescription="conf")["archiveId"]


def test_create_describe_list_delete_vault(glacier):
    glacier.create_vault(vaultName="life-vault")
    d = glacier.describe_vault(vaultName="life-vault")
    assert {"VaultARN", "VaultName", "CreationDate", "NumberOfArchives", "SizeInBytes"} <= keys(d)
    assert d["VaultName"] == "life-vault" and d["VaultARN"].endswith(":vaults/life-vault")
    listed = glacier.list_vaults()
    assert [v["VaultName"] for v in listed["VaultList"]] == ["life-vault"]
    glacier.delete_vault(vaultName="life-vault")
    assert glacier.list_vaults()["VaultList"] == []


@moto_differs("moto's CreateVault answers without the Location header AWS sends")
def test_create_vault_returns_location(glacier):
    assert glacier.create_vault(vaultName="loc-vault")["location"].endswith("/vaults/loc-vault")


@moto_differs("moto reports LastInventoryDate on a new vault; AWS has none until the first inventory")
def test_new_vault_has_no_last_inventory_date(glacier, vault):
    assert "LastInventoryDate" not in glacier.describe_vault(vaultName=vault)


@moto_differs("moto counts archives live; AWS reports them as of the last daily inventory")
def test_describe_vault_counts_lag_until_inventory(glacier, vault, archive_id):
    assert glacier.describe_vault(vaultName=vault)["NumberOfArchives"] == 0


def test_upload_archive_returns_id_and_tree_hash(glacier, vault):
    import io

    from botocore.utils import calculate_tree_hash

    resp = glacier.upload_archive(vaultName=vault, body=b"abc", archiveDescription="three bytes")
    assert {"archiveId", "checksum"} <= keys(resp)
    assert resp["checksum"] == calculate_tree_hash(io.BytesIO(b"abc"))


@moto_differs("moto does not verify the x-amz-sha256-tree-hash a client sends")
def test_upload_with_wrong_checksum_is_invalid_parameter(glacier, vault):
    assert error_code(glacier.upload_archive, vaultName=vault, body=b"abc",
                      checksum="0" * 64) == "InvalidParameterValueException"


def test_initiate_archive_retrieval_and_describe_job_shape(glacier, vault, archive_id):
    job = glacier.initiate_job(vaultName=vault, jobParameters={"Type": "archive-retrieval",
                                                              "ArchiveId": archive_id, "Tier": "Standard"})
    assert {"location", "jobId"} <= keys(job)
    d = glacier.describe_job(vaultName=vault, jobId=job["jobId"])
    assert {"JobId", "Action", "ArchiveId", "VaultARN", "CreationDate", "Completed", "StatusCode",
            "Tier"} <= keys(d)
    assert (d["Action"], d["StatusCode"], d["Completed"], d["Tier"]) == ("ArchiveRetrieval", "InProgress", False,
                                                                         "Standard")


def test_list_jobs_shape(glacier, vault, archive_id):
    glacier.initiate_job(vaultName=vault, jobParameters={"Type": "archive-retrieval", "ArchiveId": archive_id})
    listed = glacier.list_jobs(vaultName=vault)
    assert "JobList" in keys(listed) and len(listed["JobList"]) == 1
    assert listed["JobList"][0]["Action"] == "ArchiveRetrieval"


def test_get_job_output_after_completion(glacier, vault, archive_id, later):
    job = glacier.initiate_job(vaultName=vault, jobParameters={"Type": "archive-retrieval",
                                                              "ArchiveId": archive_id, "Tier": "Standard"})
    later(6)
    d = glacier.describe_job(vaultName=vault, jobId=job["jobId"])
    assert (d["StatusCode"], d["Completed"]) == ("Succeeded", True) and "CompletionDate" in d
    out = glacier.get_job_output(vaultName=vault, jobId=job["jobId"])
    assert out["body"].read() == b"conformance bytes"


@moto_differs("moto answers 404 with no error code before a job completes; AWS: InvalidParameterValueException")
def test_get_job_output_before_completion_is_invalid_parameter(glacier, vault, archive_id):
    job = glacier.initiate_job(vaultName=vault, jobParameters={"Type": "archive-retrieval",
                                                              "ArchiveId": archive_id, "Tier": "Bulk"})
    assert error_code(glacier.get_job_output, vaultName=vault, jobId=job["jobId"]) == \
        "InvalidParameterValueException"


@moto_differs("moto's code for a missing vault is VaultNotFound; AWS answers ResourceNotFoundException")
def test_missing_vault_is_resource_not_found(glacier):
    assert error_code(glacier.describe_vault, vaultName="no-such-vault") == "ResourceNotFoundException"


@moto_differs("moto accepts any vault name; AWS allows 1-255 of a-z A-Z 0-9 _ - .")
def test_bad_vault_name_is_invalid_parameter(glacier):
    assert error_code(glacier.create_vault, vaultName="bad name!") == "InvalidParameterValueException"


@moto_differs("moto deletes a vault that still holds archives")
def test_delete_non_empty_vault_is_invalid_parameter(glacier, vault, archive_id):
    assert error_code(glacier.delete_vault, vaultName=vault) == "InvalidParameterValueException"


def test_delete_archive(glacier, vault, archive_id):
    assert keys(glacier.delete_archive(vaultName=vault, archiveId=archive_id)) == set()
