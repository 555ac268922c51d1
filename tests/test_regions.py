import pytest

from awskit import AWSError
from awskit.regions import EDGE_LOCATIONS, REGIONS, latency_ms, nearest_edge, region_info


def test_catalog_has_the_largest_regions_with_real_az_names():
    assert len(REGIONS) >= 10
    assert [az.name for az in REGIONS["us-east-1"].azs] == [f"us-east-1{c}" for c in "abcdef"]
    assert [az.name for az in REGIONS["ap-northeast-1"].azs] == ["ap-northeast-1a", "ap-northeast-1c",
                                                               "ap-northeast-1d"]
    assert REGIONS["us-east-1"].azs[0].zone_id == "use1-az1"


def test_every_region_has_at_least_two_azs():
    # Since 2020 every new Region launches with at least three AZs; us-west-1 has two for new accounts.
    assert all(len(r.azs) >= 2 for r in REGIONS.values())


def test_region_info_teaches_on_typo():
    with pytest.raises(AWSError) as err:
        region_info("us-east1")
    assert err.value.code == "InvalidParameterValue"


def test_latency_grows_with_distance():
    assert latency_ms("London", "Paris") < latency_ms("London", "New York") < latency_ms("London", "Sydney")


def test_nearest_edge_is_local():
    assert nearest_edge("Tokyo").city == "Tokyo"
    assert nearest_edge((48.2, 16.4)).city in {"Frankfurt", "Milan", "Warsaw"}  # Vienna


def test_unknown_city_is_rejected():
    with pytest.raises(AWSError):
        nearest_edge("Atlantis")


def test_edge_codes_are_unique():
    codes = [e.code for e in EDGE_LOCATIONS]
    assert len(codes) == len(set(codes))
