"""Chapter 1 through boto3: regions and Availability Zones, awskit against moto."""

from .conftest import error_code, keys, moto_differs


def test_describe_regions_shape(client):
    regions = client("ec2").describe_regions()["Regions"]
    names = {r["RegionName"] for r in regions}
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= names
    assert {"Endpoint", "RegionName", "OptInStatus"} <= set(regions[0])


def test_describe_regions_by_name(client):
    regions = client("ec2").describe_regions(RegionNames=["eu-west-1"])["Regions"]
    assert [r["RegionName"] for r in regions] == ["eu-west-1"]
    assert regions[0]["Endpoint"] == "ec2.eu-west-1.amazonaws.com"


@moto_differs("moto leaves out OptInStatus, which AWS documents on every AvailabilityZone")
def test_describe_availability_zones_of_client_region(client):
    resp = client("ec2", "eu-west-1").describe_availability_zones()
    assert keys(resp) == {"AvailabilityZones"}
    zones = resp["AvailabilityZones"]
    assert [z["ZoneName"] for z in zones] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    assert {"ZoneName", "ZoneId", "RegionName", "State", "Messages", "OptInStatus", "ZoneType"} <= set(zones[0])
    assert all(z["State"] == "available" and z["RegionName"] == "eu-west-1" for z in zones)


def test_filter_availability_zones_by_name(client):
    zones = client("ec2").describe_availability_zones(
        Filters=[{"Name": "zone-name", "Values": ["us-east-1b"]}])["AvailabilityZones"]
    assert [z["ZoneName"] for z in zones] == ["us-east-1b"]


@moto_differs("moto ignores unknown filter names; EC2 rejects them with InvalidParameterValue")
def test_unknown_filter_is_invalid(client):
    assert error_code(client("ec2").describe_regions,
                      Filters=[{"Name": "no-such-filter", "Values": ["x"]}]) in {"InvalidParameterValue"}
