"""boto3-shaped DynamoDB client: ``cloud.client("dynamodb")``.

Takes boto3's calls and shapes (``KeySchema``, ``AttributeDefinitions``, typed items such as
``{"id": {"S": "a"}}``) and answers as boto3 does; the simulation itself lives in
:mod:`awskit.dynamodb`.  Legacy parameters (``Expected``, ``AttributesToGet``,
``KeyConditions``, ``QueryFilter``, ``ScanFilter``, ``ConditionalOperator``) are not
modelled: use the expression parameters.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidParameter, NotFound, raise_error
from ..dynamodb import BillingMode, DynamoDBService, Table, check_table_name
from ..dynamodb.types import validate_item
from .base import BaseClient, ParamValidationError, check_type, from_tags, to_tags

__all__ = ["DynamoDBClient"]


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter("ValidationException", message)


def _waiter_exists(resp: dict) -> Any:
    if resp.get("_missing"):
        return "retry"
    return resp["Table"]["TableStatus"] == "ACTIVE" or "retry"


def _waiter_not_exists(resp: dict) -> Any:
    return True if resp.get("_missing") else "retry"


def _key_schema(hash_key: tuple, range_key: tuple | None) -> list[dict]:
    out = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
    if range_key:
        out.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
    return out


class DynamoDBClient(BaseClient):
    """The DynamoDB facade: tables, items, queries, batches, transactions, TTL."""

    service_name = "dynamodb"
    error_codes = (
        "ResourceNotFoundException", "ResourceInUseException", "ValidationException",
        "ConditionalCheckFailedException", "ProvisionedThroughputExceededException",
        "TransactionCanceledException", "LimitExceededException", "ItemCollectionSizeLimitExceededException",
        "InternalServerError", "RequestLimitExceeded", "TransactionConflictException",
    )
    waiters = {
        "table_exists": ("_describe_for_waiter", _waiter_exists, 20, 25),
        "table_not_exists": ("_describe_for_waiter", _waiter_not_exists, 20, 25),
    }
    paginators = {
        "list_tables": ("ExclusiveStartTableName", "LastEvaluatedTableName", "Limit", ("TableNames",)),
        "query": ("ExclusiveStartKey", "LastEvaluatedKey", "Limit", ("Items",)),
        "scan": ("ExclusiveStartKey", "LastEvaluatedKey", "Limit", ("Items",)),
    }

    @property
    def _svc(self) -> DynamoDBService:
        return self._region.dynamodb

    def _table(self, name: Any) -> Table:
        check_type("TableName", name, str)
        t = self._region.dynamodb.tables.get(name)
        if t is None:
            raise NotFound("ResourceNotFoundException",
                           f"Requested resource not found: Table: {name} not found")
        return t

    def _describe_for_waiter(self, **kwargs: Any) -> dict:
        try:
            return self.describe_table(**kwargs)
        except NotFound:
            return {"_missing": True}

    # -- shapes ---------------------------------------------------------------------------------
    def _description(self, t: Table) -> dict:
        clock = self._cloud.clock
        d: dict[str, Any] = {
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": ty}
                                     for n, ty in t.attribute_definitions.items()],
            "TableName": t.name,
            "KeySchema": _key_schema(t.hash_key, t.range_key),
            "TableStatus": t.status.value,
            "CreationDateTime": clock.to_datetime(t.created),
            "ProvisionedThroughput": {"NumberOfDecreasesToday": 0,
                                      "ReadCapacityUnits": t.read_capacity,
                                      "WriteCapacityUnits": t.write_capacity},
            "TableSizeBytes": t.size_bytes,
            "ItemCount": t.item_count,
            "TableArn": t.arn,
            "TableId": t.table_id,
            "DeletionProtectionEnabled": False,
        }
        if t.billing_mode is BillingMode.PAY_PER_REQUEST:
            d["BillingModeSummary"] = {"BillingMode": "PAY_PER_REQUEST",
                                       "LastUpdateToPayPerRequestDateTime": clock.to_datetime(t.created)}
        gsis, lsis = [], []
        for idx in t.indexes.values():
            proj: dict[str, Any] = {"ProjectionType": idx.projection_type}
            if idx.non_key_attributes:
                proj["NonKeyAttributes"] = list(idx.non_key_attributes)
            entry: dict[str, Any] = {"IndexName": idx.name, "KeySchema": _key_schema(idx.hash_key, idx.range_key),
                                     "Projection": proj, "IndexSizeBytes": idx.store.size,
                                     "ItemCount": idx.store.item_count, "IndexArn": idx.arn}
            if idx.kind == "GSI":
                entry["IndexStatus"] = idx.status
                entry["ProvisionedThroughput"] = {"NumberOfDecreasesToday": 0,
                                                  "ReadCapacityUnits": idx.read_capacity or 0,
                                                  "WriteCapacityUnits": idx.write_capacity or 0}
                gsis.append(entry)
            else:
                lsis.append(entry)
        if gsis:
            d["GlobalSecondaryIndexes"] = gsis
        if lsis:
            d["LocalSecondaryIndexes"] = lsis
        if t.stream_view_type:
            d["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": t.stream_view_type}
            d["LatestStreamLabel"] = t.stream_label
            d["LatestStreamArn"] = t.stream_arn
        return d

    @staticmethod
    def _parse_keys(schema: Any, defs: dict[str, str], where: str) -> tuple[tuple, tuple | None]:
        if not isinstance(schema, list) or not 1 <= len(schema) <= 2:
            raise _invalid(f"1 validation error detected: Value at '{where}' failed to satisfy constraint: "
                           "Member must have length less than or equal to 2 (one HASH key, optionally one RANGE key)")
        kinds = []
        for i, el in enumerate(schema):
            if not isinstance(el, dict) or "AttributeName" not in el or "KeyType" not in el:
                raise ParamValidationError(f'Missing required parameter in {where}[{i}]: "AttributeName" and "KeyType"')
            if el["KeyType"] not in ("HASH", "RANGE"):
                raise _invalid(f"1 validation error detected: Value '{el['KeyType']}' at '{where}.{i + 1}.member."
                               "keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]")
            kinds.append(el["KeyType"])
        if kinds[0] != "HASH" or kinds.count("HASH") != 1:
            raise _invalid(f"Invalid KeySchema: The first KeySchemaElement is not a HASH key type ({where}). "
                           "List the HASH (partition) key first, then an optional RANGE (sort) key.")
        names = [el["AttributeName"] for el in schema]
        missing = [n for n in names if n not in defs]
        if missing:
            raise _invalid("One or more parameter values were invalid: Some index key attributes are not defined "
                           f"in AttributeDefinitions. Keys: {names}, AttributeDefinitions: {list(defs)}")
        hk = (names[0], defs[names[0]])
        rk = (names[1], defs[names[1]]) if len(names) == 2 else None
        return hk, rk

    @staticmethod
    def _throughput(pt: Any, where: str) -> tuple[int | None, int | None]:
        if pt is None:
            return None, None
        check_type(where, pt, dict)
        return pt.get("ReadCapacityUnits"), pt.get("WriteCapacityUnits")

    @staticmethod
    def _projection(p: Any, name: str) -> Any:
        if not isinstance(p, dict) or "ProjectionType" not in p:
            raise ParamValidationError(f'Missing required parameter in Projection of index {name}: "ProjectionType"')
        if p["ProjectionType"] == "INCLUDE":
            return list(p.get("NonKeyAttributes") or [])
        if p.get("NonKeyAttributes"):
            raise _invalid("One or more parameter values were invalid: ProjectionType is "
                           f"{p['ProjectionType']}, but NonKeyAttributes is specified")
        return p["ProjectionType"]

    @staticmethod
    def _cc(consumed, mode: Any) -> dict | None:
        if mode not in (None, "NONE", "TOTAL", "INDEXES"):
            raise _invalid(f"ReturnConsumedCapacity must be INDEXES, TOTAL or NONE, not {mode!r}.")
        return consumed.response(mode)

    # -- tables -------------------------------------------------------------------------------
    def create_table(self, *, TableName, AttributeDefinitions, KeySchema, BillingMode=None,
                     ProvisionedThroughput=None, GlobalSecondaryIndexes=None, LocalSecondaryIndexes=None,
                     StreamSpecification=None, Tags=None, TableClass=None, DeletionProtectionEnabled=None,
                     SSESpecification=None, OnDemandThroughput=None, WarmThroughput=None, ResourcePolicy=None):
        check_table_name(TableName, "tableName")
        check_type("AttributeDefinitions", AttributeDefinitions, list)
        defs: dict[str, str] = {}
        for i, d in enumerate(AttributeDefinitions):
            if not isinstance(d, dict) or "AttributeName" not in d or "AttributeType" not in d:
                raise ParamValidationError(f'Missing required parameter in AttributeDefinitions[{i}]: '
                                           '"AttributeName" and "AttributeType"')
            if d["AttributeType"] not in ("S", "N", "B"):
                raise _invalid(f"1 validation error detected: Value '{d['AttributeType']}' at "
                               f"'attributeDefinitions.{i + 1}.member.attributeType' failed to satisfy constraint: "
                               "Member must satisfy enum value set: [B, N, S]")
            if d["AttributeName"] in defs:
                raise _invalid("Cannot have two attributes with the same name: "
                               f"{d['AttributeName']} appears twice in AttributeDefinitions.")
            defs[d["AttributeName"]] = d["AttributeType"]
        hk, rk = self._parse_keys(KeySchema, defs, "keySchema")
        mode = BillingMode or "PROVISIONED"
        rcu, wcu = self._throughput(ProvisionedThroughput, "ProvisionedThroughput")
        if mode == "PROVISIONED" and ProvisionedThroughput is None:
            raise _invalid("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
                           "must both be specified when BillingMode is PROVISIONED (BillingMode defaults to "
                           "PROVISIONED; pass BillingMode='PAY_PER_REQUEST' for on-demand).")
        used = {hk[0]} | ({rk[0]} if rk else set())
        gsis, lsis = [], []
        for spec, kind, out in ((GlobalSecondaryIndexes, "GSI", gsis), (LocalSecondaryIndexes, "LSI", lsis)):
            if spec is None:
                continue
            check_type("GlobalSecondaryIndexes" if kind == "GSI" else "LocalSecondaryIndexes", spec, list)
            if not spec:
                raise _invalid(f"One or more parameter values were invalid: List of "
                               f"{'GlobalSecondaryIndexes' if kind == 'GSI' else 'LocalSecondaryIndexes'} is empty")
            for s in spec:
                if not isinstance(s, dict) or "IndexName" not in s or "KeySchema" not in s:
                    raise ParamValidationError('Missing required parameter in index: "IndexName", "KeySchema"')
                ihk, irk = self._parse_keys(s["KeySchema"], defs, f"{s['IndexName']}.keySchema")
                used |= {ihk[0]} | ({irk[0]} if irk else set())
                entry: dict[str, Any] = {"name": s["IndexName"], "partition_key": ihk, "sort_key": irk,
                                         "projection": self._projection(s.get("Projection"), s["IndexName"])}
                if kind == "GSI":
                    entry["read_capacity"], entry["write_capacity"] = self._throughput(
                        s.get("ProvisionedThroughput"), "ProvisionedThroughput")
                elif ihk != hk:
                    entry["partition_key"] = ihk  # model reports the mismatch
                out.append(entry)
        if set(defs) != used:
            raise _invalid("One or more parameter values were invalid: Number of attributes in KeySchema does not "
                           "exactly match number of attributes defined in AttributeDefinitions "
                           f"(unused: {sorted(set(defs) - used)}). Define only key attributes; other "
                           "attributes need no declaration.")
        view = None
        if StreamSpecification is not None:
            check_type("StreamSpecification", StreamSpecification, dict)
            if StreamSpecification.get("StreamEnabled"):
                view = StreamSpecification.get("StreamViewType")
                if view is None:
                    raise _invalid("StreamViewType is required when StreamEnabled is true")
        table = self._svc.create_table(
            TableName, partition_key=hk, sort_key=rk, billing_mode=mode, read_capacity=rcu, write_capacity=wcu,
            global_indexes=gsis, local_indexes=lsis, stream_view_type=view, tags=from_tags(Tags))
        return {"TableDescription": self._description(table)}

    def describe_table(self, *, TableName):
        return {"Table": self._description(self._table(TableName))}

    def list_tables(self, *, ExclusiveStartTableName=None, Limit=None):
        names = self._svc.list_tables()
        if Limit is not None and (not isinstance(Limit, int) or not 1 <= Limit <= 100):
            raise _invalid(f"1 validation error detected: Value '{Limit}' at 'limit' failed to satisfy "
                           "constraint: Member must have value less than or equal to 100 and greater than or equal to 1")
        if ExclusiveStartTableName is not None:
            names = [n for n in names if n > ExclusiveStartTableName]
        limit = Limit or 100
        out: dict[str, Any] = {"TableNames": names[:limit]}
        if len(names) > limit:
            out["LastEvaluatedTableName"] = names[limit - 1]
        return out

    def delete_table(self, *, TableName):
        table = self._table(TableName)
        self._svc.delete_table(table)
        return {"TableDescription": self._description(table)}

    def update_table(self, *, TableName, AttributeDefinitions=None, BillingMode=None, ProvisionedThroughput=None,
                     StreamSpecification=None, GlobalSecondaryIndexUpdates=None, TableClass=None,
                     DeletionProtectionEnabled=None, SSESpecification=None, ReplicaUpdates=None,
                     OnDemandThroughput=None, WarmThroughput=None):
        table = self._table(TableName)
        if GlobalSecondaryIndexUpdates is not None:
            raise _invalid("awskit does not model GlobalSecondaryIndexUpdates yet: define GSIs in create_table.")
        rcu, wcu = self._throughput(ProvisionedThroughput, "ProvisionedThroughput")
        enabled = view = None
        if StreamSpecification is not None:
            enabled = bool(StreamSpecification.get("StreamEnabled"))
            view = StreamSpecification.get("StreamViewType")
        self._svc.update_table(table, billing_mode=BillingMode, read_capacity=rcu, write_capacity=wcu,
                               stream_enabled=enabled, stream_view_type=view)
        return {"TableDescription": self._description(table)}

    def update_time_to_live(self, *, TableName, TimeToLiveSpecification):
        check_type("TimeToLiveSpecification", TimeToLiveSpecification, dict)
        spec = TimeToLiveSpecification
        if "Enabled" not in spec or "AttributeName" not in spec:
            raise ParamValidationError('Missing required parameter in TimeToLiveSpecification: "Enabled", "AttributeName"')
        self._svc.update_time_to_live(self._table(TableName), spec["AttributeName"], bool(spec["Enabled"]))
        return {"TimeToLiveSpecification": {"Enabled": bool(spec["Enabled"]), "AttributeName": spec["AttributeName"]}}

    def describe_time_to_live(self, *, TableName):
        return {"TimeToLiveDescription": self._svc.describe_time_to_live(self._table(TableName))}

    def tag_resource(self, *, ResourceArn, Tags):
        self._by_arn(ResourceArn).tags.update(from_tags(Tags))
        return {}

    def untag_resource(self, *, ResourceArn, TagKeys):
        t = self._by_arn(ResourceArn)
        for k in TagKeys:
            t.tags.pop(k, None)
        return {}

    def list_tags_of_resource(self, *, ResourceArn, NextToken=None):
        return {"Tags": to_tags(self._by_arn(ResourceArn).tags)}

    def _by_arn(self, arn: Any) -> Table:
        check_type("ResourceArn", arn, str)
        for t in self._svc.tables.values():
            if t.arn == arn:
                return t
        raise NotFound("ResourceNotFoundException", f"Requested resource not found: ResourceArn: {arn} not found")

    # -- items ----------------------------------------------------------------------------------
    def put_item(self, *, TableName, Item, ConditionExpression=None, ExpressionAttributeNames=None,
                 ExpressionAttributeValues=None, ReturnValues="NONE", ReturnConsumedCapacity=None,
                 ReturnItemCollectionMetrics=None, ReturnValuesOnConditionCheckFailure=None):
        attrs, consumed = self._table(TableName).put_item(
            Item, condition=ConditionExpression, names=ExpressionAttributeNames,
            values=ExpressionAttributeValues, return_values=ReturnValues,
            return_item_on_failure=ReturnValuesOnConditionCheckFailure == "ALL_OLD")
        out: dict[str, Any] = {}
        if attrs:
            out["Attributes"] = attrs
        if ReturnConsumedCapacity:
            cc = self._cc(consumed, ReturnConsumedCapacity)
            if cc:
                out["ConsumedCapacity"] = cc
        return out

    def get_item(self, *, TableName, Key, ConsistentRead=False, ProjectionExpression=None,
                 ExpressionAttributeNames=None, ReturnConsumedCapacity=None, AttributesToGet=None):
        if AttributesToGet is not None:
            raise _invalid("AttributesToGet is a legacy parameter; use ProjectionExpression.")
        item, consumed = self._table(TableName).get_item(
            Key, consistent=bool(ConsistentRead), projection=ProjectionExpression, names=ExpressionAttributeNames)
        out: dict[str, Any] = {} if item is None else {"Item": item}
        if ReturnConsumedCapacity:
            cc = self._cc(consumed, ReturnConsumedCapacity)
            if cc:
                out["ConsumedCapacity"] = cc
        return out

    def delete_item(self, *, TableName, Key, ConditionExpression=None, ExpressionAttributeNames=None,
                    ExpressionAttributeValues=None, ReturnValues="NONE", ReturnConsumedCapacity=None,
                    ReturnItemCollectionMetrics=None, ReturnValuesOnConditionCheckFailure=None):
        attrs, consumed = self._table(TableName).delete_item(
            Key, condition=ConditionExpression, names=ExpressionAttributeNames,
            values=ExpressionAttributeValues, return_values=ReturnValues,
            return_item_on_failure=ReturnValuesOnConditionCheckFailure == "ALL_OLD")
        out: dict[str, Any] = {}
        if attrs:
            out["Attributes"] = attrs
        cc = self._cc(consumed, ReturnConsumedCapacity)
        if cc:
            out["ConsumedCapacity"] = cc
        return out

    def update_item(self, *, TableName, Key, UpdateExpression=None, ConditionExpression=None,
                    ExpressionAttributeNames=None, ExpressionAttributeValues=None, ReturnValues="NONE",
                    ReturnConsumedCapacity=None, ReturnItemCollectionMetrics=None,
                    ReturnValuesOnConditionCheckFailure=None):
        attrs, consumed = self._table(TableName).update_item(
            Key, update=UpdateExpression, condition=ConditionExpression, names=ExpressionAttributeNames,
            values=ExpressionAttributeValues, return_values=ReturnValues,
            return_item_on_failure=ReturnValuesOnConditionCheckFailure == "ALL_OLD")
        out: dict[str, Any] = {}
        if attrs:
            out["Attributes"] = attrs
        cc = self._cc(consumed, ReturnConsumedCapacity)
        if cc:
            out["ConsumedCapacity"] = cc
        return out

    # -- query and scan ---------------------------------------------------------------------------
    @staticmethod
    def _page(page, mode) -> dict:
        out: dict[str, Any] = {}
        if page.items is not None:
            out["Items"] = page.items
        out["Count"] = page.count
        out["ScannedCount"] = page.scanned_count
        if page.last_evaluated_key:
            out["LastEvaluatedKey"] = page.last_evaluated_key
        cc = DynamoDBClient._cc(page.consumed, mode)
        if cc:
            out["ConsumedCapacity"] = cc
        return out

    def query(self, *, TableName, KeyConditionExpression=None, IndexName=None, FilterExpression=None,
              ProjectionExpression=None, ExpressionAttributeNames=None, ExpressionAttributeValues=None,
              Limit=None, ScanIndexForward=True, ExclusiveStartKey=None, Select=None, ConsistentRead=False,
              ReturnConsumedCapacity=None, KeyConditions=None, QueryFilter=None, AttributesToGet=None,
              ConditionalOperator=None):
        if KeyConditions is not None or QueryFilter is not None or AttributesToGet is not None:
            raise _invalid("KeyConditions/QueryFilter/AttributesToGet are legacy parameters; use "
                           "KeyConditionExpression, FilterExpression and ProjectionExpression.")
        if KeyConditionExpression is None:
            raise _invalid("Either the KeyConditions or KeyConditionExpression parameter must be specified "
                           "in the request.")
        page = self._table(TableName).query(
            KeyConditionExpression, index=IndexName, filter=FilterExpression, projection=ProjectionExpression,
            names=ExpressionAttributeNames, values=ExpressionAttributeValues, limit=Limit,
            forward=bool(ScanIndexForward), start_key=ExclusiveStartKey, select=Select,
            consistent=bool(ConsistentRead))
        return self._page(page, ReturnConsumedCapacity)

    def scan(self, *, TableName, IndexName=None, FilterExpression=None, ProjectionExpression=None,
             ExpressionAttributeNames=None, ExpressionAttributeValues=None, Limit=None, ExclusiveStartKey=None,
             Select=None, Segment=None, TotalSegments=None, ConsistentRead=False, ReturnConsumedCapacity=None,
             ScanFilter=None, AttributesToGet=None, ConditionalOperator=None):
        if ScanFilter is not None or AttributesToGet is not None:
            raise _invalid("ScanFilter/AttributesToGet are legacy parameters; use FilterExpression and "
                           "ProjectionExpression.")
        page = self._table(TableName).scan(
            index=IndexName, filter=FilterExpression, projection=ProjectionExpression,
            names=ExpressionAttributeNames, values=ExpressionAttributeValues, limit=Limit,
            start_key=ExclusiveStartKey, select=Select, segment=Segment, total_segments=TotalSegments,
            consistent=bool(ConsistentRead))
        return self._page(page, ReturnConsumedCapacity)

    # -- batches ----------------------------------------------------------------------------------
    @staticmethod
    def _merge_cc(found: dict, consumed, mode) -> None:
        cc = consumed.response(mode)
        if cc:
            slot = found.setdefault(cc["TableName"], {"TableName": cc["TableName"], "CapacityUnits": 0.0})
            slot["CapacityUnits"] += cc["CapacityUnits"]

    def batch_write_item(self, *, RequestItems, ReturnConsumedCapacity=None, ReturnItemCollectionMetrics=None):
        check_type("RequestItems", RequestItems, dict)
        total = sum(len(v) for v in RequestItems.values() if isinstance(v, list))
        if not 1 <= total <= 25:
            raise _invalid(f"1 validation error detected: Value at 'requestItems' failed to satisfy constraint: "
                           f"Map value must satisfy constraint: [Member must have length less than or equal to 25, "
                           f"Member must have length greater than or equal to 1] (the batch has {total} requests; "
                           "split it into batches of 25).")
        plan = []
        for name, reqs in RequestItems.items():
            table = self._table(name)
            check_type(f"RequestItems.{name}", reqs, list)
            seen = set()
            for i, req in enumerate(reqs):
                if not isinstance(req, dict) or len(req) != 1 or next(iter(req)) not in ("PutRequest", "DeleteRequest"):
                    raise _invalid(f"RequestItems.{name}[{i}] must hold exactly one PutRequest or DeleteRequest.")
                kind, body = next(iter(req.items()))
                if kind == "PutRequest":
                    item = validate_item(body.get("Item") if isinstance(body, dict) else None)
                    table._check_item_keys(item)
                    key = {k: item[k] for k in table.key_names}
                else:
                    key = body.get("Key") if isinstance(body, dict) else None
                    table._key(key)
                    item = None
                ident = tuple(sorted((k, repr(v)) for k, v in key.items()))
                if ident in seen:
                    raise _invalid("Provided list of item keys contains duplicates")
                seen.add(ident)
                plan.append((table, name, req, item, key))
        unprocessed: dict[str, list] = {}
        caps: dict[str, dict] = {}
        done = 0
        for table, name, req, item, key in plan:
            try:
                if item is not None:
                    _, consumed = table.put_item(item)
                else:
                    _, consumed = table.delete_item(key)
            except Exception as err:
                if getattr(err, "code", None) != "ProvisionedThroughputExceededException":
                    raise
                unprocessed.setdefault(name, []).append(req)
                continue
            done += 1
            self._merge_cc(caps, consumed, ReturnConsumedCapacity)
        if done == 0 and unprocessed:
            raise_error("ProvisionedThroughputExceededException",
                        "The level of configured provisioned throughput for the table was exceeded: no item of "
                        "the batch could be written. Retry with exponential backoff.")
        out: dict[str, Any] = {"UnprocessedItems": unprocessed}
        if caps:
            out["ConsumedCapacity"] = list(caps.values())
        return out

    def batch_get_item(self, *, RequestItems, ReturnConsumedCapacity=None):
        check_type("RequestItems", RequestItems, dict)
        total = sum(len(v.get("Keys", [])) for v in RequestItems.values() if isinstance(v, dict))
        if total > 100:
            raise _invalid(f"Too many items requested for the BatchGetItem call ({total} keys; at most 100).")
        if total == 0:
            raise _invalid("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: "
                           "Member must have length greater than or equal to 1")
        responses: dict[str, list] = {}
        unprocessed: dict[str, dict] = {}
        caps: dict[str, dict] = {}
        plan = []
        for name, spec in RequestItems.items():
            table = self._table(name)
            check_type(f"RequestItems.{name}", spec, dict)
            seen = set()
            for key in spec.get("Keys", []):
                table._key(key)
                ident = tuple(sorted((k, repr(v)) for k, v in key.items()))
                if ident in seen:
                    raise _invalid("Provided list of item keys contains duplicates")
                seen.add(ident)
                plan.append((table, name, spec, key))
            responses[name] = []
        for table, name, spec, key in plan:
            try:
                item, consumed = table.get_item(key, consistent=bool(spec.get("ConsistentRead")),
                                                projection=spec.get("ProjectionExpression"),
                                                names=spec.get("ExpressionAttributeNames"))
            except Exception as err:
                if getattr(err, "code", None) != "ProvisionedThroughputExceededException":
                    raise
                slot = unprocessed.setdefault(name, {k: v for k, v in spec.items() if k != "Keys"} | {"Keys": []})
                slot["Keys"].append(key)
                continue
            if item is not None:
                responses[name].append(item)
            self._merge_cc(caps, consumed, ReturnConsumedCapacity)
        out: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": unprocessed}
        if caps:
            out["ConsumedCapacity"] = list(caps.values())
        return out

    # -- transactions -----------------------------------------------------------------------------
    def transact_write_items(self, *, TransactItems, ReturnConsumedCapacity=None,
                             ReturnItemCollectionMetrics=None, ClientRequestToken=None):
        check_type("TransactItems", TransactItems, list)
        if not 1 <= len(TransactItems) <= 100:
            raise _invalid(f"1 validation error detected: Value at 'transactItems' failed to satisfy constraint: "
                           f"Member must have length less than or equal to 100 (got {len(TransactItems)}).")
        plan = []
        seen = set()
        for i, op in enumerate(TransactItems):
            if not isinstance(op, dict) or len(op) != 1 or next(iter(op)) not in (
                    "ConditionCheck", "Put", "Delete", "Update"):
                raise _invalid(f"TransactItems[{i}] must hold exactly one of ConditionCheck, Put, Delete, Update.")
            kind, body = next(iter(op.items()))
            table = self._table(body.get("TableName"))
            if kind == "Put":
                item = validate_item(body.get("Item"))
                table._check_item_keys(item)
                key = {k: item[k] for k in table.key_names}
            else:
                key = body.get("Key")
                table._key(key)
            ident = (table.name, tuple(sorted((k, repr(v)) for k, v in key.items())))
            if ident in seen:
                raise _invalid("Transaction request cannot include multiple operations on one item")
            seen.add(ident)
            if kind == "ConditionCheck" and body.get("ConditionExpression") is None:
                raise _invalid("The ConditionCheck operation needs a ConditionExpression.")
            plan.append((kind, table, body, key))
        reasons, failed = [], False
        for _kind, table, body, key in plan:
            holds, row = table.condition_holds(key, body.get("ConditionExpression"),
                                               body.get("ExpressionAttributeNames"),
                                               body.get("ExpressionAttributeValues"),
                                               update=body.get("UpdateExpression"))
            if holds:
                reasons.append({"Code": "None"})
            else:
                failed = True
                reason = {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
                if body.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and row is not None:
                    reason["Item"] = row
                reasons.append(reason)
        if failed:
            codes = ", ".join(r["Code"] for r in reasons)
            raise_error("TransactionCanceledException",
                        f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
                        CancellationReasons=reasons)
        caps: dict[str, dict] = {}
        for kind, table, body, key in plan:
            common = dict(condition=body.get("ConditionExpression"), names=body.get("ExpressionAttributeNames"),
                          values=body.get("ExpressionAttributeValues"), factor=2)
            if kind == "Put":
                _, consumed = table.put_item(body["Item"], **common)
            elif kind == "Delete":
                _, consumed = table.delete_item(key, **common)
            elif kind == "Update":
                _, consumed = table.update_item(key, update=body.get("UpdateExpression"), **common)
            else:
                consumed = table.check_cost(key)
            self._merge_cc(caps, consumed, ReturnConsumedCapacity)
        out: dict[str, Any] = {}
        if caps:
            out["ConsumedCapacity"] = list(caps.values())
        return out

    def transact_get_items(self, *, TransactItems, ReturnConsumedCapacity=None):
        check_type("TransactItems", TransactItems, list)
        if not 1 <= len(TransactItems) <= 100:
            raise _invalid("TransactItems must hold between 1 and 100 Get operations.")
        plan = []
        for i, op in enumerate(TransactItems):
            body = op.get("Get") if isinstance(op, dict) else None
            if not isinstance(body, dict):
                raise _invalid(f"TransactItems[{i}] must be {{'Get': {{'TableName': ..., 'Key': ...}}}}.")
            table = self._table(body.get("TableName"))
            table._key(body.get("Key"))
            plan.append((table, body))
        responses, caps = [], {}
        for table, body in plan:
            item, consumed = table.get_item(body["Key"], consistent=True, projection=body.get("ProjectionExpression"),
                                            names=body.get("ExpressionAttributeNames"))
            consumed.read *= 2  # transactional reads cost double
            responses.append({} if item is None else {"Item": item})
            self._merge_cc(caps, consumed, ReturnConsumedCapacity)
        out: dict[str, Any] = {"Responses": responses}
        if caps:
            out["ConsumedCapacity"] = list(caps.values())
        return out
