"""Key pairs: how you prove who you are when you log in to a Linux instance over SSH.

AWS generates the pair, hands you the private key exactly once (the ``.pem`` file) and
keeps only the public key and a fingerprint; an instance launched with the key name gets
the public key in ``~/.ssh/authorized_keys``.  Lose the private key and nobody, AWS
included, can give it back.  You may also import the public half of a key you made yourself.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._common import check_tags, fail, listing

if TYPE_CHECKING:
    from .service import EC2Service

__all__ = ["KeyPair"]

_NAME_RE = re.compile(r"^[\x20-\x7e]{1,255}$")


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class KeyPair:
    """The part of a key pair AWS keeps: name, type, public key and fingerprint.

    >>> from awskit import Cloud
    >>> key, pem = Cloud(seed=1).ec2.create_key_pair("lab")
    >>> key.name, key.key_type, pem.splitlines()[0]
    ('lab', 'rsa', '-----BEGIN RSA PRIVATE KEY-----')
    """

    id: str
    name: str
    key_type: str
    fingerprint: str
    public_key: str
    create_time: float
    imported: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    #: a digest of the private key AWS handed out (never the key itself), so awskit's
    #: simulated SSH can tell the right key from a wrong one
    _private_digest: str | None = None

    def matches(self, private_key: str) -> bool:
        """True when ``private_key`` is the private half of this pair (created pairs only)."""
        return self._private_digest is not None and _digest(private_key) == self._private_digest

    def __repr__(self) -> str:
        return f"KeyPair({self.name!r}, key_type={self.key_type!r}, fingerprint={self.fingerprint!r})"

    def _repr_html_(self) -> str:
        return (f"<div>key pair <b>{html.escape(self.name)}</b> ({self.key_type}) "
                f"<code>{html.escape(self.fingerprint)}</code></div>")


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()


def _colon(digest: bytes) -> str:
    return ":".join(f"{b:02x}" for b in digest)


class _KeyPairOps:
    """Key pair actions of :class:`~awskit.ec2.EC2Service`."""

    @property
    def key_pairs(self: EC2Service) -> list[KeyPair]:
        return list(self._key_pairs.values())

    def get_key_pair(self: EC2Service, key: str | KeyPair) -> KeyPair:
        """A key pair by name, id (``key-...``) or object.  Raises: InvalidKeyPair.NotFound."""
        if isinstance(key, KeyPair):
            if self._key_pairs.get(key.name) is key:
                return key
            key = key.name
        if not isinstance(key, str):
            fail("InvalidParameterValue", f"A key pair is given by its name, not {key!r}.")
        found = self._key_pairs.get(key)
        if found is None and key.startswith("key-"):
            found = next((k for k in self._key_pairs.values() if k.id == key), None)
        if found is None:
            fail("InvalidKeyPair.NotFound", f"The key pair '{key}' does not exist. Key pairs in "
                                            f"{self.region_name}: {listing(self._key_pairs)}.")
        return found

    def _check_key_name(self: EC2Service, name: Any) -> str:
        if not isinstance(name, str) or not _NAME_RE.match(name):
            fail("InvalidParameterValue", f"Key pair name {name!r} is invalid: use 1-255 printable ASCII characters.")
        if name in self._key_pairs:
            fail("InvalidKeyPair.Duplicate", f"The keypair '{name}' already exists. Pick another name, or delete "
                                             "the old pair first if you no longer need it.")
        return name

    def create_key_pair(self: EC2Service, name: str, *, key_type: str = "rsa", key_format: str = "pem",
                        tags: dict[str, str] | None = None) -> tuple[KeyPair, str]:
        """Create a key pair; returns ``(key_pair, private_key_text)``.

        The private key is returned this once: AWS keeps only the public half, so save it.

        Args:
            key_type: ``"rsa"`` (2048-bit) or ``"ed25519"``.
            key_format: ``"pem"`` (OpenSSH) or ``"ppk"`` (PuTTY).

        Raises: InvalidKeyPair.Duplicate, InvalidParameterValue.

        >>> from awskit import Cloud
        >>> ec2 = Cloud(seed=1).ec2
        >>> key, pem = ec2.create_key_pair("lab", key_type="ed25519")
        >>> pem.splitlines()[0], key.matches(pem)
        ('-----BEGIN OPENSSH PRIVATE KEY-----', True)
        """
        name = self._check_key_name(name)
        if key_type not in ("rsa", "ed25519"):
            fail("InvalidParameterValue", f"Key type {key_type!r} is not valid. Use 'rsa' or 'ed25519'.")
        if key_format not in ("pem", "ppk"):
            fail("InvalidParameterValue", f"Key format {key_format!r} is not valid. Use 'pem' or 'ppk'.")
        tags = check_tags(tags)
        rng = self.cloud.rng
        secret = bytes(rng.getrandbits(8) for _ in range(1190 if key_type == "rsa" else 400))
        public_blob = hashlib.sha512(secret).digest() * (4 if key_type == "rsa" else 1)
        algo = "ssh-rsa" if key_type == "rsa" else "ssh-ed25519"
        public_key = f"{algo} {base64.b64encode(algo.encode() + public_blob).decode()}"
        body = "\n".join(textwrap.wrap(base64.b64encode(secret).decode(), 64))
        if key_format == "ppk":
            material = (f"PuTTY-User-Key-File-2: {algo}\nEncryption: none\nComment: {name}\n"
                        f"Private-Lines: {len(body.splitlines())}\n{body}\n")
        elif key_type == "rsa":
            material = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"
        else:
            material = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----\n"
        # AWS fingerprints a key it created with SHA-1 of the private key (RSA) or SHA-256 in
        # base64 (ED25519).
        fingerprint = (_colon(hashlib.sha1(secret).digest()) if key_type == "rsa"
                       else base64.b64encode(hashlib.sha256(public_blob).digest()).decode())
        key = KeyPair(id=self.cloud.ids.new("key"), name=name, key_type=key_type, fingerprint=fingerprint,
                      public_key=public_key, create_time=self.cloud.clock.now, tags=tags,
                      _private_digest=_digest(material))
        self._key_pairs[name] = key
        self._publish("ec2.key_pair.created", key.id, name=name)
        return key, material

    def import_key_pair(self: EC2Service, name: str, public_key_material: str | bytes, *,
                        tags: dict[str, str] | None = None) -> KeyPair:
        """Register the public half of a key you made yourself (``ssh-keygen``).

        Raises: InvalidKeyPair.Duplicate, InvalidKey.Format (not an OpenSSH public key).
        """
        name = self._check_key_name(name)
        if isinstance(public_key_material, bytes):
            public_key_material = public_key_material.decode(errors="replace")
        parts = public_key_material.split() if isinstance(public_key_material, str) else []
        if len(parts) < 2 or parts[0] not in ("ssh-rsa", "ssh-ed25519"):
            fail("InvalidKey.Format", "Key is not in valid OpenSSH public key format: expected a line such as "
                                      "'ssh-ed25519 AAAAC3Nza... you@laptop' (the contents of your .pub file).")
        try:
            blob = base64.b64decode(parts[1], validate=True)
        except ValueError:
            fail("InvalidKey.Format", "Key is not in valid OpenSSH public key format: the part after "
                                      f"'{parts[0]}' is not base64.")
        key_type = "rsa" if parts[0] == "ssh-rsa" else "ed25519"
        # For an imported key AWS shows the MD5 of the public key (RSA) or SHA-256 (ED25519).
        fingerprint = (_colon(hashlib.md5(blob).digest()) if key_type == "rsa"
                       else base64.b64encode(hashlib.sha256(blob).digest()).decode())
        key = KeyPair(id=self.cloud.ids.new("key"), name=name, key_type=key_type, fingerprint=fingerprint,
                      public_key=" ".join(parts[:2]), create_time=self.cloud.clock.now, imported=True,
                      tags=check_tags(tags))
        self._key_pairs[name] = key
        self._publish("ec2.key_pair.created", key.id, name=name)
        return key

    def delete_key_pair(self: EC2Service, key: str | KeyPair) -> None:
        """Delete a key pair.  Instances launched with it keep the public key they were given.

        Deleting a name that does not exist succeeds quietly, as in EC2.
        """
        if isinstance(key, str) and key not in self._key_pairs and not key.startswith("key-"):
            return
        key = self.get_key_pair(key)
        del self._key_pairs[key.name]
        self._publish("ec2.key_pair.deleted", key.id, name=key.name)
