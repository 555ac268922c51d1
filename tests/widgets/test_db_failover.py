"""The chapters 11 and 14 failover timeline, driven in plain Python (no kernel)."""

import pytest

from awskit import AWSError
from awskit.widgets import FailoverTimeline

PNG = b"\x89PNG\r\n\x1a\n"
LOGIN = {"master_username": "admin", "master_password": "s3cretpass"}


def _instance(cloud, name="shop", multi_az=True):
    db = cloud.rds.create_db_instance(name, engine="mysql", instance_class="db.t3.micro", allocated_storage=20,
                                      multi_az=multi_az, **LOGIN)
    cloud.clock.advance(minutes=6)
    return db


def _cluster(cloud, readers=1):
    cluster = cloud.rds.create_db_cluster("orders", engine="aurora-mysql", **LOGIN)
    cloud.rds.create_db_instance("orders-1", engine="aurora-mysql", instance_class="db.r6g.large", cluster=cluster)
    for i in range(readers):
        cloud.rds.create_db_instance(f"orders-{i + 2}", engine="aurora-mysql", instance_class="db.r6g.large",
                                     cluster=cluster, promotion_tier=i)
    cloud.clock.advance(minutes=6)
    return cluster


@pytest.fixture
def db(cloud):
    return _instance(cloud)


@pytest.fixture
def view(cloud, db):
    widget = FailoverTimeline(cloud, db)
    yield widget
    widget.close()


@pytest.fixture
def aurora(cloud):
    widget = FailoverTimeline(cloud, _cluster(cloud))
    yield widget
    widget.close()


def test_probe_writes_while_the_instance_is_up(cloud, view, db):
    view.step_buttons["+1 min"].click()
    assert [p.state for p in view.probes] == ["up"] * 7
    conn = cloud.rds.connect(db, "admin", "s3cretpass")
    assert conn.execute("SELECT COUNT(*) FROM failover_probe").fetchall() == [(7,)]


def test_probes_run_every_interval(cloud, db):
    widget = FailoverTimeline(cloud, db, probe_interval=30)
    widget.advance(120)
    assert [p.time for p in widget.probes] == [0, 30, 60, 90, 120]
    widget.close()


def test_fail_az_fails_the_primarys_zone(cloud, view, db):
    az = db.az
    view.fail_button.click()
    assert cloud.failed_azs == {az}
    assert view.probes[-1].state == "down"


def test_multi_az_failover_outage_is_measured(cloud, view, db):
    old = db.az
    view.fail_button.click()
    view.step_buttons["+5 min"].click()
    # RDS promotes the standby in 60-120 s; the probe sees it within one 10 s interval
    assert 60 <= view.outage_seconds <= 130
    assert view.probes[-1].state == "up" and view.probes[-1].az == db.az != old


def test_endpoint_stays_the_same_after_failover(cloud, view, db):
    address = db.endpoint["Address"]
    view.fail_button.click()
    view.step_buttons["+5 min"].click()
    assert db.endpoint["Address"] == address
    assert cloud.rds.connect(address, "admin", "s3cretpass").execute(
        "SELECT COUNT(*) FROM failover_probe").fetchall()[0][0] == sum(p.write_ok for p in view.probes)


def test_failover_markers_come_from_the_model(view):
    view.fail_button.click()
    view.step_buttons["+5 min"].click()
    kinds = [what for _t, what, _az, _ok in view.timeline if "failover" in what]
    assert kinds == ["failover started", "failover completed"]


def test_events_table_lists_the_failover(view):
    view.reboot_button.click()
    view.step_buttons["+5 min"].click()
    messages = [e["message"] for e in view.events]
    assert "Multi-AZ instance failover started." in messages
    assert "Multi-AZ instance failover completed." in messages
    assert "failover completed" in view.table.value


def test_single_az_instance_stays_down_until_its_zone_returns(cloud):
    widget = FailoverTimeline(cloud, _instance(cloud, "solo", multi_az=False))
    widget.fail_button.click()
    widget.advance(600)
    assert {p.state for p in widget.probes[1:]} == {"down"}
    widget.restore_button.click()
    assert widget.probes[-1].state == "up" and cloud.failed_azs == set()
    assert widget.outage_seconds == pytest.approx(600)
    widget.close()


def test_reboot_with_failover_of_a_single_az_instance_shows_the_error(cloud):
    widget = FailoverTimeline(cloud, _instance(cloud, "solo", multi_az=False))
    widget.reboot_button.click()
    assert widget.last_error.code == "InvalidParameterCombination"
    assert "InvalidParameterCombination" in widget.status.value
    widget.close()


def test_aurora_failover_is_about_thirty_seconds(cloud, aurora):
    writer = aurora.primary
    aurora.fail_button.click()
    aurora.step_buttons["+1 min"].click()
    assert 30 <= aurora.outage_seconds <= 40
    assert aurora.primary is not writer and aurora.primary.id == "orders-2"


def test_aurora_reads_survive_losing_three_copies_but_writes_do_not(aurora):
    for n in (0, 1, 2):
        aurora.node.value = n
        aurora.node_fail_button.click()
    assert aurora.probes[-1].state == "read-only"
    assert aurora.probes[-1].error == "StorageQuorumLost"


def test_aurora_writes_survive_losing_two_copies(aurora):
    for n in (0, 1):
        aurora.node.value = n
        aurora.node_fail_button.click()
    assert aurora.probes[-1].state == "up"


def test_aurora_losing_four_copies_stops_reads_and_repair_brings_them_back(aurora):
    for n in range(4):
        aurora.fail_storage_node(n)
    assert aurora.probes[-1].state == "down"
    for n in range(4):
        aurora.node.value = n
        aurora.node_repair_button.click()
    assert aurora.probes[-1].state == "up"


def test_storage_node_buttons_are_only_for_clusters(view, aurora):
    assert view.node_fail_button is None and aurora.node_fail_button is not None


def test_storage_node_call_on_an_instance_is_refused(view):
    with pytest.raises(AWSError) as info:
        view.fail_storage_node(0)
    assert info.value.code == "InvalidParameterCombination"


def test_an_aurora_instance_opens_its_cluster(cloud):
    cluster = _cluster(cloud, readers=0)
    widget = FailoverTimeline(cloud, "orders-1")
    assert widget.is_cluster and widget.target is cluster
    widget.close()


def test_unknown_database_is_not_found(cloud):
    with pytest.raises(AWSError) as info:
        FailoverTimeline(cloud, "nope")
    assert info.value.code == "DBInstanceNotFound"


def test_bad_probe_interval_is_rejected(cloud, db):
    with pytest.raises(AWSError) as info:
        FailoverTimeline(cloud, db, probe_interval=0)
    assert info.value.code == "InvalidParameterValue"


def test_failover_started_in_another_cell_is_drawn(cloud, view, db):
    count = view.redraw_count
    cloud.rds.reboot_db_instance(db, force_failover=True)
    assert view.redraw_count > count
    assert any("failover started" in what for _t, what, _az, _ok in view.timeline)


def test_events_of_other_databases_do_not_redraw(cloud, view):
    count = view.redraw_count
    cloud.rds.create_db_instance("other", engine="postgres", instance_class="db.t3.micro", allocated_storage=20,
                                 **LOGIN)
    assert view.redraw_count == count


def test_timeline_is_redrawn_and_timed(view):
    first = view.image.value
    times = [view.last_redraw_ms]
    for button in (view.fail_button, view.step_buttons["+1 min"], view.step_buttons["+5 min"],
                   view.restore_button, view.reboot_button, view.step_buttons["+5 min"]):
        button.click()
        times.append(view.last_redraw_ms)
    print(f"\nFailoverTimeline redraw ms: {', '.join(f'{t:.0f}' for t in times)}")
    assert view.image.value[:8] == PNG and view.image.value != first


def test_closed_widget_stops_listening(cloud, view, db):
    count = view.redraw_count
    view.close()
    cloud.rds.reboot_db_instance(db, force_failover=True)
    assert view.redraw_count == count


def test_aurora_read_only_volume_after_a_failover_still_reads(cloud, aurora):
    aurora.fail_storage_node(2)           # with the writer's zone: copies 0, 1 and 2 are gone
    aurora.fail_button.click()
    aurora.advance(60)
    assert aurora.probes[-1].state == "read-only" and aurora.probes[-1].error == "StorageQuorumLost"
    assert aurora.probes[-1].server == aurora.primary.id
