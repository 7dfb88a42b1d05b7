"""Coding on Ray: the same stage functions, in a pool of Ray actors.

Why: one machine codes a few thousand words a second per core; a million articles a day
need a cluster (docs/scale.md). The stages are pure functions of their input and only the
store holds state, so the cluster does the costly, stateless part (cleaning the raw items,
the spaCy passes and the event model) and the run that started it stays the one writer: it
deduplicates against the store and writes each batch in one transaction, exactly as the local
run does. Each actor loads the reference data, the spaCy model and the event model once.

Ray is an optional extra (``pip install 'blocwatch[ray]'``); nothing here is imported by the
default install. ``--address auto`` (or ``HOST:PORT``) joins an existing cluster, whose nodes
must have the same blocwatch installed; without it a local cluster of ``--workers`` CPUs is
started for the run and stopped after it.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

#: Environment variables that choose what a worker codes with (coder, event model, threshold,
#: data folders); passed to every actor so a remote node codes as this process would.
PASSED_ENV = ("BLOCWATCH_",)
#: Chunks in flight per worker: enough to keep every worker busy while the driver writes,
#: few enough that a long stream is never all in memory.
AHEAD = 2


class RayUnavailable(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached; the message is one line."""


def _ray():
    try:
        import ray
    except ImportError as exc:
        raise RayUnavailable("--engine ray needs Ray: pip install 'blocwatch[ray]' "
                             "(or: pip install -r requirements-scale.txt)") from exc
    return ray


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith(PASSED_ENV)}


class RayPool:
    """``workers`` Ray actors, each with its own :class:`~blocwatch.pipeline.Coder`; chunks
    of (doc_id, text, published) go out round-robin and come back in order."""

    def __init__(self, actor_files: Iterable[str | Path] = (), workers: int = 2,
                 address: str | None = None, code: bool = True):
        ray = _ray()
        self.ray = ray
        self.started = False
        if not ray.is_initialized():
            try:
                if address:
                    ray.init(address=address, logging_level=logging.WARNING,
                             log_to_driver=False)
                else:
                    # a cluster of its own even when `ray start` runs one on this machine
                    # (which --address auto joins); errors only: its start-up notes (token
                    # authentication, on by default) are not the user's business
                    ray.init(address="local", num_cpus=workers, include_dashboard=False,
                             logging_level=logging.ERROR, log_to_driver=False)
            except Exception as exc:  # noqa: BLE001 - one line for the user
                raise RayUnavailable(f"cannot start or reach the Ray cluster"
                                     f"{' at ' + address if address else ''}: "
                                     f"{str(exc).strip().splitlines()[0][:200]}") from exc
            self.started = True
        worker = ray.remote(num_cpus=1)(CodingWorker).options(
            runtime_env={"env_vars": _env()})
        files = [str(f) for f in actor_files]
        # the actors load their models while this process reads and cleans the first batch
        self.workers = [worker.remote(files, code) for _ in range(max(1, workers))]
        self._extractor: str | None = None

    @property
    def extractor(self) -> str:
        """The extractor version (it names the model); every worker has the same."""
        if self._extractor is None:
            self._extractor = self.ray.get(self.workers[0].extractor.remote())
        return self._extractor

    def code_chunks(self, chunks: Iterable[list[tuple[str, str, date | None]]]
                    ) -> Iterator[Any]:
        """Codings (:class:`~blocwatch.pipeline.Coded`) of every item of every chunk, in
        order; a worker that dies takes its chunk's documents to ``error``, not the run."""
        pending: deque = deque()
        n = len(self.workers)
        for i, chunk in enumerate(chunks):
            pending.append((chunk, self.workers[i % n].code.remote(chunk)))
            if len(pending) >= AHEAD * n:
                yield from self._get(*pending.popleft())
        while pending:
            yield from self._get(*pending.popleft())

    def _get(self, chunk: list, ref) -> list:
        from blocwatch.pipeline import Coded

        try:
            return self.ray.get(ref)
        except self.ray.exceptions.RayError as exc:
            reason = f"Ray worker failed: {str(exc).strip().splitlines()[0][:200]}"
            return [Coded(error=reason) for _ in chunk]

    def clean(self, items: list, options) -> list:
        """Raw items cleaned into documents (or input errors) by the workers, in order,
        with the warnings each raised."""
        n = len(self.workers)
        size = max(1, -(-len(items) // n))
        refs = [self.workers[k].clean.remote(items[i:i + size], options)
                for k, i in enumerate(range(0, len(items), size))]
        out: list = []
        for part in self.ray.get(refs):
            out.extend(part)
        return out

    def close(self) -> None:
        for w in self.workers:
            self.ray.kill(w)
        self.workers = []
        if self.started:
            self.ray.shutdown()


class CodingWorker:
    """One Ray actor: a coder built once, then chunks of documents coded one after another."""

    def __init__(self, actor_files: list[str], code: bool = True):
        self.actor_files = actor_files
        self._coder = None
        if code:
            self.coder  # noqa: B018 - loaded now, not when the first chunk waits for it

    @property
    def coder(self):
        """A run that only stores (``--no-code``) loads no model."""
        if self._coder is None:
            from blocwatch.pipeline import Coder

            self._coder = Coder(self.actor_files, n_process=1)
        return self._coder

    def extractor(self) -> str:
        return self.coder.extractor

    def code(self, chunk: list[tuple[str, str, date | None]]) -> list:
        """One chunk of parts (long texts are cut by the driver, as in the local run), coded
        as one batch: the same batches as the local run, so the same codings."""
        return list(self.coder._code_parts(chunk))

    def clean(self, items: list, options) -> list:
        """``to_document`` over raw items: (document or input error, warnings, unexpected
        error) each."""
        from blocwatch.pipeline import clean_item

        return [clean_item(item, options) for item in items]
