"""The chapter 9 S3 browser, driven in plain Python: folders, upload, move, delete, access."""

import pytest

from awskit import AWSError
from awskit.widgets import S3Browser

PUBLIC_READ = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shop-assets/*"}]}


@pytest.fixture
def s3(cloud):
    svc = cloud.s3
    svc.create_bucket("shop-assets")
    svc.create_bucket("shop-backup")
    for key in ("index.html", "img/logo.png", "img/icons/cart.svg", "img/icons/user.svg", "css/site.css"):
        svc.put_object("shop-assets", key, f"content of {key}")
    return svc


@pytest.fixture
def browser(cloud, s3):
    view = S3Browser(cloud, "shop-assets")
    yield view
    view.close()


def _names(browser, kind):
    return [r["name"] for r in browser.rows if r["type"] == kind]


def test_top_level_shows_common_prefixes_as_folders_and_the_rest_as_objects(browser):
    assert _names(browser, "folder") == ["css/", "img/"]
    assert _names(browser, "object") == ["index.html"]


def test_object_rows_carry_size_class_time_and_md5_etag(s3, browser):
    row = next(r for r in browser.rows if r["key"] == "index.html")
    stored = s3.head_object("shop-assets", "index.html")
    assert (row["size"], row["storage_class"], row["etag"]) == (stored.size, "STANDARD", stored.etag)
    assert "index.html" in browser.listing.value and stored.etag.strip('"') in browser.listing.value


def test_choosing_a_folder_enters_it_and_updates_the_breadcrumb(browser):
    browser.folders.value = "img/"
    assert browser.prefix == "img/"
    assert _names(browser, "folder") == ["icons/"] and _names(browser, "object") == ["logo.png"]
    assert "img" in browser.breadcrumb.value


def test_up_goes_back_one_level(browser):
    browser.open_folder("img/icons/")
    browser.up_button.click()
    assert browser.prefix == "img/"
    browser.up_button.click()
    assert browser.prefix == ""


def test_a_folder_must_be_a_prefix_ending_in_a_slash(browser):
    with pytest.raises(AWSError) as err:
        browser.open_folder("img")
    assert err.value.code == "InvalidArgument"


def test_upload_puts_the_text_and_the_listing_follows(s3, browser):
    browser.new_key.value = "notes.txt"
    browser.content.value = "hello"
    browser.upload_button.click()
    assert s3.get_object("shop-assets", "notes.txt").data == b"hello"
    assert "notes.txt" in _names(browser, "object")


def test_upload_without_a_key_is_explained(browser):
    browser.new_key.value = ""
    browser.upload_button.click()
    assert browser.last_error.code == "InvalidArgument"


def test_move_copies_then_deletes_within_the_bucket(s3, browser):
    browser.selected.value = "index.html"
    browser.move_key.value = "old/index.html"
    browser.move_button.click()
    assert s3.bucket("shop-assets").keys.count("index.html") == 0
    assert s3.get_object("shop-assets", "old/index.html").data == b"content of index.html"
    assert "old/" in _names(browser, "folder")


def test_move_to_another_bucket(s3, browser):
    browser.selected.value = "index.html"
    browser.move_bucket.value = "shop-backup"
    browser.move_key.value = "index.html"
    browser.move_button.click()
    assert s3.bucket("shop-backup").keys == ["index.html"]
    assert "index.html" not in s3.bucket("shop-assets").keys


def test_move_of_a_missing_object_shows_no_such_key(s3, browser):
    s3.delete_object("shop-assets", "index.html")  # gone meanwhile, e.g. deleted in another cell
    browser.guard(browser.move)(key="index.html", to_key="x.html")  # as a button handler runs it
    assert browser.last_error.code == "NoSuchKey"


def test_delete_object_removes_it(s3, browser):
    browser.selected.value = "index.html"
    browser.delete_button.click()
    assert "index.html" not in s3.bucket("shop-assets").keys
    assert _names(browser, "object") == []


def test_deleting_a_bucket_that_holds_objects_shows_bucket_not_empty(s3, browser):
    browser.delete_bucket_button.click()
    assert browser.last_error.code == "BucketNotEmpty"
    assert "BucketNotEmpty" in browser.status.value
    assert "shop-assets" in s3.buckets


def test_deleting_an_empty_bucket_switches_to_another(cloud, s3, browser):
    browser.bucket_choice.value = "shop-backup"
    browser.delete_bucket_button.click()
    assert browser.last_error is None
    assert "shop-backup" not in s3.buckets
    assert [v for v in browser.bucket_choice.options] == ["shop-assets"]
    assert browser.bucket == "shop-assets"


def test_new_bucket_from_another_cell_is_offered(cloud, browser):
    cloud.s3.create_bucket("shop-logs")
    assert "shop-logs" in browser.bucket_choice.options
    assert browser.bucket == "shop-assets"


def test_object_put_elsewhere_appears_without_a_click(s3, browser):
    s3.put_object("shop-assets", "robots.txt", "User-agent: *")
    assert "robots.txt" in _names(browser, "object")


def test_changes_in_another_bucket_do_not_refresh(s3, browser):
    before = browser.refresh_count
    s3.put_object("shop-backup", "a.txt", "a")
    assert browser.refresh_count == before


def test_new_bucket_is_private_with_all_blocks_on(browser):
    assert browser.access["public"] is False
    assert all(browser.access["block_public_access"].values())
    assert "PRIVATE" in browser.access_line.value


def test_public_policy_after_lifting_the_block_turns_the_indicator_public(s3, browser):
    s3.put_public_access_block("shop-assets", block_public_acls=True, ignore_public_acls=True)
    assert browser.access["public"] is False  # lifting the block alone publishes nothing
    s3.put_bucket_policy("shop-assets", PUBLIC_READ)
    assert browser.access["public"] is True and browser.access["policy"] is True
    assert "PUBLIC" in browser.access_line.value


def test_account_without_buckets_shows_a_hint(cloud):
    view = S3Browser(cloud)
    assert view.bucket is None and view.rows == []
    assert "no buckets" in view.breadcrumb.value
    view.new_key.value = "a.txt"
    view.upload_button.click()
    assert view.last_error.code == "NoSuchBucket"
    view.close()


def test_opening_an_unknown_bucket_is_rejected(cloud, s3):
    with pytest.raises(AWSError) as err:
        S3Browser(cloud, "no-such-bucket-here")
    assert err.value.code == "NoSuchBucket"


def test_listing_pages_through_more_than_a_thousand_keys(s3, browser):
    for i in range(1005):
        s3.put_object("shop-backup", f"logs/{i:05d}.log", "x")
    browser.bucket_choice.value = "shop-backup"
    browser.open_folder("logs/")
    assert len(browser.rows) == 1005


def test_closed_browser_stops_listening(s3, browser):
    browser.close()
    before = browser.refresh_count
    s3.put_object("shop-assets", "late.txt", "x")
    assert browser.refresh_count == before


def test_refresh_time_is_measured(s3, browser):
    times = []
    for i in range(5):
        s3.put_object("shop-assets", f"doc-{i}.txt", "x" * i)
        times.append(browser.last_refresh_ms)
    print(f"\nS3Browser refresh: {', '.join(f'{t:.1f}' for t in times)} ms")
    assert all(t > 0 for t in times)
