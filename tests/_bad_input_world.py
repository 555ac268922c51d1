"""A small but complete world for the bad-input sweeps: one of each resource the facade and
the model can be asked about, built through the boto3-shaped clients, plus a valid value
for each parameter name so a sweep can break one parameter at a time and reach deep code."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from awskit import Cloud
from awskit.api import make_client

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buf.getvalue()


def build_world(seed: int = 0) -> tuple[Cloud, dict[str, Any]]:
    """A cloud with a VPC, an instance, a bucket, a table, IAM, Lambda, logs, a vault, RDS,
    Redshift, load balancers, an Auto Scaling group and an alarm; and valid parameter values."""
    cloud = Cloud(seed=seed)
    v: dict[str, Any] = {}
    ec2 = make_client(cloud, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sub = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    sub2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=sub,
                             SecurityGroupIds=[sg])["Instances"][0]["InstanceId"]
    vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    cloud.clock.advance(minutes=5)
    snap = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
    ec2.create_key_pair(KeyName="kp")
    v.update(VpcId=vpc, SubnetId=sub, GroupId=sg, InternetGatewayId=igw, RouteTableId=rtb, ImageId=ami,
             InstanceId=inst, VolumeId=vol, SnapshotId=snap, KeyName="kp", SubnetIds=[sub, sub2],
             SecurityGroupIds=[sg], InstanceIds=[inst], VpcIds=[vpc], VolumeIds=[vol], Resources=[vpc],
             AvailabilityZone="us-east-1a", CidrBlock="10.0.3.0/24", InstanceType="t3.micro",
             Device="/dev/sdf", GroupName="web", Description="desc")
    s3 = make_client(cloud, "s3")
    s3.create_bucket(Bucket="fuzz-bucket")
    s3.put_object(Bucket="fuzz-bucket", Key="k", Body=b"hello")
    upload = s3.create_multipart_upload(Bucket="fuzz-bucket", Key="mp")["UploadId"]
    v.update(Bucket="fuzz-bucket", Key="k", UploadId=upload, CopySource="fuzz-bucket/k", PartNumber=1)
    ddb = make_client(cloud, "dynamodb")
    table_arn = ddb.create_table(TableName="tbl", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                 KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                 BillingMode="PAY_PER_REQUEST")["TableDescription"]["TableArn"]
    cloud.clock.advance(minutes=1)
    ddb.put_item(TableName="tbl", Item={"pk": {"S": "a"}, "n": {"N": "1"}})
    v.update(TableName="tbl", Item={"pk": {"S": "b"}}, ResourceArn=table_arn)
    iam = make_client(cloud, "iam")
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="g")
    role_arn = iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    policy_arn = iam.create_policy(PolicyName="p", PolicyDocument=POLICY)["Policy"]["Arn"]
    v.update(UserName="alice", RoleName="r", PolicyArn=policy_arn, PolicyName="p", PolicyDocument=POLICY,
             AssumeRolePolicyDocument=TRUST, Role=role_arn, RoleArn=role_arn)
    lam = make_client(cloud, "lambda")
    lam.create_function(FunctionName="fn", Runtime="python3.12", Role=role_arn, Handler="app.handler",
                        Code={"ZipFile": _zip()})
    v.update(FunctionName="fn", Runtime="python3.12", Handler="app.handler", Code={"ZipFile": _zip()})
    logs = make_client(cloud, "logs")
    logs.create_log_group(logGroupName="lg")
    logs.create_log_stream(logGroupName="lg", logStreamName="ls")
    v.update(logGroupName="lg", logStreamName="ls")
    glacier = make_client(cloud, "glacier")
    glacier.create_vault(accountId="-", vaultName="vault")
    archive = glacier.upload_archive(accountId="-", vaultName="vault", body=b"data")["archiveId"]
    v.update(accountId="-", vaultName="vault", archiveId=archive)
    make_client(cloud, "rds").create_db_instance(
        DBInstanceIdentifier="db1", DBInstanceClass="db.t3.micro", Engine="mysql", MasterUsername="admin",
        MasterUserPassword="password123", AllocatedStorage=20)
    v.update(DBInstanceIdentifier="db1", DBInstanceClass="db.t3.micro", Engine="mysql")
    make_client(cloud, "redshift").create_cluster(
        ClusterIdentifier="rs1", NodeType="dc2.large", MasterUsername="admin", MasterUserPassword="Password123",
        ClusterType="single-node")
    v.update(ClusterIdentifier="rs1", NodeType="dc2.large")
    elbv2 = make_client(cloud, "elbv2")
    lb = elbv2.create_load_balancer(Name="alb", Subnets=[sub, sub2], SecurityGroups=[sg])["LoadBalancers"][0]
    tg = elbv2.create_target_group(Name="tg", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    listener = elbv2.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[
        {"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])["Listeners"][0]
    v.update(LoadBalancerArn=lb["LoadBalancerArn"], TargetGroupArn=tg["TargetGroupArn"],
             ListenerArn=listener["ListenerArn"], Name="alb", Targets=[{"Id": inst}])
    make_client(cloud, "elb").create_load_balancer(
        LoadBalancerName="clb", Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        AvailabilityZones=["us-east-1a"])
    v.update(LoadBalancerName="clb")
    ec2.create_launch_template(LaunchTemplateName="tmpl", LaunchTemplateData={"ImageId": ami, "InstanceType": "t3.micro"})
    make_client(cloud, "autoscaling").create_auto_scaling_group(
        AutoScalingGroupName="asg", LaunchTemplate={"LaunchTemplateName": "tmpl"}, MinSize=1, MaxSize=2,
        VPCZoneIdentifier=sub)
    v.update(AutoScalingGroupName="asg", LaunchTemplateName="tmpl", LaunchTemplate={"LaunchTemplateName": "tmpl"},
             MinSize=1, MaxSize=2)
    make_client(cloud, "cloudwatch").put_metric_alarm(
        AlarmName="al", MetricName="CPUUtilization", Namespace="AWS/EC2", Statistic="Average", Period=60,
        EvaluationPeriods=1, Threshold=50.0, ComparisonOperator="GreaterThanThreshold")
    v.update(AlarmName="al", AlarmNames=["al"], MetricName="CPUUtilization", Namespace="AWS/EC2")
    return cloud, v


#: valid values that differ by service for the same parameter name
SERVICE_VALUES = {"dynamodb": {"Key": {"pk": {"S": "a"}}}}
