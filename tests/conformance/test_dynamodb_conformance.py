"""DynamoDB: the same boto3 calls against moto and awskit."""

import pytest

from .conftest import error_code, keys, moto_differs

pytestmark = pytest.mark.conformance


def make_table(client, name="music", sort=True, **extra):
    ddb = client("dynamodb")
    schema = [{"AttributeName": "artist", "KeyType": "HASH"}]
    defs = [{"AttributeName": "artist", "AttributeType": "S"}]
    if sort:
        schema.append({"AttributeName": "year", "KeyType": "RANGE"})
        defs.append({"AttributeName": "year", "AttributeType": "N"})
    resp = ddb.create_table(TableName=name, KeySchema=schema, AttributeDefinitions=defs,
                            BillingMode="PAY_PER_REQUEST", **extra)
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    return ddb, resp


def fill(ddb, artists=("a", "b"), years=10):
    for a in artists:
        for y in range(1, years + 1):
            ddb.put_item(TableName="music", Item={"artist": {"S": a}, "year": {"N": str(y)},
                                                  "hit": {"BOOL": y % 2 == 0}})


def test_create_table_describes_the_table(client):
    _, resp = make_table(client)
    desc = resp["TableDescription"]
    assert {"TableName", "KeySchema", "AttributeDefinitions", "TableStatus", "TableArn", "ItemCount",
            "CreationDateTime", "ProvisionedThroughput", "TableSizeBytes"} <= set(desc)
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_describe_active_table(client):
    ddb, _ = make_table(client)
    assert ddb.describe_table(TableName="music")["Table"]["TableStatus"] == "ACTIVE"


def test_describe_missing_table_is_not_found(client):
    ddb = client("dynamodb")
    assert error_code(ddb.describe_table, TableName="nothere") == "ResourceNotFoundException"


def test_duplicate_table_is_in_use(client):
    ddb, _ = make_table(client)
    code = error_code(ddb.create_table, TableName="music",
                      KeySchema=[{"AttributeName": "artist", "KeyType": "HASH"}],
                      AttributeDefinitions=[{"AttributeName": "artist", "AttributeType": "S"}],
                      BillingMode="PAY_PER_REQUEST")
    assert code == "ResourceInUseException"


def test_key_attribute_missing_from_definitions_is_invalid(client):
    ddb = client("dynamodb")
    code = error_code(ddb.create_table, TableName="music",
                      KeySchema=[{"AttributeName": "artist", "KeyType": "HASH"}],
                      AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "S"}],
                      BillingMode="PAY_PER_REQUEST")
    assert code == "ValidationException"


def test_unused_attribute_definition_is_invalid(client):
    ddb = client("dynamodb")
    code = error_code(ddb.create_table, TableName="music",
                      KeySchema=[{"AttributeName": "artist", "KeyType": "HASH"}],
                      AttributeDefinitions=[{"AttributeName": "artist", "AttributeType": "S"},
                                            {"AttributeName": "extra", "AttributeType": "S"}],
                      BillingMode="PAY_PER_REQUEST")
    assert code == "ValidationException"


def test_list_tables_paginates(client):
    ddb = client("dynamodb")
    for n in ("tab1", "tab2", "tab3"):
        make_table(client, n, sort=False)
    first = ddb.list_tables(Limit=2)
    second = ddb.list_tables(ExclusiveStartTableName=first["LastEvaluatedTableName"], Limit=2)
    assert first["TableNames"] + second["TableNames"] == ["tab1", "tab2", "tab3"]
    assert "LastEvaluatedTableName" not in second


def test_delete_table_then_not_found(client):
    ddb, _ = make_table(client)
    assert "TableDescription" in ddb.delete_table(TableName="music")
    ddb.get_waiter("table_not_exists").wait(TableName="music", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    assert error_code(ddb.describe_table, TableName="music") == "ResourceNotFoundException"


def test_put_then_get(client):
    ddb, _ = make_table(client)
    item = {"artist": {"S": "Nina"}, "year": {"N": "1965"}, "tags": {"SS": ["jazz"]}}
    ddb.put_item(TableName="music", Item=item)
    assert ddb.get_item(TableName="music", Key={"artist": {"S": "Nina"}, "year": {"N": "1965"}})["Item"] == item


def test_get_missing_item_has_no_item_key(client):
    ddb, _ = make_table(client)
    resp = ddb.get_item(TableName="music", Key={"artist": {"S": "x"}, "year": {"N": "1"}})
    assert keys(resp) == set()


def test_put_return_values_all_old(client):
    ddb, _ = make_table(client)
    ddb.put_item(TableName="music", Item={"artist": {"S": "a"}, "year": {"N": "1"}, "v": {"N": "1"}})
    resp = ddb.put_item(TableName="music", Item={"artist": {"S": "a"}, "year": {"N": "1"}}, ReturnValues="ALL_OLD")
    assert resp["Attributes"]["v"] == {"N": "1"}


def test_update_with_expressions(client):
    ddb, _ = make_table(client)
    key = {"artist": {"S": "a"}, "year": {"N": "1"}}
    resp = ddb.update_item(TableName="music", Key=key,
                           UpdateExpression="SET plays = if_not_exists(plays, :z) + :one, #n = :n ADD tags :t",
                           ExpressionAttributeNames={"#n": "name"},
                           ExpressionAttributeValues={":z": {"N": "0"}, ":one": {"N": "1"}, ":n": {"S": "x"},
                                                      ":t": {"SS": ["live"]}},
                           ReturnValues="ALL_NEW")
    assert resp["Attributes"]["plays"] == {"N": "1"} and resp["Attributes"]["tags"] == {"SS": ["live"]}


def test_update_returns_updated_new(client):
    ddb, _ = make_table(client)
    key = {"artist": {"S": "a"}, "year": {"N": "1"}}
    ddb.put_item(TableName="music", Item={**key, "x": {"N": "1"}, "y": {"N": "1"}})
    resp = ddb.update_item(TableName="music", Key=key, UpdateExpression="SET x = :v",
                           ExpressionAttributeValues={":v": {"N": "5"}}, ReturnValues="UPDATED_NEW")
    assert resp["Attributes"] == {"x": {"N": "5"}}


def test_conditional_put_fails(client):
    ddb, _ = make_table(client)
    item = {"artist": {"S": "a"}, "year": {"N": "1"}}
    ddb.put_item(TableName="music", Item=item)
    code = error_code(ddb.put_item, TableName="music", Item=item, ConditionExpression="attribute_not_exists(artist)")
    assert code == "ConditionalCheckFailedException"


def test_conditional_update_fails(client):
    ddb, _ = make_table(client)
    key = {"artist": {"S": "a"}, "year": {"N": "1"}}
    ddb.put_item(TableName="music", Item={**key, "v": {"N": "1"}})
    code = error_code(ddb.update_item, TableName="music", Key=key, UpdateExpression="SET v = :n",
                      ConditionExpression="v = :old", ExpressionAttributeValues={":n": {"N": "3"}, ":old": {"N": "2"}})
    assert code == "ConditionalCheckFailedException"


@moto_differs("moto accepts ExpressionAttributeValues the expression never uses; AWS rejects them")
def test_unused_expression_value_is_invalid(client):
    ddb, _ = make_table(client)
    code = error_code(ddb.put_item, TableName="music", Item={"artist": {"S": "a"}, "year": {"N": "1"}},
                      ConditionExpression="attribute_not_exists(artist)",
                      ExpressionAttributeValues={":unused": {"S": "x"}})
    assert code == "ValidationException"


def test_reserved_word_in_expression_is_invalid(client):
    ddb, _ = make_table(client)
    code = error_code(ddb.update_item, TableName="music", Key={"artist": {"S": "a"}, "year": {"N": "1"}},
                      UpdateExpression="SET status = :s", ExpressionAttributeValues={":s": {"S": "x"}})
    assert code == "ValidationException"


def test_wrong_key_is_invalid(client):
    ddb, _ = make_table(client)
    assert error_code(ddb.get_item, TableName="music", Key={"artist": {"S": "a"}}) == "ValidationException"


def test_updating_a_key_attribute_is_invalid(client):
    ddb, _ = make_table(client)
    code = error_code(ddb.update_item, TableName="music", Key={"artist": {"S": "a"}, "year": {"N": "1"}},
                      UpdateExpression="SET artist = :s", ExpressionAttributeValues={":s": {"S": "b"}})
    assert code == "ValidationException"


def test_query_with_filter_counts_vs_scanned(client):
    ddb, _ = make_table(client)
    fill(ddb)
    resp = ddb.query(TableName="music", KeyConditionExpression="artist = :a", FilterExpression="hit = :t",
                     ExpressionAttributeValues={":a": {"S": "a"}, ":t": {"BOOL": True}})
    assert (resp["Count"], resp["ScannedCount"]) == (5, 10)
    assert [i["year"]["N"] for i in resp["Items"]] == ["2", "4", "6", "8", "10"]


def test_query_descending_with_limit(client):
    ddb, _ = make_table(client)
    fill(ddb)
    resp = ddb.query(TableName="music", KeyConditionExpression="artist = :a AND #y > :y",
                     ExpressionAttributeNames={"#y": "year"},
                     ExpressionAttributeValues={":a": {"S": "b"}, ":y": {"N": "3"}},
                     ScanIndexForward=False, Limit=2)
    assert [i["year"]["N"] for i in resp["Items"]] == ["10", "9"]
    assert resp["LastEvaluatedKey"] == {"artist": {"S": "b"}, "year": {"N": "9"}}


def test_query_pages_with_exclusive_start_key(client):
    ddb, _ = make_table(client)
    fill(ddb)
    seen, kw = [], {}
    while True:
        resp = ddb.query(TableName="music", KeyConditionExpression="artist = :a",
                         ExpressionAttributeValues={":a": {"S": "a"}}, Limit=4, **kw)
        seen += [i["year"]["N"] for i in resp["Items"]]
        if "LastEvaluatedKey" not in resp:
            break
        kw = {"ExclusiveStartKey": resp["LastEvaluatedKey"]}
    assert seen == [str(y) for y in range(1, 11)]


def test_query_select_count(client):
    ddb, _ = make_table(client)
    fill(ddb)
    resp = ddb.query(TableName="music", KeyConditionExpression="artist = :a", Select="COUNT",
                     ExpressionAttributeValues={":a": {"S": "a"}})
    assert "Items" not in resp and resp["Count"] == 10


def test_scan_counts_everything_and_paginates(client):
    ddb, _ = make_table(client)
    fill(ddb)
    pages = list(ddb.get_paginator("scan").paginate(TableName="music", PaginationConfig={"PageSize": 7}))
    assert sum(p["Count"] for p in pages) == 20 and len(pages) >= 3


def test_scan_filter(client):
    ddb, _ = make_table(client)
    fill(ddb)
    resp = ddb.scan(TableName="music", FilterExpression="hit = :t", ExpressionAttributeValues={":t": {"BOOL": True}})
    assert (resp["Count"], resp["ScannedCount"]) == (10, 20)


def test_query_missing_partition_key_is_invalid(client):
    ddb, _ = make_table(client)
    code = error_code(ddb.query, TableName="music", KeyConditionExpression="#y = :y",
                      ExpressionAttributeNames={"#y": "year"}, ExpressionAttributeValues={":y": {"N": "1"}})
    assert code == "ValidationException"


def test_query_missing_table_is_not_found(client):
    ddb = client("dynamodb")
    code = error_code(ddb.query, TableName="nothere", KeyConditionExpression="a = :a",
                      ExpressionAttributeValues={":a": {"S": "x"}})
    assert code == "ResourceNotFoundException"


def test_consumed_capacity_total(client):
    ddb, _ = make_table(client)
    resp = ddb.put_item(TableName="music", Item={"artist": {"S": "a"}, "year": {"N": "1"}},
                        ReturnConsumedCapacity="TOTAL")
    assert resp["ConsumedCapacity"]["TableName"] == "music" and resp["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_batch_write_and_get(client):
    ddb, _ = make_table(client)
    reqs = [{"PutRequest": {"Item": {"artist": {"S": "a"}, "year": {"N": str(y)}}}} for y in range(5)]
    resp = ddb.batch_write_item(RequestItems={"music": reqs})
    assert resp["UnprocessedItems"] == {}
    got = ddb.batch_get_item(RequestItems={"music": {"Keys": [{"artist": {"S": "a"}, "year": {"N": str(y)}}
                                                              for y in range(5)]}})
    assert len(got["Responses"]["music"]) == 5 and got["UnprocessedKeys"] == {}


@moto_differs("moto writes batches of more than 25 requests; AWS rejects them")
def test_batch_write_over_25_is_invalid(client):
    ddb, _ = make_table(client)
    reqs = [{"PutRequest": {"Item": {"artist": {"S": "a"}, "year": {"N": str(y)}}}} for y in range(26)]
    assert error_code(ddb.batch_write_item, RequestItems={"music": reqs}) == "ValidationException"


def test_transaction_with_failed_condition_is_cancelled(client):
    ddb, _ = make_table(client)
    ddb.put_item(TableName="music", Item={"artist": {"S": "a"}, "year": {"N": "1"}})
    code = error_code(ddb.transact_write_items, TransactItems=[
        {"Put": {"TableName": "music", "Item": {"artist": {"S": "b"}, "year": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": "music", "Key": {"artist": {"S": "a"}, "year": {"N": "1"}},
                            "ConditionExpression": "attribute_not_exists(artist)"}},
    ])
    assert code == "TransactionCanceledException"
    assert "Item" not in ddb.get_item(TableName="music", Key={"artist": {"S": "b"}, "year": {"N": "1"}})


def test_ttl_roundtrip(client):
    ddb, _ = make_table(client)
    ddb.update_time_to_live(TableName="music", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    desc = ddb.describe_time_to_live(TableName="music")["TimeToLiveDescription"]
    assert desc["TimeToLiveStatus"] == "ENABLED" and desc["AttributeName"] == "exp"


def test_stream_specification_is_described(client):
    _, resp = make_table(client, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    desc = resp["TableDescription"]
    assert desc["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE" and "LatestStreamArn" in desc
