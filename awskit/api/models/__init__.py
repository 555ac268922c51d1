"""Input shapes of the AWS operations awskit implements, generated from botocore's
service models by scripts/gen_api_models.py (do not edit by hand).  The facade checks
each call against them as boto3 does before sending a request."""
