"""Logging in as a user would: a simulated SSH session that fails the way real SSH fails.

``cloud.ec2.ssh(instance, key)`` checks what a real connection depends on, in the order a
real client meets it: the instance runs, a network path to port 22 exists (security
groups, network ACLs, routes, a public address: the analysis of
:mod:`awskit.reachability`), SSH is offered at all (Windows uses RDP), and the key and user
name match.  A session runs a handful of commands, honestly limited to what teaches:
``hostname``, ``whoami``, ``cat /etc/os-release``, ``curl`` to the instance's own apps and
to the instance metadata service, and ``sudo shutdown -h now``.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qsl, urlsplit

from ..core.errors import AWSError
from ..http import Request
from ._common import fail
from .keypairs import KeyPair

if TYPE_CHECKING:
    from .instances import Instance
    from .service import EC2Service

__all__ = ["DEFAULT_CLIENT_IP", "CommandResult", "SSHError", "SSHSession"]

#: Where a student's laptop sits (TEST-NET-3, reserved for documentation).
DEFAULT_CLIENT_IP = "203.0.113.9"


class SSHError(AWSError, ConnectionError):
    """A failed SSH connection: ``SSH.Timeout``, ``SSH.ConnectionRefused``, ``SSH.PermissionDenied``..."""


def _ssh_fail(code: str, message: str, **extra: Any):
    raise SSHError(code, message, status=400, **extra)


@dataclass(slots=True, frozen=True)
class CommandResult:
    """What a command printed and its exit status."""

    command: str
    output: str
    exit_status: int = 0

    def __str__(self) -> str:
        return self.output

    def __repr__(self) -> str:
        return f"CommandResult({self.command!r}, exit_status={self.exit_status})\n{self.output}"


class SSHSession:
    """An open SSH session as ``user`` on an instance."""

    def __init__(self, instance: Instance, user: str, via: str) -> None:
        self.instance, self.user, self.via = instance, user, via
        self.history: list[CommandResult] = []

    def run(self, command: str) -> CommandResult:
        """Run one of the few supported commands and return its output.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> key, pem = cloud.ec2.create_key_pair("lab")
        >>> web = cloud.ec2.run_instance(key_name="lab")
        >>> _ = cloud.vpc.authorize_security_group_ingress(web.security_groups[0], ip_protocol="tcp",
        ...     from_port=22, to_port=22, cidr_ip="203.0.113.9/32")
        >>> cloud.clock.advance(minutes=1)
        >>> cloud.ec2.ssh(web, pem).run("whoami").output
        'ec2-user'
        """
        if not isinstance(command, str) or not command.strip():
            fail("InvalidParameterValue", f"A command is a non-empty string, not {command!r}.")
        inst = self.instance
        if inst.state.value != "running" or inst.az_down:
            _ssh_fail("SSH.ConnectionClosed", f"Connection to {self.via} closed by remote host: {inst.id} is "
                                              f"{'unreachable (AZ down)' if inst.az_down else inst.state}.")
        try:
            words = shlex.split(command)
        except ValueError:
            words = command.split()
        result = self._dispatch(command, words)
        self.history.append(result)
        return result

    def _dispatch(self, command: str, words: list[str]) -> CommandResult:
        inst = self.instance
        prog = words[0]
        if prog == "sudo" and len(words) > 1:
            words = words[1:]
            prog = words[0]
        if prog == "hostname":
            return CommandResult(command, inst.private_dns_name)
        if prog == "whoami":
            return CommandResult(command, "root" if command.startswith("sudo") else self.user)
        if prog == "cat" and words[1:] == ["/etc/os-release"]:
            img = inst.image
            os_id = {"amazon-linux": "amzn", "ubuntu": "ubuntu"}.get(img.os, img.os)
            return CommandResult(command, f'NAME="{img.pretty_name.split(" ")[0]}"\nID="{os_id}"\n'
                                          f'PRETTY_NAME="{img.pretty_name}"')
        if prog == "shutdown" or (prog == "poweroff"):
            inst.service.shutdown_from_os(inst)
            return CommandResult(command, f"Connection to {self.via} closed by remote host.")
        if prog == "curl" and len(words) >= 2:
            return self._curl(command, words[-1])
        return CommandResult(command, f"bash: {prog}: command not found (awskit's shell knows hostname, whoami, "
                                      "cat /etc/os-release, curl and shutdown)", 127)

    def _curl(self, command: str, url: str) -> CommandResult:
        inst = self.instance
        if "://" not in url:
            url = "http://" + url
        parts = urlsplit(url)
        host = parts.hostname or ""
        path = parts.path or "/"
        if host == "169.254.169.254":
            return self._metadata(command, path)
        if host not in ("localhost", "127.0.0.1", inst.private_dns_name, str(inst.private_ip_address)):
            return CommandResult(command, f"curl: (6) awskit's curl only reaches this instance's own apps and "
                                          f"the metadata service, not {host!r}", 6)
        port = parts.port or 80
        if port not in inst.apps:
            return CommandResult(command, f"curl: (7) Failed to connect to {host} port {port} after 0 ms: "
                                          "Couldn't connect to server", 7)
        response = inst.handle(Request("GET", path, query=dict(parse_qsl(parts.query)),
                                       client_ip="127.0.0.1"), port)
        return CommandResult(command, response.body, 0)

    def _metadata(self, command: str, path: str) -> CommandResult:
        """The instance metadata service (IMDS): what an instance can learn about itself."""
        inst = self.instance
        role = getattr(getattr(inst.iam_instance_profile, "role", None), "name", None)
        data = {
            "instance-id": inst.id, "instance-type": inst.instance_type.name, "ami-id": inst.image.id,
            "local-ipv4": str(inst.private_ip_address), "local-hostname": inst.private_dns_name,
            "hostname": inst.private_dns_name, "placement/availability-zone": inst.availability_zone.name,
            "placement/region": inst.region, "security-groups": "\n".join(g.group_name for g in inst.security_groups),
            "mac": inst.primary_network_interface.mac_address,
        }
        if inst.public_ip_address is not None:
            data["public-ipv4"] = str(inst.public_ip_address)
            data["public-hostname"] = inst.public_dns_name
        if role:
            data["iam/security-credentials/"] = role
        if path.rstrip("/") in ("/latest/user-data", "/latest/user-data/"):
            if inst.user_data is None:
                return CommandResult(command, "404 - Not Found", 22)
            return CommandResult(command, inst.user_data)
        prefix = "/latest/meta-data/"
        if path in ("/latest/meta-data", prefix):
            return CommandResult(command, "\n".join(sorted({k.split("/")[0] + ("/" if "/" in k else "")
                                                            for k in data})))
        if path.startswith(prefix) and path[len(prefix):] in data:
            return CommandResult(command, data[path[len(prefix):]])
        return CommandResult(command, "404 - Not Found", 22)

    def close(self) -> None:
        """Nothing to release (a real client would close the TCP connection)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SSHSession({self.user}@{self.via}, instance={self.instance.id!r})"


class _SessionOps:
    """The SSH entry point of :class:`~awskit.ec2.EC2Service`."""

    def ssh(self: EC2Service, instance: Any, key: Any, *, user: str | None = None,
            from_ip: str = DEFAULT_CLIENT_IP) -> SSHSession:
        """Connect as a user would from ``from_ip`` (default: a laptop on the internet).

        Args:
            key: the private key text you saved from create_key_pair, or the key pair (or its
                name) meaning "I hold its private key" (for imported keys).
            user: the login name; default: the AMI's (``ec2-user``, ``ubuntu``).

        Raises (all :class:`SSHError`): SSH.InstanceNotRunning, SSH.Timeout (no network path:
        the message names the blocking hop), SSH.ConnectionRefused (no SSH server, e.g. Windows),
        SSH.PermissionDenied (wrong key, no key, or wrong user name).
        """
        inst = self.get_instance(instance)
        if inst.state.value != "running":
            _ssh_fail("SSH.InstanceNotRunning", f"ssh: connect to host {inst.id}: the instance is {inst.state}. "
                                                "Start it and wait for it to be running.")
        if from_ip is None:
            from_ip = DEFAULT_CLIENT_IP
        inside = self.region.vpc.interface_for_ip(from_ip) is not None
        target = inst.private_ip_address if inside else inst.public_ip_address
        via = str(target) if target is not None else inst.id
        result = self.cloud.reachability(from_ip, inst, 22) if self.region.name == self.cloud.region_name \
            else None
        if result is not None and not result.reachable:
            hop = result.blocked_at
            _ssh_fail("SSH.Timeout", f"ssh: connect to host {via} port 22: Connection timed out. Blocked at "
                                     f"{hop.component} {hop.id} ({hop.direction}): {hop.detail}.",
                      ExplanationCode=result.explanation_code or "")
        if inst.platform == "windows":
            _ssh_fail("SSH.ConnectionRefused", f"ssh: connect to host {via} port 22: Connection refused. "
                                               f"{inst.image.name} runs no SSH server: use RDP (port 3389).")
        if inst.key_pair is None:
            _ssh_fail("SSH.PermissionDenied", f"{via}: Permission denied (publickey). {inst.id} was launched "
                                              "without a key pair, so no key can log in.")
        if isinstance(key, KeyPair) or (isinstance(key, str) and "PRIVATE KEY" not in key and "PuTTY" not in key):
            name = key.name if isinstance(key, KeyPair) else key
            ok = name == inst.key_pair.name
        elif isinstance(key, str):
            ok = inst.key_pair.matches(key)
        else:
            fail("InvalidParameterValue", "key is the private key text (the .pem contents), a key pair or its name.")
        expected = inst.image.default_user
        login = expected if user is None else user
        if not ok:
            _ssh_fail("SSH.PermissionDenied", f"{login}@{via}: Permission denied (publickey). The key offered is "
                                              f"not the private half of key pair '{inst.key_pair.name}'.")
        if login != expected:
            _ssh_fail("SSH.PermissionDenied", f"{login}@{via}: Permission denied (publickey). The key is right but "
                                              f"the user name is not: this AMI logs in as '{expected}'.")
        return SSHSession(inst, login, via)
