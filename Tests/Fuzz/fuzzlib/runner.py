"""Runs one tribelens-cli process under a timeout and an address-space limit, and says what
happened: ok, crash (a signal), hang (killed at the timeout), bad message (internal text such
as a Swift error's debug description reached the user) or accepted (an input that must be
refused exited 0)."""

import os
import re
import resource
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass

# Text that only an unhandled or raw error prints: never a TribeLens message.
RAW_TEXT = re.compile(
    r"NSCocoaErrorDomain|Error Domain=|EncodingError|DecodingError|invalidValue\(|dataCorrupted\(|"
    r"keyNotFound\(|typeMismatch\(|Fatal error|Assertion failed|Precondition failed|"
    r"Swift runtime failure|Unexpectedly found nil|Illegal instruction|Segmentation fault|"
    r"Current stack trace|HDF5-DIAG|terminate called|std::|cv::Exception|The operation could not be completed|"
    r"NeuralKitError\.|KerasWeightsError\(|BackendError\(|SwiftBackendError\.|Optional\(|"
    # Libraries' own lines on stderr (OpenCV, libpng, libjpeg, libtiff); quoted inside one of
    # TribeLens' lines ("warning: a.jpg: ...; the decoder said: Corrupt JPEG data") they are fine.
    r"^(?:\[ WARN:|OpenCV\(\d|libpng (?:error|warning)|Corrupt JPEG data|Premature end of JPEG|Invalid SOS parameters|"
    r"TIFFRead|imdecode_)", re.MULTILINE)


@dataclass
class Outcome:
    kind: str            # ok, crash, hang, bad-message, accepted, silent
    detail: str          # signal name, exit status, or the offending text
    status: int          # exit status, or -signal
    seconds: float
    rss_kb: int
    stdout: str
    stderr: str

    @property
    def failed(self):
        return self.kind != "ok"


def _limits(memory_bytes):
    def apply():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    return apply


def run(argv, env, timeout, memory_bytes, expect_refusal=False, expect_text="", cwd=None):
    """One process; its peak RSS comes from wait4, so nothing else is counted."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True, preexec_fn=_limits(memory_bytes))
        hung = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                hung = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.004)
        proc.returncode = 0  # reaped above; keeps Popen from waiting again
        seconds = time.monotonic() - start
        try:  # descendants (probe processes) must not outlive the input
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        out.seek(0)
        err.seek(0)
        stdout = out.read(1 << 20).decode("utf-8", "replace")
        stderr = err.read(1 << 20).decode("utf-8", "replace")
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    rss = usage.ru_maxrss
    if hung:
        return Outcome("hang", f"no exit after {timeout:.0f} s", code, seconds, rss, stdout, stderr)
    if code < 0:
        return Outcome("crash", signal.Signals(-code).name, code, seconds, rss, stdout, stderr)
    raw = RAW_TEXT.search(stdout) or RAW_TEXT.search(stderr)
    if raw:
        return Outcome("bad-message", raw.group(0), code, seconds, rss, stdout, stderr)
    if code != 0 and not stderr.strip():
        return Outcome("silent", f"exit {code} without a message", code, seconds, rss, stdout, stderr)
    if expect_refusal and code == 0:
        return Outcome("accepted", "exit 0 for an input that must be refused", code, seconds, rss, stdout, stderr)
    if expect_text and code != 0 and expect_text not in stderr:
        return Outcome("bad-message", f"the refusal does not say \"{expect_text}\"", code, seconds, rss, stdout, stderr)
    return Outcome("ok", f"exit {code}", code, seconds, rss, stdout, stderr)
