"""A tiny OpenAI-compatible server made for faults only, on 127.0.0.1 (stdlib, one thread).

``/v1/completions`` answers like vLLM with ``return_token_ids``: the token ids (with the EOS id
at the end of a stopped completion, ``</think>`` in some) drawn from the request's seed and prompt, so the same
request always gets the same completion. ``faults`` is a list of what the next completion
calls get instead ("429", "500" or "drop": the connection closes without an answer);
``fail_after`` makes every call after that many successful ones a ``failure`` (a server going down).
"""
from __future__ import annotations

import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that hangs up (the run ended, a request was cancelled) is no news here


class FakeServer:
    def __init__(self, model: str, words: list[int], eos_id: int, close_id: int, version: str = "9.9.9-fake"):
        self.model, self.words, self.eos_id, self.close_id, self.version = model, words, eos_id, close_id, version
        self.faults: list[str] = []
        self.fail_after: int | None = None
        self.failure = "500"
        self.requests: list[dict] = []  # every completion request body that got an answer
        self.headers: list[str] = []  # Authorization headers seen
        self.calls = 0
        self.active = self.most_active = 0  # sequences being sampled now (n per call), and the most at once
        self.max_running_requests: int | None = None  # reported at /get_server_info, as SGLang does
        self.lock = threading.Lock()
        self.httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def complete(self, body: dict) -> dict:
        """n choices, the i-th drawn from seed + i (as vLLM seeds the samples of one request)."""
        prompt, max_tokens, seed = body["prompt"], body["max_tokens"], body.get("seed")
        choices = [self._sample(prompt, max_tokens, None if seed is None else seed + i) | {"index": i}
                   for i in range(body.get("n", 1))]
        return {"id": "cmpl-fake", "object": "text_completion", "model": self.model, "choices": choices,
                "usage": {"prompt_tokens": len(prompt), "completion_tokens": sum(len(c["token_ids"]) for c in choices)}}

    def _sample(self, prompt: list[int], max_tokens: int, seed: int | None) -> dict:
        draw = random.Random(f"{seed}:{prompt}")
        length = draw.randint(1, max_tokens)
        stopped = length < max_tokens and draw.random() < 0.5
        ids = [draw.choice(self.words) for _ in range(length)]
        if draw.random() < 0.4:  # some samples close their reasoning: no stage 2 for them
            ids[draw.randrange(length)] = self.close_id
        ids += [self.eos_id] if stopped else []
        return {"text": "(ids are what count)", "finish_reason": "stop" if stopped else "length",
                "stop_reason": None, "token_ids": ids}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/v1/models":
                    self._send(200, {"object": "list", "data": [{"id": fake.model, "object": "model"}]})
                elif self.path == "/get_server_info" and fake.max_running_requests:
                    self._send(200, {"max_running_requests": fake.max_running_requests})
                elif self.path == "/version":
                    self._send(200, {"version": fake.version})
                else:
                    self._send(404, {"detail": "Not Found"})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake.lock:
                    fake.headers.append(self.headers.get("Authorization", ""))
                    fault = fake.faults.pop(0) if fake.faults else None
                    if fake.fail_after is not None and len(fake.requests) >= fake.fail_after:
                        fault = fake.failure
                    fake.calls += 1
                    if fault is None:
                        fake.requests.append(body)
                if fault == "drop":
                    self.close_connection = True
                    return
                if fault:
                    self._send(int(fault), {"object": "error", "message": f"fake fault {fault}"})
                    return
                with fake.lock:
                    fake.active += body.get("n", 1)
                    fake.most_active = max(fake.most_active, fake.active)
                time.sleep(0.01)  # long enough for requests to overlap
                answer = fake.complete(body)
                with fake.lock:
                    fake.active -= body.get("n", 1)
                self._send(200, answer)

        return Handler
