"""The openai backend: sample on running servers (``vllm serve``, SGLang, any server with an
OpenAI-compatible ``/v1/completions``) instead of an engine loaded in this process.

Prompts are rendered here with the model's chat template and sent as token ids, stage 2 as
the prompt + stage-1 ids + ``</think>``; each request carries the seed the vLLM backend
gives it, and the completion comes back as token ids (vLLM's ``return_token_ids``) decoded here
as the vLLM backend decodes them, so a seeded run against a vLLM server writes the rows of
the in-process engine. The samples of a question go in one request (``n``: vLLM seeds the
i-th with seed + i, as the scheduler does). One asyncio loop on one thread keeps up to
``max_concurrency`` sequences in flight over all servers, each to the least busy server that is up; 429s, 5xxs,
timeouts and dropped connections are retried with exponential backoff and jitter on any
server, for at most ``RETRY_ATTEMPTS`` attempts and ``retry_for_s`` seconds.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import os
import queue
import random
import threading
import time
import warnings
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from gnosis_core.backends import DECODE_CONTEXT, Sample, Sampling, decode_continuations
from gnosis_core.backends.vllm_backend import sampling_kwargs, without_stop_id
from gnosis_core.errors import GnosisError

# sequences in flight: a server's queue must hold the next requests when its running ones end
# (a round trip through this client is far slower than the engine's next step)
QUEUE_FACTOR = 4  # times what a server says it runs at once
DEFAULT_CONCURRENCY = 1024  # per server that does not say
CONNECTIONS_PER_SERVER = 256
# httpx looks through every connection of its pool at each request event: several small pools
# (each request on the least busy) keep that pass short
CONNECTIONS_PER_POOL = 64
RETRY_ATTEMPTS = 8
RETRY_BASE_S, RETRY_CAP_S = 0.5, 20.0  # backoff: base * 2**attempt, at most the cap, times a jitter in [0.5, 1]
DOWN_FOR_S = 2.0  # a server that dropped a connection gets no new request for this long (doubling)
CONNECT_TIMEOUT_S, REQUEST_TIMEOUT_S = 10.0, 1800.0
RETRY_STATUS = {408, 409, 425, 429}  # and every 5xx
INSTALL = 'the openai backend needs httpx and transformers: pip install "gnosis[openai]"'


def _httpx():
    try:
        import httpx
    except ImportError:
        raise GnosisError(INSTALL) from None
    return httpx


def _tls(httpx) -> dict:
    """The TLS settings every client of a run shares: loading the certificates once, not once
    per client (each load takes tens of milliseconds). httpx before 0.28 loads them itself."""
    make = getattr(httpx, "create_ssl_context", None)
    return {"verify": make()} if make is not None else {}


def server_urls(base_url) -> list[str]:
    """``--base_url`` (comma-separated) as server roots: no trailing ``/`` or ``/v1``."""
    from gnosis_core.options import as_list

    urls = []
    for url in as_list(base_url):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise GnosisError(f"--base_url expects http(s)://HOST[:PORT][/v1][,...], got {without_credentials(url)!r}")
        path = parts.path.rstrip("/")
        urls.append(urlunsplit(parts._replace(path=path[:-3] if path.endswith("/v1") else path)).rstrip("/"))
    if not urls:
        raise GnosisError("--backend openai needs --base_url (the server, e.g. http://localhost:8000/v1)")
    return urls


def without_credentials(url: str) -> str:
    """The URL as it may be shown or written down: no user, password or query string."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    return urlunsplit(parts._replace(netloc=netloc + (f":{parts.port}" if parts.port else ""), query="", fragment=""))


def api_key(api_key_env: str | None) -> str | None:
    """The key from the environment variable named by ``--api_key_env``: never from a flag, so
    that it stays out of shell history, process lists and the manifest."""
    if not api_key_env:
        return None
    key = os.environ.get(str(api_key_env))
    if not key:
        raise GnosisError(f"--api_key_env {api_key_env}: that environment variable is not set")
    return key


@dataclass
class ServerInfo:
    urls: list[str]
    model: str
    version: str | None = None
    max_num_seqs: int | None = None  # summed over the servers that report it

    def manifest(self) -> dict:
        return {"urls": [without_credentials(u) for u in self.urls], "model": self.model, "version": self.version}


def probe(urls: list[str], key: str | None, model: str | None = None, tls: dict | None = None) -> ServerInfo:
    """What the servers serve, checked before any work: each must answer ``/v1/models``, and
    serve ``model`` (default: the first server's first model)."""
    httpx = _httpx()
    versions, slots = set(), []
    with httpx.Client(headers=_headers(key), timeout=CONNECT_TIMEOUT_S, **(tls or {})) as client:
        for url in urls:
            shown = without_credentials(url)
            try:
                response = client.get(f"{url}/v1/models")
            except httpx.HTTPError as exc:
                raise GnosisError(f"--base_url {shown}: no server answers ({_reason(exc)})") from None
            if response.status_code != 200:
                raise GnosisError(f"--base_url {shown}: /v1/models answered {_status_line(response)}")
            served = [m.get("id") for m in response.json().get("data", [])]
            model = model or (served[0] if served else None)
            if model not in served:
                raise GnosisError(f"--base_url {shown} does not serve --model_id {model} (it serves: "
                                  f"{', '.join(map(str, served)) or 'nothing'})")
            versions.add(_get_json(client, f"{url}/version").get("version"))
            slots.append(_max_num_seqs(client, url))
    known = [s for s in slots if s]
    return ServerInfo(urls, model, ", ".join(sorted(v for v in versions if v)) or None,
                      sum(known) + (len(slots) - len(known)) * DEFAULT_CONCURRENCY // QUEUE_FACTOR if known else None)


def _max_num_seqs(client, url: str) -> int | None:
    """Sequences the server runs at once, where it says: vLLM's /server_info (development mode)
    or SGLang's /get_server_info."""
    config = _get_json(client, f"{url}/server_info", params={"config_format": "json"}).get("vllm_config")
    found = (config or {}).get("scheduler_config", {}).get("max_num_seqs") if isinstance(config, dict) else None
    found = found or _get_json(client, f"{url}/get_server_info").get("max_running_requests")
    return int(found) if isinstance(found, (int, float)) and found > 0 else None


def _get_json(client, url: str, **kwargs) -> dict:
    try:
        response = client.get(url, **kwargs)
        body = response.json() if response.status_code == 200 else {}
    except Exception:  # optional endpoints: whatever goes wrong, the server just does not say
        return {}
    return body if isinstance(body, dict) else {}


def _headers(key: str | None) -> dict:
    return {"Authorization": f"Bearer {key}"} if key else {}


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _status_line(response) -> str:
    try:
        body = response.json()
        message = body.get("message") or body.get("error", {}).get("message") or body.get("detail")
    except Exception:
        message = response.text
    first = (str(message or "").strip().splitlines() or [""])[0][:300]
    return f"HTTP {response.status_code}" + (f": {first}" if first else "")


class RequestFailed(Exception):
    """A request that no retry saved: the run stops with its message."""


@dataclass
class _Server:
    url: str
    in_flight: int = 0
    down_until: float = 0.0
    down_for: float = DOWN_FOR_S


@dataclass
class _Pool:
    client: object  # httpx.AsyncClient
    in_flight: int = 0


class _Gate:
    """At most ``size`` sequences in flight: a request for n samples holds n (one larger than
    the gate runs alone). Requests go in the order they came, and a release wakes only those
    it lets in (a run keeps thousands waiting: waking them all at each release would cost a
    pass over all of them per response)."""

    def __init__(self, size: int):
        self.size, self.used = size, 0
        self.waiting: collections.deque = collections.deque()  # (n, future), first come first

    def _fits(self, n: int) -> bool:
        return self.used == 0 or self.used + n <= self.size

    @contextlib.asynccontextmanager
    async def hold(self, n: int):
        if self.waiting or not self._fits(n):
            entry = (n, asyncio.get_running_loop().create_future())
            self.waiting.append(entry)
            try:
                await entry[1]  # the release that lets it in counts it as used
            except asyncio.CancelledError:
                if entry in self.waiting:
                    self.waiting.remove(entry)
                    self._wake()  # those behind it may fit now
                elif not entry[1].cancelled():
                    self._release(n)  # let in, but cancelled before it could start
                raise
        else:
            self.used += n
        try:
            yield
        finally:
            self._release(n)

    def _release(self, n: int) -> None:
        self.used -= n
        self._wake()

    def _wake(self) -> None:
        while self.waiting and (self.waiting[0][1].cancelled() or self._fits(self.waiting[0][0])):
            n, future = self.waiting.popleft()
            if not future.cancelled():
                self.used += n
                future.set_result(None)


class OpenAIBackend:
    """The Backend protocol (gnosis_core.backends.Backend) over HTTP: ``submit`` hands a
    request to the client's event loop, ``poll`` returns those that finished."""

    def __init__(self, model_id: str, *, base_url=None, api_key_env: str | None = None,
                 max_concurrency: int | None = None, tokenizer: str | None = None, trust_remote_code: bool = False,
                 retry_for_s: float = 300.0, **_engine_options):
        httpx = _httpx()
        try:
            from transformers import AutoTokenizer
        except ImportError:
            raise GnosisError(INSTALL) from None
        self.key = api_key(api_key_env)
        self.tls = _tls(httpx)
        self.info = probe(server_urls(base_url), self.key, model_id, self.tls)
        try:  # the server's model name is often its hub id or folder: the tokenizer's too by default
            self.tokenizer = AutoTokenizer.from_pretrained(tokenizer or model_id, trust_remote_code=trust_remote_code)
        except (OSError, ValueError) as exc:
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            flag = f"--tokenizer {tokenizer}" if tokenizer else f"--model_id {model_id} (else pass --tokenizer PATH)"
            raise GnosisError(f"{flag}: cannot load the tokenizer the prompts are rendered with ({first_line})") from None
        self.slots = int(max_concurrency or QUEUE_FACTOR * (self.info.max_num_seqs or 0)
                         or DEFAULT_CONCURRENCY * len(self.info.urls))
        self.retry_for_s = float(retry_for_s)
        self.servers = [_Server(url) for url in self.info.urls]
        self.prompt_ends: dict[str, list[int]] = {}
        self.finished: queue.SimpleQueue = queue.SimpleQueue()  # (request id, response choice or RequestFailed)
        self.pending = 0
        self.outbox: list[tuple[list[str], dict]] = []  # requests submitted since the last poll
        self.tasks: set = set()  # the loop keeps only weak references to its tasks
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="gnosis-openai-client", daemon=True)
        self.thread.start()
        self.pools = self._call(self._open(httpx))

    async def _open(self, httpx) -> list["_Pool"]:
        self.gate = _Gate(self.slots)
        connections = min(self.slots, CONNECTIONS_PER_SERVER * len(self.servers))
        pools = -(-connections // CONNECTIONS_PER_POOL)
        size = -(-connections // pools)
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        timeout = httpx.Timeout(REQUEST_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
        return [_Pool(httpx.AsyncClient(headers=_headers(self.key), limits=limits, timeout=timeout, **self.tls))
                for _ in range(pools)]

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def submit(self, request_id: str, prompt: list[int], max_tokens: int, sampling: Sampling) -> None:
        self.submit_samples([request_id], prompt, max_tokens, sampling)

    def submit_samples(self, request_ids: list[str], prompt: list[int], max_tokens: int, sampling: Sampling) -> None:
        body = {"model": self.info.model, "prompt": list(prompt), **sampling_kwargs(max_tokens, sampling),
                "n": len(request_ids), "return_token_ids": True, "skip_special_tokens": True}
        for request_id in request_ids:
            self.prompt_ends[request_id] = list(prompt[-DECODE_CONTEXT:])
        self.pending += len(request_ids)
        self.outbox.append((request_ids, body))

    def _send_outbox(self) -> None:
        """Hand the requests submitted since the last poll to the loop, all at once: they reach
        the server together (it batches them from its first step) and the prompts are rendered
        without the loop's thread taking turns with this one."""
        if self.outbox:
            self.loop.call_soon_threadsafe(self._start, self.outbox)
            self.outbox = []

    def _start(self, requests: list[tuple[list[str], dict]]) -> None:
        for request_ids, body in requests:
            task = self.loop.create_task(self._request(request_ids, body))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def poll(self) -> list[tuple[str, Sample]]:
        self._send_outbox()
        if not self.pending:
            return []
        try:  # wait for one (stage 2 goes out as soon as the caller sees its stage 1), then take all
            done = [self.finished.get(timeout=0.5)]
        except queue.Empty:
            return []
        while not self.finished.empty():
            done.append(self.finished.get_nowait())
        self.pending -= len(done)
        for request_id, result in done:
            if isinstance(result, RequestFailed):
                raise GnosisError(f"request {request_id} failed: {result}; the shards written so far are kept, "
                                  "run the same command again to resume")
        parsed = [(request_id, *self._ids(choice)) for request_id, choice in done]
        texts = decode_continuations(self.tokenizer, [self.prompt_ends.pop(request_id) for request_id, *_ in parsed],
                                     [ids for _, ids, _, _ in parsed])
        return [(request_id, Sample(ids, text if exact else choice_text, reason))
                for (request_id, ids, reason, exact), text, choice_text
                in zip(parsed, texts, [choice.get("text", "") for _, choice in done])]

    def _ids(self, choice: dict) -> tuple[list[int], str, bool]:
        """(token ids without the stop token, finish reason, whether the ids are the server's).
        A server that does not return ids gets its text encoded here: counts are then close,
        and a stage-2 prompt is the same text, not the same ids."""
        if choice.get("token_ids") is None:
            ids = list(self.tokenizer(choice.get("text", ""), add_special_tokens=False)["input_ids"])
            return ids, "stop" if choice.get("finish_reason") == "stop" else "length", False
        # the server hands back what the in-process engine does: the same rule drops the stop id
        output = SimpleNamespace(token_ids=choice["token_ids"], finish_reason=choice.get("finish_reason"),
                                 stop_reason=choice.get("stop_reason"))
        return (*without_stop_id(output), True)

    async def _request(self, request_ids: list[str], body: dict) -> None:
        try:
            await self._send(request_ids, body)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # whatever it is, the caller must hear of it, or it waits forever
            self._fail(request_ids, RequestFailed(_reason(exc)))

    def _fail(self, request_ids: list[str], failure: RequestFailed) -> None:
        for request_id in request_ids:
            self.finished.put((request_id, failure))

    async def _send(self, request_ids: list[str], body: dict) -> None:
        httpx = _httpx()
        async with self.gate.hold(len(request_ids)):
            first_failure, attempt = None, 0
            while True:
                server, pool = self._pick(), min(self.pools, key=lambda p: p.in_flight)
                server.in_flight += 1
                pool.in_flight += 1
                try:
                    response = await pool.client.post(f"{server.url}/v1/completions", json=body)
                    failure = None if response.status_code == 200 else _status_line(response)
                    retry = response.status_code in RETRY_STATUS or response.status_code >= 500
                except asyncio.CancelledError:
                    raise
                except httpx.HTTPError as exc:  # timeouts, refused or dropped connections
                    response, failure, retry = None, _reason(exc), True
                    self._mark_down(server)
                finally:
                    server.in_flight -= 1
                    pool.in_flight -= 1
                if failure is None:
                    try:
                        choices = sorted(response.json()["choices"], key=lambda c: c.get("index", 0))
                    except (ValueError, KeyError, TypeError, AttributeError):
                        choices = []
                    if len(choices) == len(request_ids):
                        server.down_for = DOWN_FOR_S
                        for request_id, choice in zip(request_ids, choices):
                            self.finished.put((request_id, choice))
                        return
                    failure, retry = (f"{without_credentials(server.url)} answered {len(choices)} completions "
                                      f"for n={len(request_ids)}"), False
                now = time.monotonic()
                first_failure = first_failure or now
                attempt += 1
                where = without_credentials(server.url)
                if not retry:
                    self._fail(request_ids, RequestFailed(f"{where} refused it ({failure})"))
                    return
                if attempt >= RETRY_ATTEMPTS or now - first_failure >= self.retry_for_s:
                    self._fail(request_ids, RequestFailed(
                        f"{attempt} attempts over {now - first_failure:.0f}s, the last on {where} ({failure})"))
                    return
                await asyncio.sleep(self._backoff(attempt, response))

    def _pick(self) -> _Server:
        """The least busy server that is up (all of them, where none is)."""
        now = time.monotonic()
        up = [s for s in self.servers if s.down_until <= now] or self.servers
        return min(up, key=lambda s: s.in_flight)

    def _mark_down(self, server: _Server) -> None:
        now = time.monotonic()
        if server.down_until <= now:  # the first of its requests to fail says so; the others agree
            server.down_until = now + server.down_for
            server.down_for = min(RETRY_CAP_S, 2 * server.down_for)

    def _backoff(self, attempt: int, response) -> float:
        """Exponential with jitter; a 429's Retry-After, where given, as the floor. No wait at
        all where another server is up: the retry goes there."""
        now = time.monotonic()
        if response is None and any(s.down_until <= now for s in self.servers):
            return 0.0
        delay = min(RETRY_CAP_S, RETRY_BASE_S * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
        try:
            delay = max(delay, min(RETRY_CAP_S, float(response.headers.get("retry-after", 0))))
        except (AttributeError, ValueError):
            pass
        return delay

    def close(self) -> None:
        """Cancel what is still in flight, close the connections and stop the loop's thread."""
        if self.loop.is_closed():
            return
        # a connection attempt cancelled before it began is a coroutine never awaited: Python
        # warns when it is collected, at exit, under the run's one-line error; collect it here
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
            try:
                cancelled = asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(timeout=10)
            except Exception:  # closing must not hide the error that ended the run
                cancelled = True
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            if not self.thread.is_alive():
                self.loop.close()
            if cancelled:  # a full collection takes seconds where torch is loaded: only when needed
                gc.collect()

    async def _shutdown(self) -> int:
        """Cancel the requests still in flight (how many) and close the connections."""
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for pool in self.pools:
            await pool.client.aclose()
        return len(tasks)
