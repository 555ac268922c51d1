"""A few AWS managed policies, with their real ARNs and the gist of their statements.

AWS maintains hundreds of managed policies and revises them; the statements below are
trimmed to what they grant in the services awskit models (checked against the AWS
Managed Policy Reference, 2025), so evaluating them here gives the answer AWS would.
"""

from __future__ import annotations

#: name -> (path, description, document)
AWS_MANAGED_POLICIES: dict[str, tuple[str, str, dict]] = {
    "AdministratorAccess": (
        "/", "Provides full access to AWS services and resources.",
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    ),
    "PowerUserAccess": (
        "/", ("Provides full access to AWS services and resources, but does not allow management of "
              "Users and groups."),
        {"Version": "2012-10-17",
         "Statement": [
             {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
             {"Effect": "Allow", "Action": ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole",
                                            "iam:ListRoles", "organizations:DescribeOrganization",
                                            "account:ListRegions", "account:GetAccountInformation"],
              "Resource": "*"}]},
    ),
    "ReadOnlyAccess": (
        "/", "Provides read-only access to AWS services and resources.",
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow",
                        "Action": ["autoscaling:Describe*", "cloudfront:Get*", "cloudfront:List*",
                                   "cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*",
                                   "dynamodb:BatchGet*", "dynamodb:Describe*", "dynamodb:Get*",
                                   "dynamodb:List*", "dynamodb:Query", "dynamodb:Scan",
                                   "ec2:Describe*", "ec2:Get*", "elasticbeanstalk:Describe*",
                                   "elasticloadbalancing:Describe*", "glacier:Describe*",
                                   "glacier:Get*", "glacier:List*", "iam:Generate*", "iam:Get*",
                                   "iam:List*", "iam:Simulate*", "lambda:Get*", "lambda:List*",
                                   "rds:Describe*", "rds:List*", "redshift:Describe*",
                                   "s3:Get*", "s3:List*", "sts:GetCallerIdentity",
                                   "trustedadvisor:Describe*"],
                        "Resource": "*"}]},
    ),
    "IAMFullAccess": (
        "/", "Provides full access to IAM via the AWS Management Console.",
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": ["iam:*", "organizations:DescribeAccount",
                                                     "organizations:DescribeOrganization",
                                                     "organizations:ListAccounts"],
                        "Resource": "*"}]},
    ),
    "IAMReadOnlyAccess": (
        "/", "Provides read only access to IAM via the AWS Management Console.",
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": ["iam:GenerateCredentialReport",
                                                     "iam:GenerateServiceLastAccessedDetails",
                                                     "iam:Get*", "iam:List*", "iam:SimulateCustomPolicy",
                                                     "iam:SimulatePrincipalPolicy"],
                        "Resource": "*"}]},
    ),
    "AmazonS3FullAccess": (
        "/", "Provides full access to all buckets via the AWS Management Console.",
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": ["s3:*", "s3-object-lambda:*"], "Resource": "*"}]},
    ),
    "AmazonS3ReadOnlyAccess": (
        "/", "Provides read only access to all buckets via the AWS Management Console.",
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "s3:Describe*",
                                                     "s3-object-lambda:Get*", "s3-object-lambda:List*"],
                        "Resource": "*"}]},
    ),
    "AmazonEC2FullAccess": (
        "/", "Provides full access to Amazon EC2 via the AWS Management Console.",
        {"Version": "2012-10-17",
         "Statement": [
             {"Action": "ec2:*", "Effect": "Allow", "Resource": "*"},
             {"Effect": "Allow", "Action": "elasticloadbalancing:*", "Resource": "*"},
             {"Effect": "Allow", "Action": "cloudwatch:*", "Resource": "*"},
             {"Effect": "Allow", "Action": "autoscaling:*", "Resource": "*"},
             {"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*",
              "Condition": {"StringEquals": {"iam:AWSServiceName": [
                  "autoscaling.amazonaws.com", "ec2scheduled.amazonaws.com",
                  "elasticloadbalancing.amazonaws.com", "spot.amazonaws.com",
                  "spotfleet.amazonaws.com", "transitgateway.amazonaws.com"]}}}]},
    ),
    "AmazonEC2ReadOnlyAccess": (
        "/", "Provides read only access to Amazon EC2 via the AWS Management Console.",
        {"Version": "2012-10-17",
         "Statement": [
             {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"},
             {"Effect": "Allow", "Action": "elasticloadbalancing:Describe*", "Resource": "*"},
             {"Effect": "Allow", "Action": ["cloudwatch:ListMetrics", "cloudwatch:GetMetricStatistics",
                                            "cloudwatch:Describe*"], "Resource": "*"},
             {"Effect": "Allow", "Action": "autoscaling:Describe*", "Resource": "*"}]},
    ),
    "AmazonDynamoDBFullAccess": (
        "/", "Provides full access to Amazon DynamoDB via the AWS Management Console.",
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": ["dynamodb:*", "cloudwatch:DeleteAlarms",
                                                     "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"],
                        "Resource": "*"}]},
    ),
    "AWSLambdaBasicExecutionRole": (
        "/service-role/", "Provides write permissions to CloudWatch Logs.",
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow",
                        "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": "*"}]},
    ),
    "AmazonSSMManagedInstanceCore": (
        "/", "The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.",
        {"Version": "2012-10-17",
         "Statement": [
             {"Effect": "Allow", "Action": ["ssm:DescribeAssociation", "ssm:GetDocument",
                                            "ssm:ListAssociations", "ssm:UpdateInstanceInformation"],
              "Resource": "*"},
             {"Effect": "Allow", "Action": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                                            "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
              "Resource": "*"},
             {"Effect": "Allow", "Action": ["ec2messages:*"], "Resource": "*"}]},
    ),
}


def aws_managed_arn(name: str) -> str:
    path = AWS_MANAGED_POLICIES[name][0]
    return f"arn:aws:iam::aws:policy{path}{name}"
