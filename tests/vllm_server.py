"""A vLLM OpenAI-compatible server of a local model on 127.0.0.1, started with a bounded wait
and stopped with its whole process session (for tests/test_vllm_server.py and bench/)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

STARTUP_S = 300  # a server that is not answering by then is an error (its log's tail says why)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VLLMServer:
    """``python -m vllm.entrypoints.openai.api_server`` in a session of its own (the CPU build's
    ``vllm`` console script fails on its own version lookup), as the vLLM backend runs its
    engine in-process: prefix caching on, chunked prefill off."""

    def __init__(self, model: Path, log: Path, extra: tuple = ()):
        self.model, self.log, self.port, self.process, self.extra = model, log, free_port(), None, tuple(extra)
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        command = [sys.executable, "-m", "vllm.entrypoints.openai.api_server", "--model", str(self.model),
                   "--host", "127.0.0.1", "--port", str(self.port), "--max-model-len", "512",
                   "--enable-prefix-caching", "--no-enable-chunked-prefill", "--seed", "0", *self.extra]
        env = {**os.environ, "VLLM_CPU_KVCACHE_SPACE": os.environ.get("VLLM_CPU_KVCACHE_SPACE", "1")}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                            start_new_session=True)
        import httpx

        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/models", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        self.stop()
        tail = self.log.read_text(errors="replace").splitlines()[-15:]
        raise RuntimeError("the vLLM server did not start:\n" + "\n".join(tail))

    def stop(self, sig=signal.SIGTERM) -> None:
        """The server's whole session (it runs its engine in a child process)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass
        self.process = None
