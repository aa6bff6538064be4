#!/usr/bin/env python3
"""Run a real OpenStack Keystone (v3) + Glance (v2) pair on 127.0.0.1 for tests.

Open Telekom Cloud's IAM token API is Keystone v3 and its IMS native API is
Glance v2, so a local Keystone + Glance is the closest thing to the real
service that can run offline.

    realserver.py start --dir DIR   # venv (cached), configs, servers, DIR/env
    realserver.py stop  --dir DIR   # stop both servers (idempotent)

Only the Python standard library is used by this script itself; the servers
run from a cached virtualenv with the pinned packages of requirements.txt
next to this file.  Environment knobs:

    OTC_REALSERVER_VENV            venv location
                                   (default ${TMPDIR:-/tmp}/otc-realserver-venv)
    OTC_REALSERVER_PYTHON          interpreter for the venv (default: this one)
    OTC_REALSERVER_START_TIMEOUT   seconds to wait for each server (default 90)
    OTC_REALSERVER_INSTALL_TIMEOUT seconds allowed for pip (default 1200)
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import grp
import hashlib
import json
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = os.path.join(HERE, "requirements.txt")
# The installer for the pinned requirements (see ensure_venv).
UV_VERSION = "0.13.9"
HOST = "127.0.0.1"

# Names of the test identity created in Keystone.
DOMAIN = "otc-realserver"
PROJECT = "eu-de"
USERNAME = "realserver-user"
REGION = "eu-de"

# OTC disk formats on top of Glance's defaults.
DISK_FORMATS = "ami,ari,aki,vhd,vhdx,vmdk,raw,qcow2,vdi,iso,ploop,zvhd2,zvhd"

SERVICES = ("keystone", "glance")
MARKER = ".otc-realserver-complete"


class RealServerError(Exception):
    pass


_T0 = time.monotonic()


def log(msg: str) -> None:
    print(f"[realserver {time.monotonic() - _T0:5.1f}s] {msg}",
          file=sys.stderr, flush=True)


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise RealServerError(f"{name}={raw!r} is not a number")


# --------------------------------------------------------------------------
# virtualenv
# --------------------------------------------------------------------------

def venv_dir() -> str:
    explicit = os.environ.get("OTC_REALSERVER_VENV", "").strip()
    if explicit:
        return os.path.abspath(explicit)
    tmp = os.environ.get("TMPDIR", "").strip() or "/tmp"
    return os.path.join(os.path.abspath(tmp), "otc-realserver-venv")


def requirements_digest() -> str:
    with open(REQUIREMENTS, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@contextlib.contextmanager
def file_lock(path: str, timeout: float):
    """Exclusive flock on path, waiting at most timeout seconds."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise RealServerError(
                        f"timed out after {timeout:.0f}s waiting for lock {path}")
                time.sleep(0.5)
        yield
    finally:
        os.close(fd)


def ensure_venv() -> str:
    venv = venv_dir()
    install_timeout = env_float("OTC_REALSERVER_INSTALL_TIMEOUT", 1200)
    digest = requirements_digest()
    marker = os.path.join(venv, MARKER)

    def complete() -> bool:
        try:
            with open(marker) as f:
                ok = f.read().strip() == digest
        except OSError:
            return False
        return ok and all(os.path.exists(os.path.join(venv, "bin", b))
                          for b in ("python", "gunicorn", "keystone-manage",
                                    "glance-manage"))

    if complete():
        log(f"reusing venv {venv}")
        return venv
    with file_lock(venv.rstrip("/") + ".lock", install_timeout + 60):
        if complete():  # somebody else finished it while we waited
            log(f"reusing venv {venv}")
            return venv
        python = os.environ.get("OTC_REALSERVER_PYTHON", "").strip()
        if not python:
            if sys.version_info < (3, 11):
                raise RealServerError(
                    "glance 33 / keystone 30 need Python >= 3.11; run this "
                    "script with python3.11 or set OTC_REALSERVER_PYTHON")
            python = sys.executable
        log(f"creating venv {venv} with {python} (takes under a minute)")
        t0 = time.monotonic()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(marker)
        run([python, "-m", "venv", "--clear", venv], timeout=300,
            what="python -m venv")
        install_log = os.path.join(venv, "pip-install.log")
        left = max(60.0, install_timeout - (time.monotonic() - t0))
        vpython = os.path.join(venv, "bin", "python")
        pip = [vpython, "-m", "pip", "install", "--disable-pip-version-check",
               "--no-input"]
        with open(install_log, "wb") as out:
            try:
                # uv (a wheel on PyPI with its binary inside) downloads and installs
                # the pinned packages in parallel, several times faster than pip;
                # pip installs them when uv cannot be had.
                installer = pip
                uv = subprocess.run(pip + ["uv==" + UV_VERSION],
                                    stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, timeout=left)
                if uv.returncode == 0:
                    installer = [os.path.join(venv, "bin", "uv"), "pip", "install",
                                 "--python", vpython]
                left = max(60.0, install_timeout - (time.monotonic() - t0))
                proc = subprocess.run(
                    installer + ["-r", REQUIREMENTS],
                    stdin=subprocess.DEVNULL, stdout=out,
                    stderr=subprocess.STDOUT, timeout=left)
                rc = proc.returncode
            except subprocess.TimeoutExpired:
                rc = None
        if rc != 0:
            reason = ("timed out" if rc is None else f"exit status {rc}")
            raise RealServerError(
                f"pip install -r {REQUIREMENTS} failed ({reason}); "
                f"tail of {install_log}:\n{tail(install_log, 40)}")
        with open(marker, "w") as f:
            f.write(digest + "\n")
        log(f"venv ready in {time.monotonic() - t0:.0f}s")
    return venv


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def tail(path: str, lines: int = 30) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            data = f.read().decode("utf-8", "replace")
    except OSError as e:
        return f"    <cannot read {path}: {e}>"
    return "\n".join("    " + l for l in data.splitlines()[-lines:])


def run(cmd, *, timeout: float, what: str, env=None, log_path=None) -> None:
    """Run cmd to completion (bounded); raise with its output on failure."""
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        out = (e.output or b"").decode("utf-8", "replace")
        raise RealServerError(f"{what} timed out after {timeout:.0f}s:\n{out[-4000:]}")
    out = proc.stdout.decode("utf-8", "replace")
    if log_path:
        with open(log_path, "a") as f:
            f.write(f"$ {' '.join(map(shlex.quote, cmd))}\n{out}\n")
    if proc.returncode != 0:
        raise RealServerError(f"{what} failed (exit {proc.returncode}):\n{out[-4000:]}")


def run_parallel(jobs, *, timeout: float, env=None, log_path=None) -> None:
    """jobs: list of (what, cmd); run them concurrently, all bounded by timeout."""
    procs = []
    for what, cmd in jobs:
        out = tempfile.TemporaryFile()  # a file, not a pipe: never blocks
        procs.append((what, cmd, out, subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, env=env)))
    deadline = time.monotonic() + timeout
    errors = []
    for what, cmd, out, p in procs:
        try:
            p.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            errors.append(f"{what} timed out after {timeout:.0f}s")
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        out.close()
        if log_path:
            with open(log_path, "a") as f:
                f.write(f"$ {' '.join(map(shlex.quote, cmd))}\n{text}\n")
        if p.returncode not in (0, None) and not any(e.startswith(what) for e in errors):
            errors.append(f"{what} failed (exit {p.returncode}):\n{text[-4000:]}")
    if errors:
        raise RealServerError("\n".join(errors))


def free_ports(n: int) -> list[int]:
    socks, ports = [], []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((HOST, 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def http(method: str, url: str, body=None, headers=None, timeout: float = 10.0):
    """Minimal HTTP client: returns (status, headers, parsed-json-or-bytes)."""
    data = None
    hdrs = {"Accept": "application/json"}
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as resp:
            status, rh, raw = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        status, rh, raw = e.code, e.headers, e.read()
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw
    return status, rh, parsed


def expect(status, rh, body, ok, what):
    if status not in ok:
        raise RealServerError(f"{what}: HTTP {status}: {body!r}"[:2000])
    return body


# --------------------------------------------------------------------------
# process management
# --------------------------------------------------------------------------

def pid_file(d: str, name: str) -> str:
    return os.path.join(d, f"{name}.pid")


def read_pid(d: str, name: str):
    try:
        with open(pid_file(d, name)) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def pid_is_ours(pid: int, d: str) -> bool:
    """True if pid is alive and is a gunicorn started for directory d.

    gunicorn rewrites its command line (setproctitle), so the directory is
    recognised by the process's working directory, which start sets to d.
    """
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().decode("utf-8", "replace")
        cwd = os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                return False
    except (OSError, IndexError):
        pass
    return "gunicorn" in cmd and os.path.realpath(cwd) == os.path.realpath(d)


def stop_one(d: str, name: str, grace: float = 10.0) -> None:
    pid = read_pid(d, name)
    if pid is None:
        return
    if pid_is_ours(pid, d):
        # gunicorn was started in its own session: pgid == pid covers workers.
        group = pid if _pgid(pid) == pid else None
        _signal(pid, group, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and pid_is_ours(pid, d):
            _reap(pid)
            time.sleep(0.1)
        if pid_is_ours(pid, d):
            log(f"{name} (pid {pid}) ignored SIGTERM for {grace:.0f}s; SIGKILL")
            _signal(pid, group, signal.SIGKILL)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and pid_is_ours(pid, d):
                _reap(pid)
                time.sleep(0.1)
        if group is not None:  # stray workers, if any
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        log(f"stopped {name} (pid {pid})")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(pid_file(d, name))


def _pgid(pid):
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _signal(pid, group, sig):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if group is not None:
            os.killpg(group, sig)
        else:
            os.kill(pid, sig)


def _reap(pid):
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def spawn_gunicorn(venv, d, name, port, app, pythonpath, env):
    out_path = os.path.join(d, f"{name}.out.log")
    cmd = [
        os.path.join(venv, "bin", "gunicorn"),
        "--bind", f"{HOST}:{port}",
        "--workers", "1",
        "--worker-class", "sync",
        "--timeout", "300",
        "--graceful-timeout", "5",
        "--no-control-socket",
        "--chdir", d,
        "--pythonpath", pythonpath,
        "--access-logfile", os.path.join(d, f"{name}.access.log"),
        "--error-logfile", "-",
        "--name", f"otc-realserver-{name}",
        app,
    ]
    out = open(out_path, "ab")
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, env=env, cwd=d,
                                start_new_session=True, close_fds=True)
    finally:
        out.close()
    with open(pid_file(d, name), "w") as f:
        f.write(f"{proc.pid}\n")
    return proc


def wait_http(proc, name, url, ok, d, timeout, logs):
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RealServerError(
                f"{name} exited with status {proc.returncode} during startup\n"
                + logs_tail(logs))
        try:
            status, _, _ = http("GET", url, timeout=3)
            if status in ok:
                return
            last = f"HTTP {status}"
        except (urllib.error.URLError, OSError) as e:
            last = str(e)
        time.sleep(0.25)
    raise RealServerError(
        f"{name} did not answer {url} within {timeout:.0f}s (last: {last})\n"
        + logs_tail(logs))


def logs_tail(paths) -> str:
    parts = []
    for p in paths:
        if os.path.exists(p):
            parts.append(f"--- tail of {p}\n{tail(p, 40)}")
    return "\n".join(parts)


# --------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------

def write(path: str, text: str, mode: int = 0o644) -> None:
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def keystone_conf(kdir: str) -> str:
    return f"""[DEFAULT]
debug = false
log_file = {kdir}/keystone.log
use_stderr = false

[database]
connection = sqlite:///{kdir}/keystone.db

[token]
provider = fernet
expiration = 86400

[fernet_tokens]
key_repository = {kdir}/fernet-keys

[fernet_receipts]
key_repository = {kdir}/fernet-keys

[credential]
key_repository = {kdir}/credential-keys

[identity]
# bcrypt with the minimum cost keeps every password auth fast.
password_hash_rounds = 4

[cache]
enabled = false

[oslo_concurrency]
lock_path = {kdir}/locks
"""


KEYSTONE_WSGI = '''"""Keystone WSGI entry point for gunicorn (generated by realserver.py).

keystone parses sys.argv with oslo.config; gunicorn's own arguments would
be rejected there, so reset argv before importing the application.
"""
import sys

sys.argv = ["keystone-wsgi-public"]

from keystone.wsgi.api import application  # noqa: E402,F401
'''


KEYSTONE_MANAGE_ALL = '''"""Run several keystone-manage steps in one interpreter (generated by
realserver.py).  Argument: a JSON file {"config_file": ..., "steps": [[...]]}.
"""
import json
import sys

with open(sys.argv[1]) as f:
    spec = json.load(f)
sys.argv = ["keystone-manage"]

from keystone.cmd import cli  # noqa: E402

for step in spec["steps"]:
    cli.CONF.reset()  # allow the next step to parse its own arguments
    print("keystone-manage", step[0], flush=True)
    cli.main(argv=["keystone-manage", "--config-file", spec["config_file"]] + step)
'''


def glance_conf(gdir: str, kport: int, glance_password: str) -> str:
    return f"""[DEFAULT]
debug = false
log_file = {gdir}/glance-api.log
use_stderr = false
enabled_backends = fs:file

[database]
connection = sqlite:///{gdir}/glance.db

[glance_store]
default_backend = fs

[fs]
filesystem_store_datadir = {gdir}/images

[os_glance_staging_store]
filesystem_store_datadir = {gdir}/staging

[os_glance_tasks_store]
filesystem_store_datadir = {gdir}/tasks

[image_format]
disk_formats = {DISK_FORMATS}
require_image_format_match = false

[paste_deploy]
flavor = keystone
config_file = {gdir}/glance-api-paste.ini

[keystone_authtoken]
www_authenticate_uri = http://{HOST}:{kport}
auth_url = http://{HOST}:{kport}
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = glance
password = {glance_password}
region_name = {REGION}
http_connect_timeout = 10
http_request_max_retries = 1

[oslo_policy]
enforce_new_defaults = false
enforce_scope = false

[oslo_concurrency]
lock_path = {gdir}/locks

[wsgi]
task_pool_threads = 4
"""


def find_glance_paste(venv: str) -> str:
    candidates = [os.path.join(venv, "etc", "glance", "glance-api-paste.ini")]
    for root, _dirs, files in os.walk(venv):
        if "glance-api-paste.ini" in files:
            candidates.append(os.path.join(root, "glance-api-paste.ini"))
    for c in candidates:
        if os.path.isfile(c):
            return c
    raise RealServerError(f"glance-api-paste.ini not found in {venv}")


# --------------------------------------------------------------------------
# keystone identity setup via its API
# --------------------------------------------------------------------------

def token(kurl, user, password, user_domain, scope):
    body = {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "password": password,
                 "domain": {"name": user_domain}}}}, "scope": scope}}
    status, rh, b = http("POST", f"{kurl}/v3/auth/tokens", body)
    expect(status, rh, b, (201,), f"token for {user}")
    return rh["X-Subject-Token"], b


def setup_identity(kurl, gurl, admin_pw, glance_pw, user_pw):
    tok, _ = token(kurl, "admin", admin_pw, "Default",
                   {"system": {"all": True}})
    h = {"X-Auth-Token": tok}

    def call(method, path, body=None, ok=(200, 201, 204)):
        status, rh, b = http(method, kurl + path, body, h)
        return expect(status, rh, b, ok, f"{method} {path}")

    def role_id(name):
        roles = call("GET", f"/v3/roles?name={name}")["roles"]
        if not roles:
            raise RealServerError(f"keystone has no role {name!r}")
        return roles[0]["id"]

    default_domain = "default"
    service_project = call("POST", "/v3/projects", {"project": {
        "name": "service", "domain_id": default_domain,
        "description": "service users"}})["project"]["id"]
    glance_user = call("POST", "/v3/users", {"user": {
        "name": "glance", "domain_id": default_domain,
        "password": glance_pw}})["user"]["id"]
    for r in ("service", "admin"):
        call("PUT", f"/v3/projects/{service_project}/users/{glance_user}"
                    f"/roles/{role_id(r)}")

    domain = call("POST", "/v3/domains", {"domain": {
        "name": DOMAIN, "description": "realserver test domain"}})["domain"]["id"]
    project = call("POST", "/v3/projects", {"project": {
        "name": PROJECT, "domain_id": domain,
        "description": "realserver test project"}})["project"]["id"]
    user = call("POST", "/v3/users", {"user": {
        "name": USERNAME, "domain_id": domain, "default_project_id": project,
        "password": user_pw}})["user"]["id"]
    call("PUT", f"/v3/projects/{project}/users/{user}/roles/{role_id('member')}")

    svc = call("POST", "/v3/services", {"service": {
        "name": "glance", "type": "image", "description": "Glance (IMS)"}})
    for iface in ("public", "internal", "admin"):
        call("POST", "/v3/endpoints", {"endpoint": {
            "service_id": svc["service"]["id"], "interface": iface,
            "region_id": REGION, "url": gurl}})
    return project


# --------------------------------------------------------------------------
# commands
# --------------------------------------------------------------------------

def cmd_start(d: str) -> int:
    d = os.path.abspath(d)
    os.makedirs(d, exist_ok=True)
    env_path = os.path.join(d, "env")

    if all(read_pid(d, n) and pid_is_ours(read_pid(d, n), d) for n in SERVICES) \
            and os.path.exists(env_path):
        log(f"already running in {d}")
        with open(env_path) as f:
            sys.stdout.write(f.read())
        return 0
    for n in SERVICES:  # half-started leftovers
        stop_one(d, n)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(env_path)

    t_start = time.monotonic()
    venv = ensure_venv()
    t_venv = time.monotonic()
    timeout = env_float("OTC_REALSERVER_START_TIMEOUT", 90)

    kdir, gdir = os.path.join(d, "keystone"), os.path.join(d, "glance")
    for sub in (kdir, gdir):
        shutil.rmtree(sub, ignore_errors=True)
    for sub in (kdir, f"{kdir}/locks", gdir, f"{gdir}/images", f"{gdir}/staging",
                f"{gdir}/tasks", f"{gdir}/locks"):
        os.makedirs(sub, exist_ok=True)
    for n in SERVICES:
        for suffix in (".out.log", ".access.log"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(d, n + suffix))

    kport, gport = free_ports(2)
    kurl, gurl = f"http://{HOST}:{kport}", f"http://{HOST}:{gport}"
    admin_pw, glance_pw, user_pw = (secrets.token_urlsafe(18) for _ in range(3))

    write(os.path.join(kdir, "keystone.conf"), keystone_conf(kdir), 0o600)
    write(os.path.join(kdir, "keystone_wsgi.py"), KEYSTONE_WSGI)
    write(os.path.join(kdir, "keystone_manage_all.py"), KEYSTONE_MANAGE_ALL)
    write(os.path.join(gdir, "glance-api.conf"),
          glance_conf(gdir, kport, glance_pw), 0o600)
    shutil.copyfile(find_glance_paste(venv),
                    os.path.join(gdir, "glance-api-paste.ini"))

    bin_ = os.path.join(venv, "bin")
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("OS_", "VIRTUAL_ENV", "PYTHON"))}
    base_env["PATH"] = bin_ + os.pathsep + base_env.get("PATH", "/usr/bin:/bin")
    base_env["NO_PROXY"] = base_env["no_proxy"] = "127.0.0.1,localhost"
    base_env["PYTHONWARNINGS"] = "ignore::DeprecationWarning"
    kconf = os.path.join(kdir, "keystone.conf")
    gconf = os.path.join(gdir, "glance-api.conf")
    user_name = pwd.getpwuid(os.getuid()).pw_name
    group_name = grp.getgrgid(os.getgid()).gr_name
    setup_log = os.path.join(d, "setup.log")

    # keystone-manage costs ~2.5 s of imports per call; one interpreter runs
    # all four steps in ~4 s.  glance-manage db_sync runs alongside.
    log("initialising keystone and glance databases")
    kargs = {"config_file": kconf, "steps": [
        ["db_sync"],
        ["fernet_setup", "--keystone-user", user_name,
         "--keystone-group", group_name],
        ["credential_setup", "--keystone-user", user_name,
         "--keystone-group", group_name],
        ["bootstrap", "--bootstrap-username", "admin",
         "--bootstrap-password", admin_pw,
         "--bootstrap-project-name", "admin",
         "--bootstrap-role-name", "admin",
         "--bootstrap-service-name", "keystone",
         "--bootstrap-region-id", REGION,
         "--bootstrap-admin-url", f"{kurl}/v3",
         "--bootstrap-public-url", f"{kurl}/v3",
         "--bootstrap-internal-url", f"{kurl}/v3"],
    ]}
    kargs_path = os.path.join(kdir, "manage-steps.json")
    write(kargs_path, json.dumps(kargs), 0o600)
    run_parallel([
        ("keystone-manage db_sync/fernet_setup/credential_setup/bootstrap",
         [os.path.join(bin_, "python"), os.path.join(kdir, "keystone_manage_all.py"),
          kargs_path]),
        ("glance-manage db_sync", [os.path.join(bin_, "glance-manage"),
                                   "--config-file", gconf, "db_sync"]),
    ], timeout=300, env=base_env, log_path=setup_log)
    os.unlink(kargs_path)  # holds the admin password

    try:
        # Glance needs Keystone only when the first request arrives, so both
        # boot at the same time.
        log(f"starting keystone on {kurl} and glance on {gurl}")
        kenv = dict(base_env, OS_KEYSTONE_CONFIG_DIR=kdir)
        kproc = spawn_gunicorn(venv, d, "keystone", kport,
                               "keystone_wsgi:application", kdir, kenv)
        genv = dict(base_env, OS_GLANCE_CONFIG_DIR=gdir)
        gproc = spawn_gunicorn(venv, d, "glance", gport,
                               "glance.wsgi.api:application", gdir, genv)
        klogs = [os.path.join(d, "keystone.out.log"),
                 os.path.join(kdir, "keystone.log")]
        glogs = [os.path.join(d, "glance.out.log"),
                 os.path.join(gdir, "glance-api.log")]
        wait_http(kproc, "keystone", f"{kurl}/v3", (200,), d, timeout, klogs)
        log("keystone answers; creating domain, project, users, catalog")
        project_id = setup_identity(kurl, gurl, admin_pw, glance_pw, user_pw)
        wait_http(gproc, "glance", f"{gurl}/healthcheck", (200,), d, timeout, glogs)
        log("glance answers; checking a user token against it")

        # End-to-end check: a user token must be accepted by Glance.
        utok, _ = token(kurl, USERNAME, user_pw, DOMAIN,
                        {"project": {"name": PROJECT, "domain": {"name": DOMAIN}}})
        status, rh, body = http("GET", f"{gurl}/v2/images",
                                headers={"X-Auth-Token": utok}, timeout=30)
        if status != 200:
            raise RealServerError(
                f"glance rejected a keystone user token: HTTP {status} {body!r}\n"
                + logs_tail(glogs + klogs))
    except BaseException:
        for n in SERVICES:
            stop_one(d, n)
        raise

    values = [
        ("OTC_REALSERVER_KEYSTONE_URL", kurl),
        ("OTC_REALSERVER_GLANCE_URL", gurl),
        ("OTC_REALSERVER_USERNAME", USERNAME),
        ("OTC_REALSERVER_PASSWORD", user_pw),
        ("OTC_REALSERVER_DOMAIN", DOMAIN),
        ("OTC_REALSERVER_PROJECT", PROJECT),
        ("OTC_REALSERVER_PROJECT_ID", project_id),
        ("OTC_REALSERVER_REGION", REGION),
        ("OTC_REALSERVER_DIR", d),
    ]
    text = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in values)
    write(env_path + ".tmp", text, 0o600)
    os.replace(env_path + ".tmp", env_path)
    sys.stdout.write(text)
    sys.stdout.flush()
    now = time.monotonic()
    log(f"ready in {now - t_start:.1f}s (venv {t_venv - t_start:.1f}s, "
        f"servers {now - t_venv:.1f}s); stop with: {sys.argv[0]} stop --dir {d}")
    return 0


def cmd_stop(d: str) -> int:
    d = os.path.abspath(d)
    if not os.path.isdir(d):
        return 0
    # glance first: it depends on keystone, not the other way round
    for n in reversed(SERVICES):
        stop_one(d, n)
    # DIR/env describes running servers only.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(d, "env"))
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    for name, helptext in (("start", "start Keystone and Glance"),
                           ("stop", "stop the servers recorded in DIR")):
        sp = sub.add_parser(name, help=helptext)
        sp.add_argument("--dir", required=True,
                        help="state directory (configs, databases, logs, pids)")
    args = p.parse_args(argv)
    try:
        if args.command == "start":
            return cmd_start(args.dir)
        return cmd_stop(args.dir)
    except RealServerError as e:
        log(f"error: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
