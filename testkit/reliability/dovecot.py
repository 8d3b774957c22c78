"""A real Dovecot IMAP server on loopback, for the tests and `pipeline reliability`: a throwaway
configuration, one user per test or trial.

Dovecot is started as ``dovecot -F -c <conf>`` from a temporary folder, listening on
127.0.0.1 only: a plain port (STARTTLS offered) and an implicit-TLS port whose self-signed
certificate the tests can trust through SSL_CERT_FILE. Dovecot refuses mail access as root,
so when the tests run as root the mail is kept by ``nobody`` in a folder of its own.

An :class:`Account` (``imap_account.py``) is one user of it, as a test or trial sees it.
``reset_uidvalidity`` rebuilds a folder's index as a server restored from backup or moved to
new storage does: the same messages under a new UIDVALIDITY and new UIDs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import grp
import ipaddress
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from testkit.reliability.imap_account import PASSWORD, Account

__all__ = ["PASSWORD", "Account", "Dovecot", "NoDovecot"]


class NoDovecot(RuntimeError):
    """Dovecot is not installed (the Debian package dovecot-imapd)."""


def dovecot_binary() -> str:
    found = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/sbin")
    if found:
        return found
    raise NoDovecot("Dovecot is not installed (apt-get install dovecot-imapd)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Dovecot:
    def __init__(self, root: Path) -> None:
        self.binary = dovecot_binary()
        root = root.resolve()  # Dovecot takes only absolute paths in its configuration
        self.root = root
        self.port, self.tls_port = free_port(), free_port()
        self.passwd = root / "passwd"
        self.mail = Path(tempfile.mkdtemp(prefix="cluster-dovecot-mail-"))
        self.log = root / "dovecot.log"
        self.cert = root / "cert.pem"
        self.process: subprocess.Popen[bytes] | None = None
        self._users = itertools.count(1)
        self._write_certificate()
        self._write_config()
        # Every user up front: Dovecot may not notice a passwd-file changed within a second.
        users = (f"user{n}:{{PLAIN}}{PASSWORD}:::::\n" for n in range(1, 201))
        self.passwd.write_text("".join(users))

    def account(self) -> Account:
        """A new user with an empty mailbox."""
        name = f"user{next(self._users)}"
        return Account("127.0.0.1", self.port, self.tls_port, name, PASSWORD, self.cert)

    def start(self) -> None:
        conf = str(self.root / "dovecot.conf")
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", conf],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so stop() ends its children too
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Dovecot exited: {self._log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    if probe.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"Dovecot did not start: {self._log_tail()}")

    def stop(self) -> None:
        """Stop the server and every process it started: their clients see the connection drop."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def reset_uidvalidity(self, account: Account) -> None:
        """Stop, drop the INBOX's UID list and index, start: Dovecot numbers it afresh."""
        self.stop()
        folder = self.mail / account.username
        for path in [folder / "dovecot-uidlist", *folder.glob("dovecot.index*")]:
            path.unlink(missing_ok=True)
        self.start()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.mail, ignore_errors=True)

    def _log_tail(self) -> str:
        return self.log.read_text()[-2000:] if self.log.exists() else "(no log)"

    def _write_config(self) -> None:
        me = pwd.getpwuid(os.getuid()).pw_name
        if os.getuid() == 0:  # Dovecot refuses root for logins and for mail access
            login_user, mail_user, mail_group = "dovenull", "nobody", "nogroup"
            shutil.chown(self.mail, "nobody", "nogroup")
        else:
            login_user, mail_user, mail_group = me, me, ""
        dh = Path("/usr/share/dovecot/dh.pem")
        lines = [
            f"base_dir = {self.root}/run",
            f"state_dir = {self.root}/state",
            f"log_path = {self.log}",
            "protocols = imap",
            "listen = 127.0.0.1",
            "ssl = yes",
            f"ssl_cert = <{self.cert}",
            f"ssl_key = <{self.root / 'key.pem'}",
            f"ssl_dh = <{dh}" if dh.exists() else "",
            "disable_plaintext_auth = no",
            "auth_mechanisms = plain login",
            "auth_failure_delay = 0",
            f"mail_location = maildir:{self.mail}/%u",
            f"mail_uid = {mail_user}",
            f"mail_gid = {mail_group or pwd.getpwuid(os.getuid()).pw_gid}",
            f"default_internal_user = {me}",
            f"default_internal_group = {grp.getgrgid(os.getgid()).gr_name}",
            f"default_login_user = {login_user}",
            "first_valid_uid = 0",
            "first_valid_gid = 0",
            f"passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN {self.passwd}\n}}",
            f"userdb {{\n  driver = passwd-file\n  args = {self.passwd}\n}}",
            "service imap-login {",
            f"  inet_listener imap {{\n    port = {self.port}\n  }}",
            f"  inet_listener imaps {{\n    port = {self.tls_port}\n    ssl = yes\n  }}",
            "}",
        ]
        (self.root / "dovecot.conf").write_text("\n".join(line for line in lines if line) + "\n")

    def _write_certificate(self) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
        now = dt.datetime.now(dt.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=7))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        self.cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        (self.root / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
