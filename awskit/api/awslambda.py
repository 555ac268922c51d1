"""boto3-shaped Lambda client: ``cloud.client("lambda")``."""

from __future__ import annotations

import base64
import json
from typing import Any, ClassVar

from ..awslambda import Alias, EventSourceMapping, FunctionUrlConfig, LayerVersion, Version
from ..core.errors import AWSError, InvalidParameter
from .base import BaseClient, ParamValidationError, check_type, paginate_list

__all__ = ["LambdaClient", "StreamingBody"]


class StreamingBody:
    """The ``Payload`` of an invoke response: read it once, as botocore's StreamingBody."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def read(self, amt: int | None = None) -> bytes:
        end = len(self._data) if amt is None else min(len(self._data), self._pos + amt)
        chunk = self._data[self._pos:end]
        self._pos = end
        return chunk

    def iter_lines(self):
        yield from self.read().splitlines()

    def __iter__(self):
        yield self.read()

    def close(self) -> None:
        self._pos = len(self._data)

    def __repr__(self) -> str:
        return f"StreamingBody({len(self._data)} bytes)"


def _time(cloud, t: float) -> str:
    """Lambda prints times as 2026-01-05T09:00:00.000+0000."""
    return cloud.clock.isoformat(t)[:-1] + "+0000"


def _name(value: Any) -> str:
    check_type("FunctionName", value, str)
    return value


class LambdaClient(BaseClient):
    """The AWS Lambda API over :class:`awskit.awslambda.LambdaService`."""

    service_name = "lambda"
    error_codes = ("ResourceNotFoundException", "ResourceConflictException", "InvalidParameterValueException",
                   "TooManyRequestsException", "ServiceException", "InvalidRequestContentException",
                   "RequestTooLargeException", "PolicyLengthExceededException", "PreconditionFailedException",
                   "CodeStorageExceededException", "ResourceInUseException", "ResourceNotReadyException",
                   "UnsupportedMediaTypeException", "InvalidRuntimeException", "ValidationException",
                   "AccessDeniedException")
    paginators: ClassVar[dict] = {
        "list_functions": ("Marker", "NextMarker", "MaxItems", ("Functions",)),
        "list_versions_by_function": ("Marker", "NextMarker", "MaxItems", ("Versions",)),
        "list_aliases": ("Marker", "NextMarker", "MaxItems", ("Aliases",)),
        "list_layers": ("Marker", "NextMarker", "MaxItems", ("Layers",)),
        "list_layer_versions": ("Marker", "NextMarker", "MaxItems", ("LayerVersions",)),
        "list_event_source_mappings": ("Marker", "NextMarker", "MaxItems", ("EventSourceMappings",)),
    }
    waiters: ClassVar[dict] = {
        "function_active": ("get_function_configuration",
                            lambda r: True if r["State"] == "Active" else "failure" if r["State"] == "Failed"
                            else False, 5, 60),
        "function_active_v2": ("get_function",
                               lambda r: True if r["Configuration"]["State"] == "Active" else "failure"
                               if r["Configuration"]["State"] == "Failed" else False, 1, 300),
        "function_updated": ("get_function_configuration",
                             lambda r: True if r["LastUpdateStatus"] == "Successful" else "failure"
                             if r["LastUpdateStatus"] == "Failed" else False, 5, 60),
        "function_updated_v2": ("get_function",
                                lambda r: True if r["Configuration"]["LastUpdateStatus"] == "Successful" else
                                "failure" if r["Configuration"]["LastUpdateStatus"] == "Failed" else False, 1, 300),
        "function_exists": ("get_function", lambda r: True, 1, 20),
        "published_version_active": ("get_function_configuration",
                                     lambda r: True if r["State"] == "Active" else "failure"
                                     if r["State"] == "Failed" else False, 5, 312),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._lambda = region.awslambda

    # -- shapes ---------------------------------------------------------------------------
    def _config(self, v: Version) -> dict[str, Any]:
        out: dict[str, Any] = {
            "FunctionName": v.name, "FunctionArn": v.function.arn,
            "Runtime": v.runtime, "Role": v.role, "Handler": v.handler, "CodeSize": v.code.size,
            "Description": v.description, "Timeout": v.timeout, "MemorySize": v.memory_size,
            "LastModified": _time(self._cloud, v.last_modified), "CodeSha256": v.code.sha256,
            "Version": v.version, "TracingConfig": {"Mode": "PassThrough"}, "RevisionId": v.revision_id,
            "State": v.state.value, "LastUpdateStatus": v.last_update_status.value, "PackageType": "Zip",
            "Architectures": list(v.architectures), "EphemeralStorage": {"Size": v.ephemeral_storage},
            "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
            "LoggingConfig": {"LogFormat": "Text", "LogGroup": v.function.log_group},
        }
        if v.version != "$LATEST":
            out["FunctionArn"] = v.arn
        if v.environment:
            out["Environment"] = {"Variables": dict(v.environment)}
        if v.layers:
            out["Layers"] = [{"Arn": lv.arn, "CodeSize": lv.code.size} for lv in v.layers]
        if v.state.value == "Pending":
            out["StateReason"] = "The function is being created."
            out["StateReasonCode"] = "Creating"
        if v.last_update_status.value == "InProgress":
            out["LastUpdateStatusReason"] = "The function is being updated."
            out["LastUpdateStatusReasonCode"] = "InProgress"
        return out

    def _alias(self, a: Alias) -> dict[str, Any]:
        out = {"AliasArn": a.arn, "Name": a.name, "FunctionVersion": a.version, "Description": a.description,
               "RevisionId": a.revision_id}
        if a.weights:
            out["RoutingConfig"] = {"AdditionalVersionWeights": dict(a.weights)}
        return out

    def _layer_version(self, lv: LayerVersion, content: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"LayerVersionArn": lv.arn, "Version": lv.version, "Description": lv.description,
                               "CreatedDate": _time(self._cloud, lv.created),
                               "CompatibleRuntimes": list(lv.compatible_runtimes),
                               "CompatibleArchitectures": list(lv.compatible_architectures),
                               "LicenseInfo": lv.license_info}
        if content:
            out.update({"LayerArn": lv.layer.arn, "Content": {
                "Location": f"https://awslambda-{self._region.name}-layers.s3.amazonaws.com/snapshots/"
                            f"{self._cloud.account_id}/{lv.layer.name}", "CodeSha256": lv.code.sha256,
                "CodeSize": lv.code.size}})
        return out

    def _mapping(self, m: EventSourceMapping) -> dict[str, Any]:
        return {"UUID": m.uuid, "StartingPosition": m.starting_position, "BatchSize": m.batch_size,
                "MaximumBatchingWindowInSeconds": m.batching_window, "EventSourceArn": m.source_arn,
                "FunctionArn": m.function_arn, "LastModified": self._cloud.clock.to_datetime(m.last_modified),
                "LastProcessingResult": m.last_result, "State": m.state,
                "StateTransitionReason": "User action", "MaximumRetryAttempts": m.maximum_retry_attempts,
                "MaximumRecordAgeInSeconds": -1, "BisectBatchOnFunctionError": False,
                "ParallelizationFactor": 1, "TumblingWindowInSeconds": 0, "FunctionResponseTypes": []}

    def _url(self, c: FunctionUrlConfig) -> dict[str, Any]:
        out = {"FunctionUrl": c.url, "FunctionArn": c.function_arn, "AuthType": c.auth_type,
               "CreationTime": _time(self._cloud, c.created), "LastModifiedTime": _time(self._cloud, c.last_modified),
               "InvokeMode": "BUFFERED"}
        if c.cors:
            out["Cors"] = dict(c.cors)
        return out

    @staticmethod
    def _page(items: list, marker: str | None, max_items: int | None, default: int = 50) -> tuple[list, str | None]:
        if max_items is not None:
            check_type("MaxItems", max_items, int)
        return paginate_list(items, marker, max_items, default=default, maximum=10000)

    # -- functions ---------------------------------------------------------------------------
    def create_function(self, *, FunctionName, Role, Code, Runtime=None, Handler=None, Description="",
                        Timeout=3, MemorySize=128, Publish=False, VpcConfig=None, PackageType="Zip",
                        DeadLetterConfig=None, Environment=None, KMSKeyArn=None, TracingConfig=None, Tags=None,
                        Layers=None, FileSystemConfigs=None, ImageConfig=None, CodeSigningConfigArn=None,
                        Architectures=None, EphemeralStorage=None, SnapStart=None, LoggingConfig=None):
        _name(FunctionName)
        check_type("Code", Code, dict)
        if PackageType != "Zip":
            raise InvalidParameter("InvalidParameterValueException", "awskit models .zip functions only "
                                   "(PackageType Image needs a container registry).")
        zip_bytes = self._code_bytes(Code)
        env = None
        if Environment is not None:
            check_type("Environment", Environment, dict)
            env = Environment.get("Variables", {})
        fn = self._lambda.create_function(
            FunctionName, Handler, runtime=Runtime, role=Role, code=zip_bytes, timeout=Timeout,
            memory_size=MemorySize, environment=env, layers=Layers, publish=bool(Publish), tags=Tags,
            architectures=Architectures, description=Description,
            ephemeral_storage=(EphemeralStorage or {}).get("Size", 512), wait=False)
        return self._config(fn.versions[str(fn.next_version - 1)] if Publish and fn.versions else fn.latest)

    def _code_bytes(self, code: dict) -> bytes:
        if "ZipFile" in code:
            data = code["ZipFile"]
            if isinstance(data, str):
                data = data.encode()
            check_type("Code.ZipFile", data, bytes, bytearray)
            return bytes(data)
        if "S3Bucket" in code and "S3Key" in code:
            obj = self._cloud.s3.get_object(code["S3Bucket"], code["S3Key"], version_id=code.get("S3ObjectVersion"))
            return obj.data
        raise InvalidParameter("InvalidParameterValueException", "Code needs ZipFile (the .zip bytes) or "
                               "S3Bucket and S3Key of an uploaded .zip.")

    def get_function(self, *, FunctionName, Qualifier=None):
        fn, version, _ = self._lambda.resolve(_name(FunctionName), Qualifier)
        out: dict[str, Any] = {"Configuration": self._config(version), "Code": {
            "RepositoryType": "S3", "Location": f"https://awslambda-{self._region.name}-tasks.s3."
                                                f"{self._region.name}.amazonaws.com/snapshots/"
                                                f"{self._cloud.account_id}/{fn.name}"}}
        if fn.tags:
            out["Tags"] = dict(fn.tags)
        if fn.reserved_concurrency is not None:
            out["Concurrency"] = {"ReservedConcurrentExecutions": fn.reserved_concurrency}
        return out

    def get_function_configuration(self, *, FunctionName, Qualifier=None):
        return self._config(self._lambda.get_function_configuration(_name(FunctionName), Qualifier))

    def list_functions(self, *, MasterRegion=None, FunctionVersion=None, Marker=None, MaxItems=None):
        if FunctionVersion not in (None, "ALL"):
            raise InvalidParameter("ValidationException", f"FunctionVersion is ALL when given, not "
                                   f"{FunctionVersion!r}.")
        items = self._lambda.list_functions(all_versions=FunctionVersion == "ALL")
        page, token = self._page(items, Marker, MaxItems)
        out: dict[str, Any] = {"Functions": [self._config(v) for v in page]}
        if token:
            out["NextMarker"] = token
        return out

    def update_function_code(self, *, FunctionName, ZipFile=None, S3Bucket=None, S3Key=None, S3ObjectVersion=None,
                             ImageUri=None, Publish=False, DryRun=False, RevisionId=None, Architectures=None,
                             SourceKMSKeyArn=None):
        code: dict[str, Any] = {}
        if ZipFile is not None:
            code["ZipFile"] = ZipFile
        if S3Bucket is not None:
            code.update(S3Bucket=S3Bucket, S3Key=S3Key, S3ObjectVersion=S3ObjectVersion)
        self._check_revision(FunctionName, RevisionId)
        v = self._lambda.update_function_code(_name(FunctionName), self._code_bytes(code), publish=bool(Publish),
                                              architectures=Architectures, wait=False)
        return self._config(v)

    def _check_revision(self, name: str, revision: str | None) -> None:
        if revision is not None and self._lambda.function(name).latest.revision_id != revision:
            raise AWSError("PreconditionFailedException", "The Revision Id provided does not match the latest "
                           "Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
                           status=412)

    def update_function_configuration(self, *, FunctionName, Role=None, Handler=None, Description=None,
                                      Timeout=None, MemorySize=None, VpcConfig=None, Environment=None, Runtime=None,
                                      DeadLetterConfig=None, KMSKeyArn=None, TracingConfig=None, RevisionId=None,
                                      Layers=None, FileSystemConfigs=None, ImageConfig=None, EphemeralStorage=None,
                                      SnapStart=None, LoggingConfig=None):
        self._check_revision(_name(FunctionName), RevisionId)
        env = None
        if Environment is not None:
            check_type("Environment", Environment, dict)
            env = Environment.get("Variables", {})
        v = self._lambda.update_function_configuration(
            FunctionName, runtime=Runtime, role=Role, handler=Handler, timeout=Timeout, memory_size=MemorySize,
            environment=env, layers=Layers, description=Description,
            ephemeral_storage=(EphemeralStorage or {}).get("Size"), wait=False)
        return self._config(v)

    def delete_function(self, *, FunctionName, Qualifier=None):
        self._lambda.delete_function(_name(FunctionName), Qualifier)
        return {}

    # -- invoke ---------------------------------------------------------------------------------
    def invoke(self, *, FunctionName, InvocationType="RequestResponse", LogType="None", ClientContext=None,
               Payload=None, Qualifier=None):
        if Payload is not None and not isinstance(Payload, (bytes, bytearray, str)):
            if hasattr(Payload, "read"):
                Payload = Payload.read()
            else:
                raise ParamValidationError(f"Invalid type for parameter Payload, value: {Payload!r}, type: "
                                           f"{type(Payload).__name__}, valid types: bytes, bytearray, file-like "
                                           f"object (use json.dumps(event))")
        context = None
        if ClientContext is not None:
            try:
                context = json.loads(base64.b64decode(ClientContext))
            except ValueError:
                raise InvalidParameter("InvalidParameterValueException", "Client context must be a valid Base64-"
                                       "encoded JSON object.") from None
        r = self._lambda.invoke(_name(FunctionName), Payload, invocation_type=InvocationType, qualifier=Qualifier,
                                log_type=LogType, client_context=context)
        out: dict[str, Any] = {"StatusCode": r.status_code, "Payload": StreamingBody(r.raw)}
        if r.status_code == 200:
            out["ExecutedVersion"] = r.executed_version
            if r.function_error:
                out["FunctionError"] = r.function_error
            if LogType == "Tail":
                out["LogResult"] = r.log_result
        out["ResponseMetadata"] = dict(self._metadata(), HTTPStatusCode=r.status_code)
        return out

    # -- versions and aliases ---------------------------------------------------------------------
    def publish_version(self, *, FunctionName, CodeSha256=None, Description=None, RevisionId=None):
        self._check_revision(_name(FunctionName), RevisionId)
        return self._config(self._lambda.publish_version(FunctionName, Description, code_sha256=CodeSha256))

    def list_versions_by_function(self, *, FunctionName, Marker=None, MaxItems=None):
        items = self._lambda.list_versions_by_function(_name(FunctionName))
        page, token = self._page(items, Marker, MaxItems)
        out: dict[str, Any] = {"Versions": [self._config(v) for v in page]}
        if token:
            out["NextMarker"] = token
        return out

    def create_alias(self, *, FunctionName, Name, FunctionVersion, Description="", RoutingConfig=None):
        routing = (RoutingConfig or {}).get("AdditionalVersionWeights")
        return self._alias(self._lambda.create_alias(_name(FunctionName), Name, FunctionVersion,
                                                     description=Description, routing=routing))

    def get_alias(self, *, FunctionName, Name):
        return self._alias(self._lambda.get_alias(_name(FunctionName), Name))

    def update_alias(self, *, FunctionName, Name, FunctionVersion=None, Description=None, RoutingConfig=None,
                     RevisionId=None):
        routing = None if RoutingConfig is None else RoutingConfig.get("AdditionalVersionWeights", {})
        return self._alias(self._lambda.update_alias(_name(FunctionName), Name, function_version=FunctionVersion,
                                                     description=Description, routing=routing))

    def delete_alias(self, *, FunctionName, Name):
        self._lambda.delete_alias(_name(FunctionName), Name)
        return {}

    def list_aliases(self, *, FunctionName, FunctionVersion=None, Marker=None, MaxItems=None):
        items = self._lambda.list_aliases(_name(FunctionName), FunctionVersion)
        page, token = self._page(items, Marker, MaxItems)
        out: dict[str, Any] = {"Aliases": [self._alias(a) for a in page]}
        if token:
            out["NextMarker"] = token
        return out

    # -- concurrency -------------------------------------------------------------------------------
    def put_function_concurrency(self, *, FunctionName, ReservedConcurrentExecutions):
        check_type("ReservedConcurrentExecutions", ReservedConcurrentExecutions, int)
        n = self._lambda.put_function_concurrency(_name(FunctionName), ReservedConcurrentExecutions)
        return {"ReservedConcurrentExecutions": n}

    def get_function_concurrency(self, *, FunctionName):
        n = self._lambda.get_function_concurrency(_name(FunctionName))
        return {} if n is None else {"ReservedConcurrentExecutions": n}

    def delete_function_concurrency(self, *, FunctionName):
        self._lambda.delete_function_concurrency(_name(FunctionName))
        return {}

    def get_account_settings(self):
        return self._lambda.get_account_settings()

    def put_function_event_invoke_config(self, *, FunctionName, Qualifier=None, MaximumRetryAttempts=None,
                                         MaximumEventAgeInSeconds=None, DestinationConfig=None):
        fn = self._lambda.function(_name(FunctionName))
        cfg = self._lambda.put_function_event_invoke_config(fn, maximum_retry_attempts=MaximumRetryAttempts,
                                                            maximum_event_age_seconds=MaximumEventAgeInSeconds)
        return dict(cfg, FunctionArn=fn.arn, LastModified=self._cloud.clock.datetime)

    # -- layers ------------------------------------------------------------------------------------
    def publish_layer_version(self, *, LayerName, Content, Description="", CompatibleRuntimes=None,
                              LicenseInfo="", CompatibleArchitectures=None):
        check_type("Content", Content, dict)
        lv = self._lambda.publish_layer_version(LayerName, self._code_bytes(Content), description=Description,
                                                compatible_runtimes=CompatibleRuntimes,
                                                compatible_architectures=CompatibleArchitectures,
                                                license_info=LicenseInfo)
        return self._layer_version(lv)

    def get_layer_version(self, *, LayerName, VersionNumber):
        return self._layer_version(self._lambda.get_layer_version(LayerName, VersionNumber))

    def get_layer_version_by_arn(self, *, Arn):
        return self._layer_version(self._lambda.get_layer_version(Arn))

    def list_layers(self, *, CompatibleRuntime=None, Marker=None, MaxItems=None, CompatibleArchitecture=None):
        items = self._lambda.list_layers(CompatibleRuntime)
        page, token = self._page(items, Marker, MaxItems)
        out: dict[str, Any] = {"Layers": [{"LayerName": lay.name, "LayerArn": lay.arn,
                                           "LatestMatchingVersion": self._layer_version(lay.latest, False)}
                                          for lay in page]}
        if token:
            out["NextMarker"] = token
        return out

    def list_layer_versions(self, *, LayerName, CompatibleRuntime=None, Marker=None, MaxItems=None,
                            CompatibleArchitecture=None):
        items = self._lambda.list_layer_versions(LayerName)
        page, token = self._page(items, Marker, MaxItems)
        out: dict[str, Any] = {"LayerVersions": [self._layer_version(lv, False) for lv in page]}
        if token:
            out["NextMarker"] = token
        return out

    def delete_layer_version(self, *, LayerName, VersionNumber):
        self._lambda.delete_layer_version(LayerName, VersionNumber)
        return {}

    # -- permissions ----------------------------------------------------------------------------------
    def add_permission(self, *, FunctionName, StatementId, Action, Principal, SourceArn=None, SourceAccount=None,
                       EventSourceToken=None, Qualifier=None, RevisionId=None, PrincipalOrgID=None,
                       FunctionUrlAuthType=None, InvokedViaFunctionUrl=None):
        st = self._lambda.add_permission(_name(FunctionName), StatementId, Action, Principal, source_arn=SourceArn,
                                         source_account=SourceAccount, qualifier=Qualifier,
                                         function_url_auth_type=FunctionUrlAuthType, principal_org_id=PrincipalOrgID)
        return {"Statement": json.dumps(st)}

    def remove_permission(self, *, FunctionName, StatementId, Qualifier=None, RevisionId=None):
        self._lambda.remove_permission(_name(FunctionName), StatementId, Qualifier)
        return {}

    def get_policy(self, *, FunctionName, Qualifier=None):
        doc = self._lambda.get_policy(_name(FunctionName), Qualifier)
        return {"Policy": json.dumps(doc), "RevisionId": self._lambda.function(FunctionName).latest.revision_id}

    # -- event source mappings -------------------------------------------------------------------------
    def create_event_source_mapping(self, *, FunctionName, EventSourceArn=None, Enabled=True, BatchSize=None,
                                    StartingPosition=None, MaximumBatchingWindowInSeconds=0,
                                    MaximumRetryAttempts=-1, StartingPositionTimestamp=None, FilterCriteria=None,
                                    ParallelizationFactor=None, DestinationConfig=None, MaximumRecordAgeInSeconds=None,
                                    BisectBatchOnFunctionError=None, TumblingWindowInSeconds=None, Topics=None,
                                    Queues=None, SourceAccessConfigurations=None, SelfManagedEventSource=None,
                                    FunctionResponseTypes=None, Tags=None, MetricsConfig=None):
        m = self._lambda.create_event_source_mapping(
            _name(FunctionName), EventSourceArn, starting_position=StartingPosition, batch_size=BatchSize,
            maximum_batching_window=MaximumBatchingWindowInSeconds, enabled=Enabled,
            maximum_retry_attempts=MaximumRetryAttempts)
        return self._mapping(m)

    def get_event_source_mapping(self, *, UUID):
        return self._mapping(self._lambda.get_event_source_mapping(UUID))

    def update_event_source_mapping(self, *, UUID, FunctionName=None, Enabled=None, BatchSize=None,
                                    MaximumBatchingWindowInSeconds=None):
        return self._mapping(self._lambda.update_event_source_mapping(
            UUID, enabled=Enabled, batch_size=BatchSize, maximum_batching_window=MaximumBatchingWindowInSeconds))

    def delete_event_source_mapping(self, *, UUID):
        return self._mapping(self._lambda.delete_event_source_mapping(UUID))

    def list_event_source_mappings(self, *, EventSourceArn=None, FunctionName=None, Marker=None, MaxItems=None):
        items = self._lambda.list_event_source_mappings(FunctionName, EventSourceArn)
        page, token = self._page(items, Marker, MaxItems, default=100)
        out: dict[str, Any] = {"EventSourceMappings": [self._mapping(m) for m in page]}
        if token:
            out["NextMarker"] = token
        return out

    # -- function URLs ------------------------------------------------------------------------------------
    def create_function_url_config(self, *, FunctionName, AuthType, Qualifier=None, Cors=None, InvokeMode=None):
        c = self._lambda.create_function_url_config(_name(FunctionName), AuthType, qualifier=Qualifier, cors=Cors)
        out = self._url(c)
        out.pop("LastModifiedTime")
        return out

    def get_function_url_config(self, *, FunctionName, Qualifier=None):
        return self._url(self._lambda.get_function_url_config(_name(FunctionName), Qualifier))

    def update_function_url_config(self, *, FunctionName, Qualifier=None, AuthType=None, Cors=None, InvokeMode=None):
        return self._url(self._lambda.update_function_url_config(_name(FunctionName), Qualifier, auth_type=AuthType,
                                                                 cors=Cors))

    def delete_function_url_config(self, *, FunctionName, Qualifier=None):
        self._lambda.delete_function_url_config(_name(FunctionName), Qualifier)
        return {}

    # -- tags --------------------------------------------------------------------------------------------
    def tag_resource(self, *, Resource, Tags):
        check_type("Tags", Tags, dict)
        self._lambda.tag_resource(Resource, Tags)
        return {}

    def untag_resource(self, *, Resource, TagKeys):
        check_type("TagKeys", TagKeys, list)
        self._lambda.untag_resource(Resource, TagKeys)
        return {}

    def list_tags(self, *, Resource):
        return {"Tags": dict(self._lambda.function(Resource).tags)}

