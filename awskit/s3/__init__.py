"""Chapter 9: Amazon S3, object storage for the internet.

S3 stores *objects* (bytes plus metadata, found by a *key*) in *buckets*.  A bucket's name
is unique across all of AWS, its data stays in the region you choose, and S3 keeps every
object in several Availability Zones so that losing one loses nothing.  Access is private
by default; policies, Block Public Access, presigned URLs and website hosting decide who
else can read.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=3)
>>> b = cloud.s3.create_bucket("course-assets")
>>> _ = cloud.s3.put_object("course-assets", "img/logo.png", b"\\x89PNG...")
>>> b.keys
['img/logo.png']
"""

from .bucket import Bucket, PublicAccessBlock, Versioning
from .lifecycle import LifecycleRule
from .multipart import MultipartUpload, Part, multipart_etag
from .names import validate_bucket_name, website_endpoint
from .objects import STORAGE_CLASSES, ObjectVersion, Restore, StorageClass, StreamingBody, etag_of
from .service import HttpResponse, S3Service
from .website import WebsiteConfiguration

__all__ = [
           "STORAGE_CLASSES",
           "Bucket",
           "HttpResponse",
           "LifecycleRule",
           "MultipartUpload",
           "ObjectVersion",
           "Part",
           "PublicAccessBlock",
           "Restore",
           "S3Service",
           "StorageClass",
           "StreamingBody",
           "Versioning",
           "WebsiteConfiguration",
           "etag_of",
           "multipart_etag",
           "validate_bucket_name",
           "website_endpoint",
]
