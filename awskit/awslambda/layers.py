"""Lambda layers: shared .zip archives of libraries that functions add to their import path.

A layer is published in numbered, immutable versions.  A function lists up to five layer
version ARNs; Lambda extracts them under ``/opt``, and a Python handler can import what a
layer keeps in its ``python/`` folder as if it were in the deployment package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import NotFound
from .functions import RUNTIMES, Code, invalid, validation

__all__ = ["Layer", "LayerVersion"]

_LAYER_NAME = re.compile(r"[a-zA-Z0-9-_]{1,64}")
_LAYER_ARN = re.compile(r"arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)")
_LAYER_BASE_ARN = re.compile(r"arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]{1,64})")
_ARCHITECTURES = ("x86_64", "arm64")


@dataclass(slots=True, kw_only=True, eq=False)
class LayerVersion:
    """One published version of a layer."""

    layer: Layer = field(repr=False)
    version: int
    code: Code = field(repr=False)
    description: str = ""
    compatible_runtimes: list[str] = field(default_factory=list)
    compatible_architectures: list[str] = field(default_factory=list)
    license_info: str = ""
    created: float = 0.0

    @property
    def arn(self) -> str:
        return f"{self.layer.arn}:{self.version}"

    def __repr__(self) -> str:
        return f"LayerVersion({self.layer.name!r}, {self.version})"


@dataclass(slots=True, kw_only=True, eq=False)
class Layer:
    """A layer: its name and its versions (numbers are never reused)."""

    name: str
    arn: str
    versions: dict[int, LayerVersion] = field(default_factory=dict, repr=False)
    next_version: int = 1

    @property
    def latest(self) -> LayerVersion | None:
        return self.versions[max(self.versions)] if self.versions else None

    def __repr__(self) -> str:
        return f"Layer({self.name!r}, versions={sorted(self.versions)})"


class _Layers:
    """The layer operations of :class:`~awskit.awslambda.LambdaService`."""

    def publish_layer_version(self, name: str, zip_file: bytes, *, description: str = "",
                              compatible_runtimes: list[str] | None = None,
                              compatible_architectures: list[str] | None = None,
                              license_info: str = "") -> LayerVersion:
        """Publish a new version of layer ``name`` from a .zip (libraries under ``python/``).

        >>> import io, zipfile
        >>> from awskit import Cloud
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("python/greet.py", "def hello(n): return 'hello ' + n")
        >>> lv = Cloud(seed=0).awslambda.publish_layer_version("greetings", buf.getvalue())
        >>> lv.arn.endswith(":layer:greetings:1")
        True
        """
        if not isinstance(name, str) or not _LAYER_NAME.fullmatch(name):
            raise validation("layerName", name, "Member must satisfy regular expression pattern: "
                             "[a-zA-Z0-9-_]+ (1-64 characters)")
        if compatible_runtimes is not None and not isinstance(compatible_runtimes, (list, tuple)):
            raise validation("compatibleRuntimes", compatible_runtimes, "Member must be a list of up to 15 runtimes "
                             "such as ['python3.12']")
        for rt in compatible_runtimes or []:
            if rt not in RUNTIMES:
                raise validation("compatibleRuntimes", rt, f"Member must satisfy enum value set: [{', '.join(RUNTIMES)}]")
        if len(compatible_runtimes or []) > 15:
            raise invalid("A layer lists at most 15 compatible runtimes.")
        if compatible_architectures is not None and not isinstance(compatible_architectures, (list, tuple)):
            raise validation("compatibleArchitectures", compatible_architectures, "Member must be a list such as "
                             "['x86_64'] or ['arm64']")
        for arch in compatible_architectures or []:
            if arch not in _ARCHITECTURES:
                raise validation("compatibleArchitectures", arch, "Member must satisfy enum value set: [x86_64, arm64]")
        if len(compatible_architectures or []) > 2:
            raise validation("compatibleArchitectures", compatible_architectures, "Member must have length less "
                             "than or equal to 2")
        if not isinstance(description, str) or len(description) > 256:
            raise validation("description", description, "Member must be a string of at most 256 characters")
        if not isinstance(license_info, str) or len(license_info) > 512:
            raise validation("licenseInfo", license_info, "Member must be a string of at most 512 characters "
                             "(an SPDX identifier such as 'MIT', a URL or the license text)")
        code = Code.from_zip(zip_file)
        layer = self.layers.get(name)  # type: ignore[attr-defined]
        if layer is None:
            layer = self.layers[name] = Layer(name=name, arn=self._arn(f"layer:{name}"))  # type: ignore[attr-defined]
        lv = LayerVersion(layer=layer, version=layer.next_version, code=code, description=description,
                          compatible_runtimes=list(compatible_runtimes or []),
                          compatible_architectures=list(compatible_architectures or []),
                          license_info=license_info, created=self.cloud.clock.now)  # type: ignore[attr-defined]
        layer.versions[lv.version] = lv
        layer.next_version += 1
        return lv

    def get_layer_version(self, name_or_arn: str, version: int | None = None) -> LayerVersion:
        """A layer version by name and number, or by its ARN."""
        if isinstance(name_or_arn, LayerVersion):
            return name_or_arn
        if isinstance(name_or_arn, str) and name_or_arn.startswith("arn:"):
            m = _LAYER_ARN.fullmatch(name_or_arn)
            if m is None:
                raise validation("layerVersionArn", name_or_arn, "Member must look like "
                                 "arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION")
            name, version = m[3], int(m[4])
            if m[1] != self.region.name or m[2] != self.cloud.account_id:  # type: ignore[attr-defined]
                raise NotFound("ResourceNotFoundException", f"Layer version {name_or_arn} does not exist in "
                               f"this account and region.", status=404)
        else:
            name = self._layer_key(name_or_arn)
            if isinstance(version, bool) or not isinstance(version, int):
                raise validation("versionNumber", version, "Member must be a whole number: the layer version "
                                 "(1, 2, ...) as publish_layer_version returned it")
        layer = self.layers.get(name)  # type: ignore[attr-defined]
        if layer is None or version not in layer.versions:
            known = ", ".join(lv.arn.split(":layer:")[1] for lay in self.layers.values()  # type: ignore[attr-defined]
                              for lv in lay.versions.values()) or "none"
            raise NotFound("ResourceNotFoundException", f"The resource you requested does not exist: layer "
                           f"{name} version {version}. Published layer versions: {known}.", status=404)
        return layer.versions[version]

    def list_layers(self, compatible_runtime: str | None = None) -> list[Layer]:
        """Layers with at least one version (matching ``compatible_runtime`` when given)."""
        out = []
        for layer in self.layers.values():  # type: ignore[attr-defined]
            if any(compatible_runtime is None or compatible_runtime in lv.compatible_runtimes
                   for lv in layer.versions.values()):
                out.append(layer)
        return sorted(out, key=lambda lay: lay.name)

    def list_layer_versions(self, name: str) -> list[LayerVersion]:
        """The versions of a layer, newest first (none for a layer never published, as in AWS)."""
        layer = self.layers.get(self._layer_key(name))  # type: ignore[attr-defined]
        return [layer.versions[v] for v in sorted(layer.versions, reverse=True)] if layer else []

    def delete_layer_version(self, name: str, version: int) -> None:
        """Delete a layer version; functions already using it keep their copy (as in AWS).

        Deleting a version that does not exist succeeds quietly, as it does in AWS.
        """
        layer = self.layers.get(self._layer_key(name))  # type: ignore[attr-defined]
        if isinstance(version, bool) or not isinstance(version, int):
            raise validation("versionNumber", version, "Member must be a whole number: the layer version "
                             "(1, 2, ...) to delete")
        if layer is not None:
            layer.versions.pop(version, None)

    def _layer_key(self, name: Any) -> str:
        """The key of a layer given as a :class:`Layer`, its name or its (unversioned) ARN.

        An ARN of another account or Region gives a key that matches no layer here.
        """
        if isinstance(name, Layer):
            return name.name
        if isinstance(name, str):
            if _LAYER_NAME.fullmatch(name):
                return name
            m = _LAYER_BASE_ARN.fullmatch(name)
            if m is not None:
                here = m[1] == self.region.name and m[2] == self.cloud.account_id  # type: ignore[attr-defined]
                return m[3] if here else name
        raise validation("layerName", name, "Member must satisfy regular expression pattern: a layer name of 1-64 "
                         "letters, digits, hyphens and underscores, or arn:aws:lambda:REGION:ACCOUNT:layer:NAME")

    def _resolve_layers(self, arns: Any) -> list[LayerVersion]:
        if arns is None:
            return []
        if not isinstance(arns, (list, tuple)):
            raise invalid(f"Layers is a list of layer version ARNs, not {arns!r}.")
        if len(arns) > 5:
            raise invalid(f"Cannot reference more than 5 layers ({len(arns)} given).")
        out = []
        for arn in arns:
            if isinstance(arn, LayerVersion):
                out.append(arn)
                continue
            try:
                out.append(self.get_layer_version(arn))
            except NotFound:
                raise invalid(f"Layer version {arn} does not exist. Publish it with publish_layer_version "
                              f"first.") from None
        if len({lv.layer.name for lv in out}) != len(out):
            raise invalid("Two versions of the same layer cannot be used by one function.")
        return out
