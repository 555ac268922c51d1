"""Reachability Analyzer through boto3's EC2 calls: saved paths, analyses, explanations."""

import pytest

from awskit import AWSError, Cloud


@pytest.fixture
def setup():
    cloud = Cloud(seed=3)
    ec2 = cloud.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet)
    sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    eni = ec2.create_network_interface(SubnetId=subnet, Groups=[sg])["NetworkInterface"]["NetworkInterfaceId"]
    cloud.vpc.associate_public_ip(eni)
    return cloud, ec2, igw, sg, eni


def _analyse(ec2, igw, eni, port):
    path = ec2.create_network_insights_path(Source=igw, Destination=eni, Protocol="tcp",
                                            DestinationPort=port)["NetworkInsightsPath"]
    started = ec2.start_network_insights_analysis(NetworkInsightsPathId=path["NetworkInsightsPathId"])
    aid = started["NetworkInsightsAnalysis"]["NetworkInsightsAnalysisId"]
    return ec2.describe_network_insights_analyses(NetworkInsightsAnalysisIds=[aid])["NetworkInsightsAnalyses"][0]


def test_blocked_path_explains_with_security_group(setup):
    cloud, ec2, igw, sg, eni = setup
    analysis = _analyse(ec2, igw, eni, 80)
    assert analysis["Status"] == "succeeded" and analysis["NetworkPathFound"] is False
    explanation = analysis["Explanations"][0]
    assert explanation["ExplanationCode"] == "ENI_SG_RULES_MISMATCH"
    assert explanation["SecurityGroup"]["Id"] == sg


def test_path_found_after_rule_added_and_old_analysis_unchanged(setup):
    cloud, ec2, igw, sg, eni = setup
    before = _analyse(ec2, igw, eni, 80)
    ec2.authorize_security_group_ingress(GroupId=sg, IpProtocol="tcp", FromPort=80, ToPort=80, CidrIp="0.0.0.0/0")
    after = _analyse(ec2, igw, eni, 80)
    assert after["NetworkPathFound"] is True and after["Explanations"] == []
    again = ec2.describe_network_insights_analyses(
        NetworkInsightsAnalysisIds=[before["NetworkInsightsAnalysisId"]])["NetworkInsightsAnalyses"][0]
    assert again["NetworkPathFound"] is False  # an analysis is a snapshot of when it ran


def test_start_answers_running_like_aws(setup):
    cloud, ec2, igw, sg, eni = setup
    pid = ec2.create_network_insights_path(Source=igw, Destination=eni, Protocol="tcp",
                                           DestinationPort=22)["NetworkInsightsPath"]["NetworkInsightsPathId"]
    started = ec2.start_network_insights_analysis(NetworkInsightsPathId=pid)["NetworkInsightsAnalysis"]
    assert started["Status"] == "running" and started["NetworkInsightsPathId"] == pid


def test_describe_paths_and_filter_analyses_by_path(setup):
    cloud, ec2, igw, sg, eni = setup
    _analyse(ec2, igw, eni, 80)
    paths = ec2.describe_network_insights_paths()["NetworkInsightsPaths"]
    assert len(paths) == 1 and paths[0]["Destination"] == eni and paths[0]["DestinationPort"] == 80
    by_path = ec2.describe_network_insights_analyses(NetworkInsightsPathId=paths[0]["NetworkInsightsPathId"])
    assert len(by_path["NetworkInsightsAnalyses"]) == 1


def test_unknown_ids_are_not_found(setup):
    cloud, ec2, igw, sg, eni = setup
    with pytest.raises(AWSError) as err:
        ec2.start_network_insights_analysis(NetworkInsightsPathId="nip-00000000000000000")
    assert err.value.code == "InvalidNetworkInsightsPathId.NotFound"
    with pytest.raises(AWSError) as err:
        ec2.create_network_insights_path(Source=igw, Destination="eni-0000000000000000f", Protocol="tcp")
    assert err.value.code == "InvalidNetworkInterfaceID.NotFound"


def test_path_with_analyses_cannot_be_deleted_first(setup):
    cloud, ec2, igw, sg, eni = setup
    analysis = _analyse(ec2, igw, eni, 80)
    with pytest.raises(AWSError) as err:
        ec2.delete_network_insights_path(NetworkInsightsPathId=analysis["NetworkInsightsPathId"])
    assert err.value.code == "DependencyViolation"
    ec2.delete_network_insights_analysis(NetworkInsightsAnalysisId=analysis["NetworkInsightsAnalysisId"])
    ec2.delete_network_insights_path(NetworkInsightsPathId=analysis["NetworkInsightsPathId"])
    assert ec2.describe_network_insights_paths()["NetworkInsightsPaths"] == []


def test_bad_protocol_and_missing_destination_teach(setup):
    cloud, ec2, igw, sg, eni = setup
    with pytest.raises(AWSError) as err:
        ec2.create_network_insights_path(Source=eni, Protocol="icmp", DestinationIp="8.8.8.8")
    assert err.value.code == "InvalidParameterValue"
    with pytest.raises(AWSError) as err:
        ec2.create_network_insights_path(Source=eni, Protocol="tcp")
    assert err.value.code == "MissingParameter"
