"""The same boto3-style workload through awskit's facade and through moto, in one process.

Prints one row per scenario: median seconds over REPEATS runs for each backend and the
throughput ratio (moto time / awskit time).  Goal (issue 8): awskit at least 20x on every row.
Run: make bench  (or .venv/bin/python bench/facade_vs_moto.py [--quick])
"""

from __future__ import annotations

import os
import statistics
import sys
import time

REPEATS = 3
QUICK = "--quick" in sys.argv
N = 100 if QUICK else 1000          # S3/DynamoDB calls per scenario
INSTANCES = 20 if QUICK else 100
DESCRIBES = 40 if QUICK else 200
VPCS = 20 if QUICK else 100

for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "AWS_DEFAULT_REGION": "us-east-1"}.items():
    os.environ.setdefault(key, value)


def s3_put(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="bench-bucket")
    body = b"x" * 1024
    t = time.perf_counter()
    for i in range(N):
        s3.put_object(Bucket="bench-bucket", Key=f"k{i}", Body=body)
    return time.perf_counter() - t


def s3_get(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="bench-bucket")
    for i in range(N):
        s3.put_object(Bucket="bench-bucket", Key=f"k{i}", Body=b"x" * 1024)
    t = time.perf_counter()
    for i in range(N):
        s3.get_object(Bucket="bench-bucket", Key=f"k{i}")["Body"].read()
    return time.perf_counter() - t


def _table(client, advance):
    ddb = client("dynamodb")
    ddb.create_table(TableName="bench", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    advance()
    return ddb


def ddb_put(client, advance):
    ddb = _table(client, advance)
    t = time.perf_counter()
    for i in range(N):
        ddb.put_item(TableName="bench", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
    return time.perf_counter() - t


def ddb_get(client, advance):
    ddb = _table(client, advance)
    for i in range(N):
        ddb.put_item(TableName="bench", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
    t = time.perf_counter()
    for i in range(N):
        ddb.get_item(TableName="bench", Key={"pk": {"S": f"k{i}"}})
    return time.perf_counter() - t


def _ami(ec2):
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    return sorted(i["ImageId"] for i in images)[0]


def run_instances(client):
    ec2 = client("ec2")
    ami = _ami(ec2)
    t = time.perf_counter()
    for _ in range(INSTANCES):
        ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1)
    return time.perf_counter() - t


def describe_instances(client):
    ec2 = client("ec2")
    ami = _ami(ec2)
    ids = [ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
           for _ in range(INSTANCES)]
    t = time.perf_counter()
    for i in range(DESCRIBES):
        ec2.describe_instances(InstanceIds=[ids[i % len(ids)]])
    return time.perf_counter() - t


def build_vpcs(client):
    ec2 = client("ec2")
    t = time.perf_counter()
    for i in range(VPCS):
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        for j in range(2):
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{j}.0/24", AvailabilityZone=f"us-east-1{'ab'[j]}")
        rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
        ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
        sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpProtocol="tcp", FromPort=80, ToPort=80,
                                             CidrIp="0.0.0.0/0")
        # Tear it down again: an account holds at most 5 VPCs per Region.
        ec2.delete_security_group(GroupId=sg)
        ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0")
        ec2.delete_route_table(RouteTableId=rtb)
        ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
        ec2.delete_internet_gateway(InternetGatewayId=igw)
        for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]:
            ec2.delete_subnet(SubnetId=subnet["SubnetId"])
        ec2.delete_vpc(VpcId=vpc)
    return time.perf_counter() - t


SCENARIOS = [
    (f"S3 put_object 1 KiB x{N}", s3_put, False),
    (f"S3 get_object 1 KiB x{N}", s3_get, False),
    (f"DynamoDB put_item x{N}", ddb_put, True),
    (f"DynamoDB get_item x{N}", ddb_get, True),
    (f"EC2 run_instances x{INSTANCES} (one per call)", run_instances, False),
    (f"EC2 describe_instances x{DESCRIBES} ({INSTANCES} present)", describe_instances, False),
    (f"VPC+2 subnets+RT+IGW+SG, built and deleted x{VPCS}", build_vpcs, False),
]


def awskit_run(fn, needs_advance):
    from awskit import Cloud

    cloud = Cloud(seed=0)
    # awskit's EC2 vCPU quota (32 standard vCPUs, like a new account) would refuse 100 t3.micro.
    if hasattr(cloud.ec2, "set_vcpu_quota"):
        cloud.ec2.set_vcpu_quota("standard", 10_000)
    client = lambda service, region_name="us-east-1": cloud.client(service, region_name=region_name)  # noqa: E731
    if needs_advance:
        return fn(client, lambda: cloud.clock.advance(10))
    return fn(client)


def moto_run(fn, needs_advance):
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = lambda service, region_name="us-east-1": boto3.client(service, region_name=region_name)  # noqa: E731
        if needs_advance:
            return fn(client, lambda: None)
        return fn(client)


def growth() -> None:
    """How awskit's per-call cost grows when the account holds 10x more (it should not)."""
    from awskit import Cloud

    print(f"\n{'awskit per-call cost as the account grows':52} {'1x us':>9} {'10x us':>9} {'ratio':>7}")
    rows = []
    for label, sizes in (("describe_instances by id", (100, 1000)), ("S3 get_object (objects in bucket)", (1000, 10000)),
                         ("DynamoDB get_item (items in table)", (1000, 10000))):
        per = []
        for size in sizes:
            cloud = Cloud(seed=0)
            if label.startswith("describe"):
                cloud.ec2.set_vcpu_quota("standard", 4 * size)
                ec2 = cloud.client("ec2")
                ami = _ami(ec2)
                ids = [i["InstanceId"] for i in ec2.run_instances(ImageId=ami, InstanceType="t3.nano", MinCount=size,
                                                                  MaxCount=size)["Instances"]]
                call = lambda i, ec2=ec2, ids=ids: ec2.describe_instances(InstanceIds=[ids[i % len(ids)]])  # noqa: E731
            elif label.startswith("S3"):
                s3 = cloud.client("s3")
                s3.create_bucket(Bucket="grow")
                for i in range(size):
                    s3.put_object(Bucket="grow", Key=f"k{i}", Body=b"x")
                call = lambda i, s3=s3, size=size: s3.get_object(Bucket="grow", Key=f"k{i % size}")  # noqa: E731
            else:
                ddb = _table(lambda service, region_name="us-east-1", c=cloud: c.client(service, region_name=region_name),
                             lambda c=cloud: c.clock.advance(10))
                for i in range(size):
                    ddb.put_item(TableName="bench", Item={"pk": {"S": f"k{i}"}})
                    if i % 900 == 0:
                        cloud.clock.advance(1)
                call = lambda i, ddb=ddb, size=size: ddb.get_item(TableName="bench", Key={"pk": {"S": f"k{i % size}"}})  # noqa: E731
            t = time.perf_counter()
            for i in range(500):
                call(i)
            per.append((time.perf_counter() - t) / 500 * 1e6)
        rows.append((label, per))
        print(f"{label:52} {per[0]:9.1f} {per[1]:9.1f} {per[1] / per[0]:6.2f}x", flush=True)
    print("a ratio near 1.0x means the call does not slow down as the account grows")


def main() -> None:
    import boto3  # noqa: F401  (import cost outside the timings)
    import moto  # noqa: F401

    print(f"{'scenario':52} {'awskit s':>9} {'moto s':>9} {'ratio':>7}")
    ratios = []
    for name, fn, adv in SCENARIOS:
        a = statistics.median(awskit_run(fn, adv) for _ in range(REPEATS))
        m = statistics.median(moto_run(fn, adv) for _ in range(REPEATS))
        ratios.append(m / a)
        print(f"{name:52} {a:9.4f} {m:9.4f} {m / a:6.1f}x", flush=True)
    print(f"{'smallest ratio':52} {'':9} {'':9} {min(ratios):6.1f}x  (goal: >= 20x)")
    growth()


if __name__ == "__main__":
    main()
