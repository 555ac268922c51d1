"""The dashboard base: errors reach the student, events are (un)subscribed."""

import ipywidgets as widgets
import pytest

from awskit import AWSError
from awskit.widgets import Dashboard


class _AZWatcher(Dashboard):
    topics = ("az.*",)

    def __init__(self, cloud):
        super().__init__(cloud)
        self.seen = []
        self.button = widgets.Button(description="fail a bad AZ")
        self.button.on_click(self.guard(lambda _: cloud.fail_az("us-east-1z")))
        self.root = widgets.VBox([self.button, self.status, self.output])

    def on_event(self, message):
        self.seen.append(message.topic)


def test_aws_error_from_a_button_is_recorded_and_shown(cloud):
    view = _AZWatcher(cloud)
    view.button.click()
    assert view.last_error.code == "InvalidParameterValue"
    assert "InvalidParameterValue" in view.status.value
    assert any("InvalidParameterValue" in o["text"] for o in view.output.outputs)


def test_a_bug_in_a_handler_is_shown_and_raised(cloud):
    view = _AZWatcher(cloud)
    handler = view.guard(lambda: {}["missing"])
    with pytest.raises(KeyError):
        handler()
    assert isinstance(view.last_error, KeyError)
    assert "bug in awskit" in view.status.value


def test_dashboard_listens_until_closed(cloud):
    view = _AZWatcher(cloud)
    cloud.fail_az("us-east-1a")
    view.close()
    cloud.restore_az("us-east-1a")
    assert view.seen == ["az.failed"]


def test_dashboard_displays_its_root_box(cloud):
    view = _AZWatcher(cloud)
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.root.model_id


def test_dashboard_needs_a_cloud():
    with pytest.raises(AWSError) as err:
        _AZWatcher("not a cloud")
    assert err.value.code == "InvalidParameterValue"


def test_close_closes_the_child_widgets(cloud):
    view = _AZWatcher(cloud)
    view.close()
    assert view.button.comm is None and view.root.comm is None


def test_widgets_all_lists_every_lazy_name():
    import awskit.widgets as package

    assert sorted(package.__all__) == sorted(package._LAZY)
    assert all(getattr(package, name) is not None for name in package.__all__)


class _BusyBuilder(Dashboard):
    """A view whose construction itself publishes an event it listens to."""

    topics = ("az.*",)

    def __init__(self, cloud, fail=False):
        super().__init__(cloud)
        cloud.fail_az("us-east-1a")  # the model changes while the view is being built
        if fail:
            raise RuntimeError("construction failed")
        self.seen = []
        self.root = widgets.VBox([self.status, self.output])

    def on_event(self, message):
        self.seen.append(message.topic)


def test_events_published_while_building_do_not_reach_the_view(cloud):
    view = _BusyBuilder(cloud)  # on_event would fail on the missing `seen` if it were called early
    cloud.restore_az("us-east-1a")
    assert view.seen == ["az.restored"]


def test_a_view_whose_construction_fails_leaves_no_subscription(cloud):
    with pytest.raises(RuntimeError):
        _BusyBuilder(cloud, fail=True)
    assert cloud.events._subs.get("az.*", []) == []
