"""Write an output folder (or file) so that readers see either the old one or the new one.

The new tree is built in a sibling staging folder `.<name>.new-<pid>-<random>`; only when it
is complete is the old one moved aside (`.<name>.old-<pid>`) and the new one renamed into
place. A failure, Ctrl-C or SIGTERM (see `terminate_cleanly`) removes the staging folder and
leaves the old one untouched.

A build killed outright (SIGKILL, power loss) cannot clean up after itself; the next build
into the same place does: it deletes staging folders whose process is gone and, should the
kill have fallen between the two renames of the swap, puts the old folder back first.
Two builds into the same folder at the same time are not supported.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from casepress.commands.output_guard import check_output_file, check_output_folder, mark

_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def clean_leftovers(target: Path) -> list[Path]:
    """Undo what killed builds into `target` left behind; return the paths removed."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(new|old)-(\d+)(?:-.*)?$")
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for path in sorted(target.parent.iterdir()):
        match = pattern.match(path.name)
        pid = int(match.group(2)) if match else 0
        if not match or (pid != os.getpid() and _process_alive(pid)):
            continue  # not ours, or its build is still running
        if match.group(1) == "old" and not target.exists():
            path.rename(target)  # killed mid-swap: the old folder is the last good one
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


class StoppedAfterReplacing(KeyboardInterrupt):
    """Ctrl-C came while the new output was being put in place; it is there, complete."""


def remove_orphans(parent: Path, prefix: str) -> list[Path]:
    """Remove the folders `<prefix><pid>-...` in `parent` whose process is gone: what a
    command killed outright (SIGKILL, power loss) left behind. Return them."""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)-")
    removed = []
    for path in sorted(parent.glob(f"{prefix}*")):
        match = pattern.match(path.name)
        if match and path.is_dir() and not path.is_symlink() \
                and not _process_alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def scratch_folder(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder `<prefix><pid>-...` that the caller removes (a `with` block does),
    made after removing those whose command was killed outright and so could not."""
    remove_orphans(Path(tempfile.gettempdir()), prefix)
    return tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-")


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the swap renames; they take effect right after.

    The Python-level handlers are swapped, not the thread's signal mask: a signal sent to the
    process may be taken by any thread that does not block it, but its Python handler always
    runs in the main thread, so this holds it whichever thread the kernel chose."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        arrived.append(signum)

    previous = {number: signal.signal(number, hold) for number in _SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if arrived:  # delivered now, to whatever handles it, as if it had come just after
        signal.raise_signal(arrived[0])


@contextmanager
def replaced_atomically(target: Path, sources: Iterable[Path] = (), force: bool = False
                        ) -> Iterator[Path]:
    """Yield a fresh folder to fill; on success it replaces `target`, on error it vanishes.
    OutputRefused, before anything is written, if `target` is, holds or lies in one of
    `sources`, or is a folder casepress did not write (unless `force`)."""
    target = target.resolve()
    check_output_folder(target, sources, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    pid = os.getpid()
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{pid}-", dir=target.parent))
    try:
        yield staging
        mark(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = target.parent / f".{target.name}.old-{pid}"
    shutil.rmtree(previous, ignore_errors=True)
    try:
        with _signals_held():
            if target.exists():
                target.rename(previous)
            staging.rename(target)
    except KeyboardInterrupt:
        # Ctrl-C is held back during the renames and takes effect as they end. Either way the
        # command stops, saying truly which output is in place.
        if staging.exists():  # the new output is not in place: put the old one back
            if previous.exists() and not target.exists():
                previous.rename(target)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        shutil.rmtree(previous, ignore_errors=True)
        raise StoppedAfterReplacing from None
    shutil.rmtree(previous, ignore_errors=True)


@contextmanager
def replaced_file_atomically(target: Path, sources: Iterable[Path] = (), force: bool = False
                             ) -> Iterator[Path]:
    """Yield a temporary path beside `target` to write; on success it replaces `target`.
    OutputRefused as for `replaced_atomically`; an existing file must be a zip file."""
    target = target.resolve()
    check_output_file(target, sources, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.new-{os.getpid()}-",
                                    dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    temporary.chmod(0o644)  # mkstemp makes it private; the result is meant to be shared
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into SystemExit, so `finally` blocks and the clean-ups above run when a
    build is stopped (CI cancelling a job, `kill`), as they already do for Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
