"""Webhook secrets (Twilio's auth token, the generic webhook's HMAC key): a private file of their own.

The data file is shared: every team member can read it, so a secret there would let any of them
forge an inbound STOP or START. The secrets live beside it in ``<data file>.secrets`` (beside the
real file, whichever name, a symlink or the real path, the data file is opened by), mode 0600,
owned by the admin who set them (``contacts webhook-secret``), and only the server run by that
user reads them. The file is written like the data file (a temp file in the same folder, fsync,
rename), under the data file's write lock; it is read only when it is a regular file of this
user that no one else may read or write, as ssh treats its keys. Secrets are never printed.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from store.access import permissions
from store.file.link_check import trusted_real_path
from store.errors import PermissionDenied, StoreError, ValidationError

if TYPE_CHECKING:
    from store.core.store import Store

PROVIDERS = ("twilio", "generic")
MAX_SECRET_LENGTH = 256
SUFFIX = ".secrets"


def secrets_path(db_path: str | os.PathLike[str]) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + SUFFIX)


def clean_provider(value: object) -> str:
    provider = str(value or "").strip().lower()
    if provider not in PROVIDERS:
        raise ValidationError.single("provider", f"Unknown webhook {value!r}; use {' or '.join(PROVIDERS)}")
    return provider


def clean_secret(value: object) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError.single("secret", "The secret is empty: give it on standard input")
    if len(text) > MAX_SECRET_LENGTH:
        raise ValidationError.single("secret", f"The secret is longer than {MAX_SECRET_LENGTH} characters")
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise ValidationError.single("secret", "The secret may not contain spaces or control characters (was the right text pasted?)")
    return text


def set_secret(store: "Store", provider: str, secret: str) -> Path:
    """Keep ``secret`` for ``provider`` (admins only); other providers' secrets stay. Returns the file."""
    provider = clean_provider(provider)
    secret = clean_secret(secret)
    path = secrets_path(store.real_path)  # beside the real file, whichever name the data file was opened by
    with store.transaction() as tx:  # the data file's lock: one writer of the secrets at a time
        if permissions.role_of(tx.data, store.user) != "admin":
            raise PermissionDenied(f"Only an admin can set webhook secrets ({store.user} is not one)")
        current = _read_all(path) or {}
        current[provider] = secret
        _write_private(path, json.dumps(current, indent=2).encode())
    return path


def read_secret(db_path: str | os.PathLike[str], provider: str) -> str | None:
    """The secret set for ``provider``, or None when none was set."""
    value = (_read_all(secrets_path(trusted_real_path(db_path))) or {}).get(clean_provider(provider))
    return value if isinstance(value, str) and value else None


def _read_all(path: Path) -> dict[str, object] | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the webhook secrets file ({exc.strerror}); a symlink is refused") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"{path} is not a regular file; the webhook secrets file must be one")
        if st.st_uid != os.geteuid() or st.st_mode & 0o077:
            raise StoreError(
                f"{path} must belong to you and be private (mode 0600, now {stat.S_IMODE(st.st_mode):04o}); "
                "others could read or change the secrets. Fix it: chmod 600, or set the secrets again."
            )
        raw = b""
        while chunk := os.read(fd, 65536):
            raw += chunk
    finally:
        os.close(fd)
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise StoreError(f"{path} is not a webhook secrets file (not JSON); set the secrets again") from None
    if not isinstance(data, dict):
        raise StoreError(f"{path} is not a webhook secrets file (not an object); set the secrets again")
    return data


def _write_private(path: Path, payload: bytes) -> None:
    # Called after _read_all(path) refused anything but our own private file, under the data file's
    # lock; os.replace puts the new file in place of whatever the name holds, never through a link.
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError as exc:  # O_EXCL: something (a link another user planted?) holds the name
        raise StoreError(f"Could not save {path}: {temp.name} is in the way ({exc.strerror}); nothing was changed") from None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException as exc:
        os.close(fd)
        os.unlink(temp)
        if isinstance(exc, OSError):
            raise StoreError(f"Could not save {path}: {exc.strerror or exc}; nothing was changed") from None
        raise
    os.close(fd)
    os.replace(temp, path)
