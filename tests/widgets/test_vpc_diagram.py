"""The chapter 2 VPC diagram, driven in plain Python: what it shows follows the model."""

import pytest

from awskit import AWSError
from awskit.plots import vpc_figure, vpc_layout
from awskit.widgets import VPCDiagram

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def net(cloud):
    vpc = cloud.vpc.create_vpc("10.0.0.0/16", tags={"Name": "shop"})
    web = cloud.vpc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a", tags={"Name": "web-a"})
    return cloud.vpc, vpc, web


@pytest.fixture
def diagram(cloud, net):
    view = VPCDiagram(cloud, net[1])
    yield view
    view.close()


def test_new_subnet_appears_as_a_private_box(net, diagram):
    svc, vpc, _ = net
    subnet = svc.create_subnet(vpc, "10.0.2.0/24", availability_zone="us-east-1b")
    kind, label = diagram.boxes[subnet.id]
    assert kind == "private"
    assert "10.0.2.0/24" in label and "251 free IPs" in label
    assert diagram.layout.azs == ("us-east-1a", "us-east-1b")


def test_box_label_names_route_table_and_network_acl(net, diagram):
    _, _, web = net
    label = diagram.boxes[web.id][1]
    assert web.route_table.id in label and web.network_acl.id in label


def test_attaching_a_gateway_shows_it_but_keeps_subnets_private(net, diagram):
    svc, vpc, web = net
    assert diagram.igw is None
    igw = svc.create_internet_gateway()
    svc.attach_internet_gateway(igw, vpc)
    assert diagram.igw == igw.id
    assert diagram.boxes[web.id][0] == "private"


def test_route_to_the_gateway_turns_the_box_public(net, diagram):
    svc, vpc, web = net
    igw = svc.create_internet_gateway()
    svc.attach_internet_gateway(igw, vpc)
    svc.create_route(vpc.main_route_table, "0.0.0.0/0", gateway_id=igw)
    assert diagram.boxes[web.id][0] == "public"


def test_detaching_the_gateway_greys_it_out(net, diagram):
    svc, vpc, _ = net
    igw = svc.create_internet_gateway()
    svc.attach_internet_gateway(igw, vpc)
    svc.detach_internet_gateway(igw, vpc)
    assert diagram.igw is None


def test_interface_dot_shows_addresses_and_groups(net, diagram):
    svc, vpc, web = net
    sg = svc.create_security_group(vpc, "web", "web tier")
    igw = svc.create_internet_gateway()
    svc.attach_internet_gateway(igw, vpc)
    eni = svc.create_network_interface(web, groups=[sg], tags={"Name": "web-1"})
    public = svc.associate_public_ip(eni)
    label = diagram.dots[eni.id]
    assert label.startswith("web-1:")
    assert str(eni.private_ip_address) in label and str(public) in label and "web" in label
    assert "250 free IPs" in diagram.boxes[web.id][1]


def test_failed_az_is_marked_and_restored(cloud, diagram):
    cloud.fail_az("us-east-1a")
    assert diagram.failed_azs == ("us-east-1a",)
    cloud.restore_az("us-east-1a")
    assert diagram.failed_azs == ()


def test_failed_az_the_vpc_does_not_use_does_not_redraw(cloud, diagram):
    before = diagram.redraw_count
    cloud.fail_az("us-east-1f")
    assert diagram.redraw_count == before


def test_change_in_another_vpc_does_not_redraw(cloud, diagram):
    before, image = diagram.redraw_count, diagram.image.value
    cloud.vpc.create_subnet(cloud.vpc.create_vpc("10.9.0.0/16"), "10.9.1.0/24")
    assert diagram.redraw_count == before
    assert diagram.image.value == image


def test_each_change_redraws_the_png(net, diagram):
    svc, vpc, _ = net
    first = diagram.image.value
    svc.create_subnet(vpc, "10.0.3.0/24", availability_zone="us-east-1c")
    assert bytes(diagram.image.value[:8]) == PNG
    assert diagram.image.value != first


def test_deleting_the_vpc_keeps_the_last_picture_and_says_so(net, diagram):
    svc, vpc, web = net
    svc.delete_subnet(web)
    svc.delete_vpc(vpc)
    assert diagram.deleted
    assert vpc.id in diagram.status.value


def test_closed_diagram_stops_listening(net, diagram):
    svc, vpc, _ = net
    diagram.close()
    before = diagram.redraw_count
    svc.create_subnet(vpc, "10.0.4.0/24")
    assert diagram.redraw_count == before


def test_diagram_accepts_a_vpc_id(cloud, net):
    view = VPCDiagram(cloud, net[1].id)
    assert view.layout.vpc_id == net[1].id
    view.close()


@pytest.mark.parametrize("bad, code", [("vpc-0123456789abcdef0", "InvalidVpcID.NotFound"),
                                       ("shop", "InvalidVpcID.Malformed"), (42, "InvalidParameterValue")])
def test_bad_vpc_is_rejected_with_the_aws_code(cloud, bad, code):
    with pytest.raises(AWSError) as err:
        VPCDiagram(cloud, bad)
    assert err.value.code == code


def test_default_vpc_shows_one_public_subnet_per_az(cloud):
    layout = vpc_layout(cloud.vpc.default_vpc)
    assert len(layout.azs) == len(cloud.availability_zones)
    assert {b.kind for b in layout.subnets} == {"public"}


def test_vpc_figure_renders_a_static_png(net):
    figure = vpc_figure(net[1])
    assert figure._repr_png_().startswith(PNG)
    assert figure.layout.subnets[0].id == net[2].id


def test_vpc_layout_needs_a_vpc_object(cloud):
    with pytest.raises(AWSError) as err:
        vpc_layout("vpc-0123456789abcdef0")
    assert err.value.code == "InvalidParameterValue"


def test_redraw_time_is_measured(cloud, net, diagram):
    svc, vpc, web = net
    steps = [
        lambda: svc.create_subnet(vpc, "10.0.2.0/24", availability_zone="us-east-1b"),
        lambda: svc.attach_internet_gateway(igw, vpc),
        lambda: svc.create_route(vpc.main_route_table, "0.0.0.0/0", gateway_id=igw),
        lambda: svc.create_network_interface(web),
        lambda: cloud.fail_az("us-east-1b"),
        lambda: cloud.restore_az("us-east-1b"),
    ]
    igw = svc.create_internet_gateway()
    times = []
    for step in steps:
        step()
        times.append(diagram.last_redraw_ms)
    print(f"\nVPCDiagram redraw over {len(times)} changes: "
          f"{', '.join(f'{t:.1f}' for t in times)} ms (mean {sum(times) / len(times):.1f})")
    assert all(t > 0 for t in times)
