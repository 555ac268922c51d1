"""Chapter 4 widget: a small EC2 launch console.

Pick the software (an AMI), the hardware (an instance type, shown with its vCPUs, memory and
hourly price), where it goes (a subnet and a security group) and a key pair (or make a new
one: its private key is shown once, because AWS keeps only the public half), then Launch.
The table below lists the instances with their state coloured as it moves on the simulated
clock; the clock buttons let time pass so ``pending`` turns ``running``, and the
Stop/Start/Reboot/Terminate buttons act on the selected instance.  The bill line shows what
EC2 and the whole account have cost so far.

The console holds no EC2 logic: every button calls ``cloud.ec2`` and the table is redrawn
from the model on ``ec2.*`` and ``vpc.*`` events, so instances launched in other cells show
up too.  Errors the model raises (a vCPU quota, stopping an instance-store instance) reach
the student through the status line.
"""

from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as widgets

from ..core.errors import InvalidParameter
from ..ec2.catalog import FAMILIES, INSTANCE_TYPES
from ._base import Dashboard
from .vpc_diagram import _resolve_vpc

__all__ = ["STATE_COLOURS", "LaunchConsole"]

#: Text colour of each instance state in the table.
STATE_COLOURS = {"pending": "#9a6700", "running": "#1a7f37", "stopping": "#bc4c00", "stopped": "#57606a",
                 "shutting-down": "#bc4c00", "terminated": "#cf222e"}
#: Dropdown values that are not key pair names.
NO_KEY = "(no key pair)"
NEW_KEY = "+ create a new key pair"
#: Buttons of the clock: label -> seconds.
CLOCK_STEPS = {"+10 s": 10, "+1 min": 60, "+10 min": 600}


def type_label(name: str) -> str:
    """``t3.micro · 2 vCPU · 1 GiB · $0.0104/h`` for the instance type dropdown."""
    t = INSTANCE_TYPES[name]
    extra = f" · {t.accelerators}" if t.accelerators else ""
    return f"{t.name} · {t.vcpus} vCPU · {t.memory_gib:g} GiB · ${t.hourly_price}/h{extra}"


class LaunchConsole(Dashboard):
    """Launch, watch and manage EC2 instances from dropdowns and buttons.

    Args:
        cloud: the awskit Cloud.
        vpc: offer the subnets and security groups of this VPC (object or id); default:
            every VPC in the cloud's default Region (the default VPC included).

    Read the state from ``table_rows`` (one dict per instance: id, name, type, az, state,
    public_ip, private_ip), ``selected`` (the selected Instance or None), ``last_launched``,
    ``private_key`` (the Textarea holding a newly created key, empty otherwise),
    ``last_error`` and ``last_redraw_ms``.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> console = LaunchConsole(cloud)
    >>> console.instance_type.value = "t3.micro"
    >>> console.launch_button.click()
    >>> console.table_rows[0]["state"]
    'pending'
    >>> console.clock_buttons["+1 min"].click()
    >>> console.table_rows[0]["state"]
    'running'
    >>> console.close()
    """

    topics = ("ec2.*", "vpc.*")

    def __init__(self, cloud, vpc: Any = None) -> None:
        super().__init__(cloud)
        self.vpc = None if vpc is None else _resolve_vpc(cloud, vpc)
        region = cloud.region_name if self.vpc is None else self.vpc.region
        self.ec2 = cloud.region(region).ec2
        self.net = cloud.region(region).vpc
        self.last_launched = None
        self.redraw_count = 0
        self.last_redraw_ms = 0.0
        self._quiet = False
        wide = widgets.Layout(width="520px")
        self.ami = widgets.Dropdown(description="AMI", layout=wide, options=self._ami_options())
        self.ami.value = self.ec2.find_image("al2023-ami-*", "x86_64").id
        self.ami_info = widgets.HTML()
        self.instance_type = widgets.Dropdown(description="Type", layout=wide, options=self._type_options(),
                                              value="t3.micro")
        self.type_info = widgets.HTML()
        self.subnet = widgets.Dropdown(description="Subnet", layout=wide)
        self.security_group = widgets.Dropdown(description="Sec. group", layout=wide)
        self.key_pair = widgets.Dropdown(description="Key pair", layout=widgets.Layout(width="340px"))
        self.new_key_name = widgets.Text(value="lab-key", description="New key", layout=widgets.Layout(
            width="300px", display="none"))
        self.name = widgets.Text(value="", placeholder="e.g. web-1", description="Name",
                                 layout=widgets.Layout(width="300px"))
        self.launch_button = widgets.Button(description="Launch", button_style="primary", icon="rocket")
        self.key_warning = widgets.HTML()
        self.private_key = widgets.Textarea(value="", disabled=False, layout=widgets.Layout(
            width="520px", height="120px", display="none"))
        self.hide_key_button = widgets.Button(description="I saved it: hide the key", layout=widgets.Layout(
            display="none"))
        self.instance_picker = widgets.Dropdown(description="Instance", layout=widgets.Layout(width="420px"))
        self.action_buttons = {name: widgets.Button(description=name, layout=widgets.Layout(width="90px"))
                               for name in ("Stop", "Start", "Reboot", "Terminate")}
        self.action_buttons["Terminate"].button_style = "danger"
        self.clock_buttons = {label: widgets.Button(description=label, layout=widgets.Layout(width="80px"))
                              for label in CLOCK_STEPS}
        self.clock_label = widgets.HTML()
        self.table = widgets.HTML()
        self.bill = widgets.HTML()
        self._fill_choices()
        self._describe_choice()
        self.root = widgets.VBox([
            widgets.HTML("<b>EC2 launch console</b>: software (AMI) + hardware (type) + place (subnet, "
                         "security group) + a key to log in with"),
            self.ami, self.ami_info, self.instance_type, self.type_info, self.subnet, self.security_group,
            widgets.HBox([self.key_pair, self.new_key_name]), self.name, self.launch_button,
            self.key_warning, self.private_key, self.hide_key_button,
            self.table,
            widgets.HBox([self.instance_picker, *self.action_buttons.values()]),
            widgets.HBox([widgets.HTML("Let time pass:"), *self.clock_buttons.values(), self.clock_label]),
            self.bill, self.status, self.output])
        self.launch_button.on_click(self.guard(lambda _b: self.launch()))
        self.hide_key_button.on_click(self.guard(lambda _b: self.hide_private_key()))
        for action, button in self.action_buttons.items():
            button.on_click(self.guard(lambda _b, a=action: self.act(a)))
        for label, seconds in CLOCK_STEPS.items():
            button = self.clock_buttons[label]
            button.on_click(self.guard(lambda _b, s=seconds: self.advance(s)))
        for control in (self.ami, self.instance_type):
            control.observe(self.guard(lambda _c: self._describe_choice()), names="value")
        self.subnet.observe(self.guard(lambda _c: self._fill_groups()), names="value")
        self.key_pair.observe(self.guard(lambda _c: self._show_new_key_name()), names="value")
        self.refresh()

    # -- choices ---------------------------------------------------------------------------
    def _ami_options(self) -> list[tuple[str, str]]:
        return [(f"{i.pretty_name or i.name} · {i.architecture} · root {i.root_device_type} · {i.publisher}", i.id)
                for i in self.ec2.images]

    @staticmethod
    def _type_options() -> list[tuple[str, str]]:
        order = {f: n for n, f in enumerate(FAMILIES)}
        types = sorted(INSTANCE_TYPES.values(), key=lambda t: (order[t.family], t.hourly_price))
        return [(type_label(t.name), t.name) for t in types]

    def _subnets(self) -> list:
        if self.vpc is not None:
            return self.vpc.subnets
        return self.net.subnets

    def _fill_choices(self) -> None:
        self._quiet = True
        try:
            keep = self.subnet.value
            options = []
            for s in self._subnets():
                kind = "public" if s.is_public else "private"
                label = f"{s.name or s.id} · {s.cidr_block} · {s.availability_zone.name} · {kind}"
                if s.vpc.is_default:
                    label += " (default VPC)"
                options.append((label, s.id))
            self.subnet.options = options
            values = [v for _, v in options]
            if keep in values:
                self.subnet.value = keep
            elif values:
                public = [s.id for s in self._subnets() if s.is_public and not s.vpc.is_default]
                self.subnet.value = public[0] if public else values[0]
            keep = self.key_pair.value
            names = [k.name for k in self.ec2.key_pairs]
            self.key_pair.options = [NO_KEY, *names, NEW_KEY]
            self.key_pair.value = keep if keep in self.key_pair.options else (names[-1] if names else NO_KEY)
        finally:
            self._quiet = False
        self._fill_groups()
        self._show_new_key_name()

    def _fill_groups(self) -> None:
        subnet = self._current_subnet()
        keep = self.security_group.value
        groups = subnet.vpc.security_groups if subnet is not None else []
        options = [(f"{g.group_name} · {g.id} · {len(g.ingress)} inbound rule(s)", g.id) for g in groups]
        self._quiet = True
        try:
            self.security_group.options = options
            values = [v for _, v in options]
            if keep in values:
                self.security_group.value = keep
            elif values:
                custom = [g.id for g in groups if g.group_name != "default"]
                self.security_group.value = custom[-1] if custom else values[0]
        finally:
            self._quiet = False

    def _current_subnet(self):
        value = self.subnet.value
        return next((s for s in self._subnets() if s.id == value), None)

    def _show_new_key_name(self) -> None:
        self.new_key_name.layout.display = "" if self.key_pair.value == NEW_KEY else "none"

    def _describe_choice(self) -> None:
        img = self.ec2.get_image(self.ami.value)
        root = ("EBS volume: survives stop/start" if img.ebs_backed else
                "instance store: lost when the instance stops, so it can only be rebooted or terminated")
        self.ami_info.value = (f"<small>{html.escape(img.description)}; published by {html.escape(img.publisher)}"
                               f"; root device: {root}.</small>")
        t = INSTANCE_TYPES[self.instance_type.value]
        bits = [t.family, f"{t.vcpus} vCPU", f"{t.memory_gib:g} GiB memory", f"network {t.network_performance}",
                "/".join(t.architectures)]
        if t.burstable:
            bits.append(f"burstable (baseline {t.baseline_percent:g}% CPU)")
        if t.instance_storage:
            s = t.instance_storage
            bits.append(f"instance store {s.count} x {s.size_gb} GB {s.kind}")
        if t.accelerators:
            bits.append(t.accelerators)
        warn = ""
        if img.architecture not in t.architectures:
            warn = (f" <span style='color:#cf222e'>{t.name} runs {'/'.join(t.architectures)}; this AMI is "
                    f"{img.architecture}: pick a matching pair.</span>")
        self.type_info.value = (f"<small>{html.escape(', '.join(bits))}; ${t.hourly_price}/hour = "
                                f"${t.hourly_price * 24 * 30:.2f} for 30 days, billed per second.{warn}</small>")

    # -- actions -------------------------------------------------------------------------------
    def launch(self):
        """Launch one instance with the chosen settings; returns it (creating a key pair first
        when "create a new key pair" is chosen).

        Raises: whatever run_instances raises (VcpuLimitExceeded, InvalidParameterValue for an
        AMI/type mismatch, ...) and InvalidKeyPair.Duplicate for a new key's taken name.
        """
        subnet = self._current_subnet()
        if subnet is None:
            raise InvalidParameter("InvalidParameterValue", "Choose a subnet first: this VPC has none. Create one "
                                   "with cloud.vpc.create_subnet(vpc, '10.0.1.0/24').")
        key_name = self.key_pair.value
        if key_name == NEW_KEY:
            key, pem = self.ec2.create_key_pair(self.new_key_name.value.strip())
            self.show_private_key(key.name, pem)
            key_name = key.name
            self._fill_choices()
            self.key_pair.value = key_name  # the next launch reuses it rather than making another
        elif key_name == NO_KEY:
            key_name = None
        tags = {"Name": self.name.value.strip()} if self.name.value.strip() else None
        groups = [self.security_group.value] if self.security_group.value else None
        instance = self.ec2.run_instance(self.ami.value, self.instance_type.value, subnet=subnet,
                                         security_groups=groups, key_name=key_name, tags=tags)
        self.last_launched = instance
        self.refresh()
        self.instance_picker.value = instance.id
        self.show_status(f"Launched {instance.id} ({instance.instance_type.name}) in {subnet.availability_zone.name}:"
                         f" it is pending; let time pass to watch it boot.")
        return instance

    def show_private_key(self, name: str, pem: str) -> None:
        """Show a new private key once, with the warning that AWS does not keep it."""
        self.private_key.value = pem
        self.private_key.layout.display = ""
        self.hide_key_button.layout.display = ""
        self.key_warning.value = (
            "<div style='padding:6px;background:#fff8e1;border-left:4px solid #f9a825'><b>Save this private key "
            f"now</b> (for example as <code>{html.escape(name)}.pem</code>, readable only by you). AWS keeps only "
            "the public half: this is the one time anyone can show you the private key. Lose it and you "
            "cannot log in to instances launched with it.</div>")

    def hide_private_key(self) -> None:
        self.private_key.value = ""
        self.private_key.layout.display = self.hide_key_button.layout.display = "none"
        self.key_warning.value = ""

    @property
    def selected(self):
        """The Instance chosen in the instance dropdown, or None."""
        value = self.instance_picker.value
        if not value:
            return None
        return next((i for i in self.ec2.instances if i.id == value), None)

    def select(self, instance: Any) -> None:
        """Choose the instance the action buttons act on (an Instance or its id)."""
        self.instance_picker.value = getattr(instance, "id", instance)

    def act(self, action: str) -> None:
        """Stop, Start, Reboot or Terminate the selected instance (what the buttons call)."""
        inst = self.selected
        if inst is None:
            raise InvalidParameter("InvalidParameterValue", "Select an instance first (launch one if the table is "
                                   "empty).")
        ec2 = self.ec2
        call = {"Stop": ec2.stop_instances, "Start": ec2.start_instances, "Reboot": ec2.reboot_instances,
                "Terminate": ec2.terminate_instances}.get(action)
        if call is None:
            raise InvalidParameter("InvalidParameterValue", f"Action {action!r}: use Stop, Start, Reboot or "
                                   "Terminate.")
        call(inst)
        self.refresh()
        self.show_status(f"{action} {inst.id}: it is now {inst.state.value}.")

    def advance(self, seconds: float) -> None:
        """Let simulated time pass (what the clock buttons call)."""
        self.cloud.clock.advance(seconds=seconds)
        self.refresh()

    # -- the view ------------------------------------------------------------------------------
    def on_event(self, message) -> None:
        topic = message.topic
        if topic.startswith(("vpc.subnet.", "vpc.vpc.", "vpc.security_group.", "vpc.tags.", "vpc.route",
                             "vpc.internet_gateway.", "ec2.key_pair.")):
            if topic == "vpc.vpc.deleted" and self.vpc is not None and message.data.get("id") == self.vpc.id:
                self.vpc = None
            self._fill_choices()
        if topic.startswith(("ec2.", "vpc.network_interface.", "vpc.tags.")):
            self.refresh()

    @property
    def table_rows(self) -> list[dict[str, str]]:
        """One dict per visible instance: id, name, type, az, state, public_ip, private_ip."""
        return [{"id": i.id, "name": i.name or "", "type": i.instance_type.name, "az": i.availability_zone.name,
                 "state": i.state.value, "public_ip": str(i.public_ip_address or ""),
                 "private_ip": str(i.private_ip_address or "")}
                for i in self.ec2.instances if self.vpc is None or i.subnet.vpc is self.vpc]

    def refresh(self) -> None:
        """Redraw the table, the instance choices, the clock and the bill from the model."""
        start = time.perf_counter()
        rows = self.table_rows
        self.table.value = self._table_html(rows)
        keep = self.instance_picker.value
        options = [(f"{r['name'] or r['id']} ({r['state']})", r["id"]) for r in rows]
        self.instance_picker.options = options
        ids = [r["id"] for r in rows]
        if keep in ids:
            self.instance_picker.value = keep
        elif ids:
            self.instance_picker.value = ids[-1]
        self.clock_label.value = f"simulated time <code>{self.cloud.clock.isoformat()}</code>"
        by_service = self.cloud.bill.by_service()
        self.bill.value = (f"Bill so far: EC2 <b>${by_service.get('ec2', 0.0):.4f}</b>, whole account "
                           f"<b>${sum(by_service.values()):.4f}</b> <small>(instances bill per second while "
                           "running, with a one-minute minimum each time they start)</small>")
        self.redraw_count += 1
        self.last_redraw_ms = (time.perf_counter() - start) * 1000

    @staticmethod
    def _table_html(rows: list[dict[str, str]]) -> str:
        if not rows:
            return "<i>No instances yet: choose and press Launch.</i>"
        head = "".join(f"<th style='text-align:left;padding:0 8px'>{h}</th>" for h in
                       ("instance", "name", "type", "AZ", "state", "public IP", "private IP"))
        body = []
        for r in rows:
            colour = STATE_COLOURS.get(r["state"], "#000")
            cells = [f"<code>{r['id']}</code>", html.escape(r["name"]), r["type"], r["az"],
                     f"<b style='color:{colour}'>{r['state']}</b>", r["public_ip"] or "-", r["private_ip"] or "-"]
            body.append("<tr>" + "".join(f"<td style='padding:0 8px'>{c}</td>" for c in cells) + "</tr>")
        return (f"<table style='border-collapse:collapse;font-size:12px'><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>")

    def __repr__(self) -> str:
        states: dict[str, int] = {}
        for r in self.table_rows:
            states[r["state"]] = states.get(r["state"], 0) + 1
        return f"LaunchConsole({self.ec2.region_name!r}, instances={states or 0})"
