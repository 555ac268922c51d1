"""A jail for student code, built from Linux namespaces (what ``bwrap`` and containers use).

A grading kernel must not read the course's source notebooks, hidden tests or gradebook,
must not write outside its own working folder, and must not reach the network. Where the
system offers it (Linux, the grader running as root), each kernel process gets:

* **its own mount namespace** with a new, nearly empty root: the system folders (``/usr``,
  ``/etc``, ``/lib``...), the Python installation and the imported packages, bound
  **read-only**; a fresh ``/proc``; ``/dev/null``, ``/dev/zero`` and the random devices; and
  the student's working folder, the only writable place. The course folder, other students'
  folders, the grader's home and the project checkout are simply not there;
* **its own network namespace** with no interface but a loopback that is down, so every
  connection fails at once (``Network is unreachable``);
* **its own PID namespace**: the kernel is process 1 there, so killing it kills every process
  the student started (no daemon outlives grading), and it cannot see or signal the grader;
* **no privileges**: run as root, the grader switches the kernel to the unprivileged user
  :data:`SANDBOX_USER` (created with ``useradd`` if missing, else ``nobody``). Run as an
  ordinary user (an instructor on JupyterHub), the namespaces are created inside a new **user
  namespace** (what ``unshare -r`` and rootless containers do, where the system allows
  unprivileged user namespaces), and the kernel then drops every capability. Either way with
  ``no_new_privs``, so the jail cannot be undone from inside.

The Python installation does not have to be readable by other users (a ``/root/.pyenv`` is
fine): it is bound into the new root, where every folder on the way is the jail's own.

Elsewhere (no namespaces: a locked-down container, user namespaces disabled, macOS)
:func:`problem` says why, and kernels run as the grading user in a throwaway folder with a
clean environment, which keeps honest mistakes out but cannot stop a determined student from
reading what that user can read. The batch summary says which was used.

Only the standard library is used (``ctypes`` for ``unshare(2)``, ``mount(2)`` and
``prctl(2)``), so nothing has to be installed.
"""

from __future__ import annotations

import ctypes
import functools
import os
import pwd
import shutil
import subprocess
import sys
from dataclasses import dataclass

__all__ = ["SANDBOX_USER", "Jail", "enter", "make_jail", "mode", "problem", "sandbox_ids",
           "unshare_for_kernel"]

SANDBOX_USER = "awskit-grader"

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
#: What a kernel's parent unshares before forking the kernel (which becomes PID 1).
NAMESPACES = CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24
#: statvfs flags a bind mount keeps (a user namespace may not clear them): ST_* -> MS_*.
_KEPT_FLAGS = {2: MS_NOSUID, 4: MS_NODEV, 8: MS_NOEXEC, 1024: 1024, 2048: 2048, 4096: 1 << 21}

#: System folders the jail shows read-only (those that exist; symlinks are copied as links).
SYSTEM = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
DEVICES = ("null", "zero", "full", "random", "urandom")


@dataclass(frozen=True, slots=True)
class Jail:
    """What a jailed kernel sees: read-only host paths, links, its user, a mount point."""

    uid: int
    gid: int
    userns: bool  # True: jailed inside a user namespace (grader not root), caps dropped
    readonly: tuple[str, ...]
    links: tuple[tuple[str, str], ...]  # (path, link target) recreated inside
    scratch: str  # an empty host folder: the new root is mounted on it, per namespace


@functools.cache
def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source, target, fstype, flags, data=None) -> None:
    enc = lambda s: None if s is None else os.fsencode(s)  # noqa: E731
    _check(
        _libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
        f"mount {target}",
    )


def unshare_for_kernel(userns: bool = False) -> None:
    """In the kernel's parent: new mount, IPC, PID and network namespaces (see module doc);
    with ``userns`` inside a new user namespace where this user is root."""
    if not userns:
        _check(_libc().unshare(NAMESPACES), "unshare")
        return
    uid, gid = os.geteuid(), os.getegid()
    _check(_libc().unshare(NAMESPACES | CLONE_NEWUSER), "unshare")
    for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)


def _probe(userns: bool) -> bool:
    """Whether a child can create the namespaces and mount in them."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover (child)
        code = 1
        try:
            unshare_for_kernel(userns)
            _mount(None, "/", None, MS_REC | MS_PRIVATE)
            code = 0
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


@functools.cache
def mode() -> str | None:
    """How kernels are jailed here: ``"root"`` (namespaces, then an unprivileged user),
    ``"userns"`` (namespaces inside a user namespace, capabilities dropped) or None."""
    if not sys.platform.startswith("linux"):
        return None
    if os.geteuid() == 0 and _probe(False):
        return "root"
    return "userns" if _probe(True) else None


def problem() -> str | None:
    """Why kernels cannot be jailed here, or None when they can (probed once, in a child)."""
    if not sys.platform.startswith("linux"):
        return f"namespaces are a Linux feature (this is {sys.platform})"
    if mode() is None:
        return (
            "this system does not let the grader create namespaces (not root, and unprivileged "
            "user namespaces are disabled: see kernel.unprivileged_userns_clone or the "
            "AppArmor userns restriction)"
        )
    return None


def sandbox_ids() -> tuple[int, int]:
    """The unprivileged user kernels run as: created if missing, else ``nobody``."""
    try:
        entry = pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        if os.path.exists(useradd):
            subprocess.run(
                [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                 SANDBOX_USER],
                check=False,
                capture_output=True,
            )
        try:
            entry = pwd.getpwnam(SANDBOX_USER)
        except KeyError:
            return 65534, 65534
    return entry.pw_uid, entry.pw_gid


def _under(path: str, folders) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def _visible() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """System folders, the Python installation and every imported package outside them."""
    readonly, links = [], []
    for path in SYSTEM:
        if os.path.islink(path):
            links.append((path, os.readlink(path)))
        elif os.path.isdir(path):
            readonly.append(path)
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    readonly += sorted({os.path.realpath(p) for p in prefixes} - {"/usr", "/"})
    # Packages imported from elsewhere (an editable install's checkout): only the package
    # folders themselves, never the checkout around them (it holds the exercises).
    for name, module in list(sys.modules.items()):
        top = sys.modules.get(name.split(".")[0])
        file = getattr(top, "__file__", None)
        if not file:
            continue
        real = os.path.realpath(file)
        place = os.path.dirname(real) if hasattr(top, "__path__") else real
        if not _under(place, readonly):
            readonly.append(place)
    return tuple(sorted(set(readonly))), tuple(links)


def make_jail(scratch: str, uid: int, gid: int, userns: bool = False) -> Jail:
    """The jail for kernels forked from this process (call after importing what they need)."""
    readonly, links = _visible()
    return Jail(uid=uid, gid=gid, userns=userns, readonly=readonly, links=links, scratch=scratch)


def _kept(path: str) -> int:
    """The mount flags of ``path``'s mount that a remount must repeat (locked in a userns)."""
    have = os.statvfs(path).f_flag
    flags = 0
    for st, ms in _KEPT_FLAGS.items():
        if have & st:
            flags |= ms
    return flags


def _bind(source: str, root: str, *, writable: bool = False) -> None:
    target = root + source
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "a"):
            pass
    kept = _kept(source)
    _mount(source, target, None, MS_BIND | MS_REC)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | kept | (0 if writable else MS_RDONLY)
    _mount(None, target, None, flags | (MS_NODEV if writable else 0))


def enter(jail: Jail, workdir: str) -> None:
    """In the kernel (PID 1 of its namespaces): build the new root, move in, drop root.

    After this the process sees only what the module docstring lists, as ``jail.uid``.
    """
    root = jail.scratch
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we mount propagates back
    _mount("tmpfs", root, "tmpfs", MS_NOSUID, "size=4m,mode=0755")
    for path in jail.readonly:
        if os.path.exists(path):
            _bind(path, root)
    for path, target in jail.links:
        os.symlink(target, root + path)
    os.makedirs(root + "/dev")
    for name in DEVICES:
        if os.path.exists(f"/dev/{name}"):
            _bind(f"/dev/{name}", root)
    os.makedirs(root + "/proc")
    _mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.makedirs(root + "/tmp", mode=0o755, exist_ok=True)
    workdir = os.path.realpath(workdir)
    _bind(workdir, root, writable=True)
    # The new root itself becomes read-only too (in a user namespace the kernel owns it).
    _mount(None, root, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | _kept(root))
    last_cap = int(open("/proc/sys/kernel/cap_last_cap").read()) if jail.userns else 0
    os.chdir(root)
    os.chroot(".")
    os.chdir(workdir)
    if jail.userns:
        _drop_capabilities(last_cap)
    else:
        os.setgroups([])
        os.setresgid(jail.gid, jail.gid, jail.gid)
        os.setresuid(jail.uid, jail.uid, jail.uid)
    _check(_libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(no_new_privs)")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def _drop_capabilities(last_cap: int) -> None:
    """No capability now, none after an exec (empty bounding set): root in name only."""
    for cap in range(last_cap + 1):
        _check(_libc().prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), f"prctl(capbset_drop {cap})")
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(_libc().capset(ctypes.byref(header), data), "capset")
