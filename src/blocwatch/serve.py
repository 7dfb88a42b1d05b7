"""``blocwatch serve``: the store as a REST API (FastAPI on uvicorn) and a dashboard (issue 11).

Every response is JSON in the shapes of the CLI's ``--format json``; the filters are the CLI's
(:mod:`blocwatch.filters`: periods, actors by code or name, types, modalities) as query
parameters, and an unknown value is a 400 that names the valid ones. Lists are paged by an
opaque ``cursor`` (``next`` in the answer); every answer carries an ``ETag`` and a matching
``If-None-Match`` gets 304. The store is opened read-only for each request and released after
it, so an ingest (``watch``, the CLI, or ``POST /api/ingest``) can write between requests: a
writer that finds the file busy leaves a note and readers yield to it (:mod:`blocwatch.store`).
All SQL is the store's, with bound parameters. Writes need the server's ``--token``; bodies are
capped (413) and must arrive in time (408); the dashboard (``/``, files from
``blocwatch/web``) loads nothing from elsewhere and sets article text only as text.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.background import BackgroundTask

from blocwatch import __version__
from blocwatch.store import Store, StoreError, open_store
from blocwatch.store_pg import ChangeMark, actors_folder, is_postgres

MAX_LIMIT = 500
WINDOWS = "^(day|week|month|quarter|year)$"  # the dyad windows a query may ask for
NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
CACHE_ANSWERS = 512  # GET answers kept per store version
MAX_BODY = 20 * 1024 * 1024  # bytes a POST may carry; more is a 413
BODY_SECONDS = 30.0  # a client that takes longer to send its body gets a 408
UPLOAD_SUFFIX = {"application/json": ".json", "application/x-ndjson": ".jsonl",
                 "application/jsonl": ".jsonl", "text/html": ".html", "text/plain": ".txt",
                 "text/markdown": ".md", "text/csv": ".csv"}
# The dashboard's files, bundled in the package; nothing else is served from disk.
ASSETS = {"dashboard.js": "text/javascript; charset=utf-8",
          "dashboard.css": "text/css; charset=utf-8"}
# The dashboard loads nothing from elsewhere and runs no inline script.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
               "base-uri 'none'; form-action 'self'")


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def create_app(db: str, wait: float = 10.0, token: str | None = None,
               cors: tuple[str, ...] = (), max_body: int = MAX_BODY,
               body_seconds: float = BODY_SECONDS,
               actor_files: tuple[Path, ...] = (),
               actors_dir: Path | None = None) -> FastAPI:
    """The API over the store at ``db``: read-only, unless ``token`` is given, when
    ``POST /api/ingest`` takes news and ``PUT /api/actor-files/{name}`` actor files from a
    client that sends it as a Bearer token. ``cors``: the origins (if any) whose pages may
    call the API. ``actor_files``: the server's own actor files, read before the uploaded
    ones, which live in ``actors_dir`` (default: beside the store file, ``STORE.actors/``;
    for PostgreSQL, :func:`blocwatch.store_pg.actors_folder`)."""
    from blocwatch import filters

    # /docs is Swagger UI from the files of fastapi-offline: FastAPI's own page would load it
    # from a CDN, and nothing here may need the network. The schema is at /openapi.json.
    app: FastAPI = FastAPIOffline(
        title="blocwatch", version=__version__, redoc_url=None,
        description="Who did what to whom between international actors, with the evidence "
                    "sentence behind every event. Read-only, but for POST /api/ingest when the "
                    "server was started with --token. The dashboard is at /.")

    cache: OrderedDict[str, tuple[tuple, bytes, str, dict[str, str]]] = OrderedDict()

    marks = ChangeMark(db) if is_postgres(db) else None

    def version() -> tuple:
        """What the store's files say about their last write: a commit changes the WAL or
        the file, so an answer cached under an older version is never served. (PostgreSQL:
        its batches table, which every write adds to or updates.)"""
        if marks is not None:
            return marks.now()
        out = []
        for path in (db, db + ".wal"):
            try:
                st = os.stat(path)
                out.append((st.st_mtime_ns, st.st_size))
            except OSError:
                out.append(None)
        return tuple(out)

    @app.middleware("http")
    async def cached(request: Request, call_next: Any) -> Response:
        """GET answers of /api/ kept per store version (the dashboard asks the same
        questions again and again; an analysis runs once per change of the store)."""
        if request.method != "GET" or not request.url.path.startswith("/api/") or \
                request.url.path.startswith("/api/export/"):
            return await call_next(request)
        key = str(request.url.path) + "?" + "&".join(sorted(
            f"{k}={v}" for k, v in request.query_params.multi_items()))
        now = version()
        hit = cache.get(key)
        if hit is not None and hit[0] == now:
            cache.move_to_end(key)
            _, body, kind, headers = hit
            if request.headers.get("if-none-match") == headers.get("etag"):
                return Response(status_code=304, headers=headers)
            return Response(body, media_type=kind, headers=headers)
        response = await call_next(request)
        if response.status_code != 200:
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])
        headers = {k: v for k, v in response.headers.items() if k in ("etag",)}
        if now == version():  # nothing was written while the answer was made
            cache[key] = (now, body, response.media_type or "application/json", headers)
            while len(cache) > CACHE_ANSWERS:
                cache.popitem(last=False)
        return Response(body, status_code=200, media_type=response.media_type,
                        headers=headers)

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Response:
        size = request.headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > max_body):
            return JSONResponse({"detail": f"body over {max_body} bytes"}, status_code=413)
        return await call_next(request)

    if cors:  # outermost, so cached answers get the headers of the asking origin too
        app.add_middleware(CORSMiddleware, allow_origins=list(cors),
                           allow_methods=["GET", "POST"] if token else ["GET"],
                           allow_headers=["Authorization", "Content-Type"])

    @app.exception_handler(StoreError)
    def store_unavailable(request: Request, exc: StoreError) -> JSONResponse:
        # a missing store or one a writer holds past --wait: the service, not the request
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})

    @contextmanager
    def store() -> Iterator[Store]:
        s = open_store(db, read_only=True, wait=wait)
        try:
            yield s
        finally:
            s.close()

    def answer(request: Request, payload: Any) -> Response:
        body = json.dumps(payload, ensure_ascii=False, default=_json_default).encode("utf-8")
        tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers={"ETag": tag})
        return Response(body, media_type="application/json", headers={"ETag": tag})

    def bad(exc: Exception) -> HTTPException:
        return HTTPException(status_code=400, detail=str(exc))

    def offset(cursor: str | None) -> int:
        if not cursor:
            return 0
        try:
            value = int(base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii"))
        except (ValueError, UnicodeError) as exc:
            raise HTTPException(status_code=400, detail="cursor: not one this API gave") from exc
        if value < 0:
            raise HTTPException(status_code=400, detail="cursor: not one this API gave")
        return value

    def page(items: list[Any], start: int, limit: int) -> dict[str, Any]:
        more = len(items) > start + limit
        nxt = base64.urlsafe_b64encode(str(start + limit).encode()).decode() if more else None
        return {"items": items[start:start + limit], "next": nxt}

    def known_codes() -> list[str]:
        with store() as s:
            return s.actor_codes()

    def actor(value: str | None) -> str | None:
        if not value:
            return None
        try:
            return filters.actor_codes([value], known_codes)[0]
        except filters.FilterError as exc:
            raise bad(exc) from None

    def day(value: str | None, end: bool) -> date | None:
        if not value:
            return None
        try:
            first, last = filters.period(value)
        except filters.FilterError as exc:
            raise bad(exc) from None
        return last if end else first

    def analysis_filter(since: str | None, until: str | None,
                        type_: list[str] | None) -> Any:
        from blocwatch.analysis.events import EventFilter

        try:
            return EventFilter(since=day(since, False), until=day(until, True),
                               types=filters.event_types(type_))
        except filters.FilterError as exc:
            raise bad(exc) from None

    web = files("blocwatch") / "web"
    # actor files sent with PUT /api/actor-files/{name}
    uploaded = actors_dir or (actors_folder(db) if is_postgres(db) else Path(db + ".actors"))

    @app.get("/", include_in_schema=False)
    def dashboard() -> Response:
        return Response(web.joinpath("index.html").read_bytes(), media_type="text/html",
                        headers={"Content-Security-Policy": PAGE_POLICY,
                                 "X-Content-Type-Options": "nosniff"})

    @app.get("/static/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        if name not in ASSETS:  # a fixed list: no path from the request reaches the disk
            raise HTTPException(status_code=404, detail=f"no file {name!r}")
        return Response(web.joinpath(name).read_bytes(), media_type=ASSETS[name],
                        headers={"X-Content-Type-Options": "nosniff",
                                 "Cache-Control": "no-cache"})

    @app.get("/api/health")
    def health(request: Request) -> Response:
        with store() as s:
            counts = {t: s.count(t) for t in ("documents", "events", "mentions")}
        return answer(request, {"status": "ok", "version": __version__, **counts})

    @app.get("/api/events")
    def events(request: Request, actor_: str | None = Query(None, alias="actor"),
               source: str | None = None, target: str | None = None,
               type_: Annotated[list[str] | None, Query(alias="type")] = None,
               modality: Annotated[list[str] | None, Query()] = None, since: str | None = None,
               until: str | None = None, min_confidence: float | None = Query(None, ge=0, le=1),
               doc: str | None = None,
               order: str = Query("oldest", pattern="^(oldest|newest)$"),
               limit: int = Query(100, ge=1, le=MAX_LIMIT),
               cursor: str | None = None) -> Response:
        try:
            types = filters.event_types(type_)
            modalities = filters.modalities(modality)
        except filters.FilterError as exc:
            raise bad(exc) from None
        src, tgt = actor(source), actor(target)
        with store() as s:
            found = s.events(actor=actor(actor_), dyad=(src, tgt) if src and tgt else None,
                             types=types, modalities=modalities, since=day(since, False),
                             until=day(until, True), min_confidence=min_confidence,
                             doc_id=doc, newest_first=order == "newest")
        if bool(src) != bool(tgt):
            side = "source" if src else "target"
            code = src or tgt
            found = [e for e in found if code in {a.get("code") for a in e[side]}]
        return answer(request, page(found, offset(cursor), limit))

    @app.get("/api/events/{event_id}")
    def event(request: Request, event_id: str) -> Response:
        with store() as s:
            rows = s.query("SELECT doc_id FROM events WHERE id = ?", [event_id])
            found = [e for e in s.events(doc_id=rows[0]["doc_id"]) if e["id"] == event_id] \
                if rows else []
        if not found:
            raise HTTPException(status_code=404, detail=f"no event {event_id!r}")
        return answer(request, found[0])

    @app.get("/api/documents")
    def documents(request: Request, outlet: str | None = None, since: str | None = None,
                  until: str | None = None, limit: int = Query(100, ge=1, le=MAX_LIMIT),
                  cursor: str | None = None) -> Response:
        with store() as s:
            found = s.documents(outlet=outlet, since=day(since, False), until=day(until, True))
        for d in found:
            d.pop("text", None)
        return answer(request, page(found, offset(cursor), limit))

    @app.get("/api/documents/{doc_id}")
    def document(request: Request, doc_id: str) -> Response:
        if len(doc_id) < 6:
            raise HTTPException(status_code=400, detail="give at least 6 characters of an id")
        with store() as s:
            found = s.documents(doc_id=doc_id)
            if len(found) != 1:
                raise HTTPException(status_code=404 if not found else 400,
                                    detail=f"no document {doc_id!r}" if not found
                                    else f"{doc_id!r} names more than one document")
            doc = found[0]
            doc["events"] = s.events(doc_id=doc["id"])
            doc["mentions"] = s.query(
                "SELECT start_char, end_char, text, code, sector FROM mentions "
                "WHERE doc_id = ? ORDER BY start_char", [doc["id"]])
        return answer(request, doc)

    @app.get("/api/dyads")
    def dyads(request: Request, source: str | None = None, target: str | None = None,
              window: str = Query("month", pattern=WINDOWS),
              since: str | None = None, until: str | None = None,
              type_: Annotated[list[str] | None, Query(alias="type")] = None,
              limit: int = Query(20, ge=1, le=MAX_LIMIT)) -> Response:
        from blocwatch.analysis.api import Analysis

        flt = analysis_filter(since, until, type_)
        src, tgt = actor(source), actor(target)
        with store() as s, Analysis(s) as analysis:
            rows = analysis.dyads(src, tgt, window, flt) if src and tgt else \
                analysis.top_dyads(flt, actor=src or tgt, limit=limit)
        return answer(request, {"items": rows})

    @app.get("/api/blocs")
    def blocs(request: Request, since: str | None = None, until: str | None = None,
              type_: Annotated[list[str] | None, Query(alias="type")] = None,
              min_size: int = Query(2, ge=1)) -> Response:
        from blocwatch.analysis.api import Analysis

        flt = analysis_filter(since, until, type_)
        with store() as s, Analysis(s) as analysis:
            result = analysis.blocs(flt)
        return answer(request, {"items": result.to_list(min_size)})

    @app.get("/api/stories")
    def stories(request: Request, actor_: str | None = Query(None, alias="actor"),
                since: str | None = None, until: str | None = None,
                type_: Annotated[list[str] | None, Query(alias="type")] = None,
                limit: int = Query(20, ge=1, le=MAX_LIMIT),
                evidence: int = Query(2, ge=0, le=20)) -> Response:
        from blocwatch.analysis.api import Analysis

        flt = analysis_filter(since, until, type_)
        code = actor(actor_)
        with store() as s, Analysis(s) as analysis:
            found = analysis.stories(flt, limit=limit, evidence=evidence, actor=code)
        return answer(request, {"items": [x.to_dict() for x in found]})

    @app.get("/api/shifts")
    def shifts(request: Request, from_: str = Query(..., alias="from"), to: str = Query(...),
               type_: Annotated[list[str] | None, Query(alias="type")] = None,
               top: int = Query(10, ge=1, le=100)) -> Response:
        from blocwatch.analysis.api import Analysis
        from blocwatch.analysis.periods import PeriodError, parse_period

        try:
            before, after = parse_period(from_), parse_period(to)
        except PeriodError as exc:
            raise bad(exc) from None
        flt = analysis_filter(None, None, type_)
        with store() as s, Analysis(s) as analysis:
            result = analysis.shifts(before, after, flt, top=top)
        return answer(request, result)

    @app.get("/api/actors")
    def actors(request: Request, limit: int = Query(200, ge=1, le=5000),
               cursor: str | None = None) -> Response:
        """Every actor code the events name, busiest first, with its name and event count."""
        from blocwatch.analysis import actor_name

        with store() as s:
            rows = s.actor_event_counts()
        for r in rows:
            r["name"] = actor_name(r["code"])
        return answer(request, page(rows, offset(cursor), limit))

    @app.get("/api/vocabulary")
    def vocabulary(request: Request) -> Response:
        """The closed values of the filters: event types with their modes, modalities."""
        from blocwatch.events.model import MODALITIES
        from blocwatch.plover import PLOVER_TYPES, load_plover

        plover = load_plover()
        return answer(request, {"types": list(PLOVER_TYPES),
                                "modes": {t: plover.modes(t) for t in PLOVER_TYPES},
                                "modalities": list(MODALITIES)})

    @app.get("/api/views/network")
    def network_view(request: Request, since: str | None = None, until: str | None = None,
                     type_: Annotated[list[str] | None, Query(alias="type")] = None,
                     min_bloc_events: int = Query(3, ge=1, le=10_000)) -> Response:
        """The report's bloc network as SVG (names escaped), its blocs and the counts."""
        from blocwatch.analysis.api import Analysis
        from blocwatch.report import network_parts, timeline_span

        flt = analysis_filter(since, until, type_)
        with store() as s, Analysis(s) as analysis:
            frame = analysis.frame(flt)
            counts = frame.counts()
            net = network_parts(analysis, flt, min_bloc_events, frame=frame)
            span = timeline_span(frame, flt, counts)
        return answer(request, {"svg": str(net["svg"]), "blocs": net["blocs"],
                                "alone": net["alone"], "counts": counts,
                                "span": {"first": span[0], "last": span[1]}})

    @app.get("/api/views/timeline")
    def timeline_view(request: Request, source: str, target: str, since: str | None = None,
                      until: str | None = None,
                      window: str | None = Query(None, pattern=WINDOWS)) -> Response:
        """One dyad's score per window as the report draws it (SVG), with the numbers."""
        from blocwatch.analysis import actor_name
        from blocwatch.analysis.api import Analysis
        from blocwatch.report import auto_window, dyad_series, timeline_span, timeline_svg

        flt = analysis_filter(since, until, None)
        src, tgt = actor(source), actor(target)
        with store() as s, Analysis(s) as analysis:
            frame = analysis.frame(flt)
            span = timeline_span(frame, flt, frame.counts())
            chosen = window or auto_window(*span)
            series = dyad_series(analysis, src, tgt, chosen, flt, span)
        return answer(request, {"source": src, "target": tgt, "source_name": actor_name(src),
                                "target_name": actor_name(tgt), "window": chosen,
                                "svg": str(timeline_svg(series, width=560, height=110,
                                                        window=chosen)),
                                "series": series})

    @app.get("/api/actors/{code}")
    def profile(request: Request, code: str, since: str | None = None,
                until: str | None = None) -> Response:
        from blocwatch.analysis.api import Analysis

        flt = analysis_filter(since, until, None)
        resolved = actor(code)
        with store() as s, Analysis(s) as analysis:
            found = analysis.profile(resolved, flt)
        return answer(request, found)

    @app.get("/api/export/{fmt}")
    def export_events(fmt: str, since: str | None = None, until: str | None = None,
                      type_: Annotated[list[str] | None, Query(alias="type")] = None
                      ) -> Response:
        """An event export (plover, json, csv, gdelt …) with the CLI's defaults."""
        from blocwatch.export import WRITERS, ExportOptions, export

        if fmt not in WRITERS:
            raise HTTPException(status_code=404, detail=f"no format {fmt!r}; formats: "
                                f"{', '.join(sorted(WRITERS))}")
        options = ExportOptions(flt=analysis_filter(since, until, type_))
        tmp = tempfile.TemporaryDirectory(prefix="blocwatch-export-")
        try:
            out = Path(tmp.name) / f"export{WRITERS[fmt].suffix}"
            with store() as s:
                export(s, fmt, str(out), options)
        except BaseException:
            tmp.cleanup()
            raise
        kind = {"csv": "text/csv", "plover": "application/json", "json": "application/json"}
        # sent in chunks from the file, which goes when the answer is sent
        return FileResponse(out, media_type=kind.get(fmt, "application/octet-stream"),
                            filename=f"blocwatch{WRITERS[fmt].suffix}",
                            background=BackgroundTask(tmp.cleanup))

    @app.post("/api/ingest", status_code=200)
    async def ingest_upload(request: Request) -> Response:
        """News into the store through the CLI's pipeline (read, clean, deduplicate, code,
        store in batches): one article as text/plain, text/html or text/markdown, records as
        application/json or application/x-ndjson (fields text, title, date, url, outlet),
        CSV as text/csv. Needs the server's --token as ``Authorization: Bearer``. Answers the
        ingest's counts, as ``blocwatch ingest --format json`` prints them."""
        writer(request)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in UPLOAD_SUFFIX:
            raise HTTPException(status_code=415, detail=f"content type {kind or '(none)'!r}; "
                                f"send one of {', '.join(UPLOAD_SUFFIX)}")
        body = await read_body(request)
        from starlette.concurrency import run_in_threadpool

        files_now = (*actor_files, *sorted(uploaded.glob("*.yaml")))
        return JSONResponse(await run_in_threadpool(_ingest_bytes, db, body,
                                                    UPLOAD_SUFFIX[kind], wait, files_now))

    @app.get("/api/actor-files")
    def actor_file_list(request: Request) -> Response:
        """The actor files uploaded to this server (used by POST /api/ingest)."""
        names = sorted(p.stem for p in uploaded.glob("*.yaml"))
        return answer(request, {"items": names})

    @app.put("/api/actor-files/{name}")
    async def actor_file_put(request: Request, name: str) -> Response:
        """An actor file (YAML, the format of the bundled reference data) for the ingests
        that follow. Checked before it is kept: a malformed file is a 400 naming the line."""
        writer(request)
        if not NAME.fullmatch(name):
            raise HTTPException(status_code=400, detail="name: 1-64 letters, digits, - or _")
        body = await read_body(request)
        from blocwatch.reference import ReferenceDataError, load_reference

        uploaded.mkdir(exist_ok=True)
        trial = uploaded / f".{name}.checking.yaml"
        trial.write_bytes(body)
        try:
            load_reference((*actor_files, trial))
        except (ReferenceDataError, ValueError, UnicodeError) as exc:
            trial.unlink()
            raise HTTPException(status_code=400,
                                detail=str(exc).replace(str(trial), name + ".yaml")) from None
        trial.replace(uploaded / f"{name}.yaml")
        return JSONResponse({"name": name, "bytes": len(body)})

    def writer(request: Request) -> None:
        """A write needs the server's token, sent as ``Authorization: Bearer``."""
        if not token:
            raise HTTPException(status_code=403, detail="this server is read-only; start it "
                                "with --token to accept writes")
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise HTTPException(status_code=401, detail="Authorization: Bearer <token> "
                                "missing or wrong", headers={"WWW-Authenticate": "Bearer"})

    async def read_body(request: Request) -> bytes:
        """The body, at most ``max_body`` bytes, all of it within ``body_seconds``: a client
        that trickles or stalls gets a 408 instead of holding a worker."""
        body = bytearray()
        deadline = time.monotonic() + body_seconds
        chunks = request.stream().__aiter__()
        while True:
            left = deadline - time.monotonic()
            try:
                if left <= 0:
                    raise TimeoutError
                chunk = await asyncio.wait_for(chunks.__anext__(), left)
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise HTTPException(status_code=408, detail="body too slow to arrive") from None
            body.extend(chunk)
            if len(body) > max_body:
                raise HTTPException(status_code=413, detail=f"body over {max_body} bytes")
        if not body.strip():
            raise HTTPException(status_code=400, detail="empty body")
        return bytes(body)

    return app


def _ingest_bytes(db: str, body: bytes, suffix: str, wait: float,
                  actor_files: tuple[Path, ...] = ()) -> dict[str, Any]:
    """One upload through :func:`blocwatch.pipeline.ingest_paths`, as a file named by its
    hash (the same upload twice stores nothing twice: the documents are exact duplicates)."""
    from blocwatch.pipeline import Hooks, IngestOptions, ingest_paths

    lines: list[str] = []

    class Collect(Hooks):
        def error(self, err: Any) -> None:
            lines.append(str(err))

    name = "upload-" + hashlib.sha256(body).hexdigest()[:16] + suffix
    with tempfile.TemporaryDirectory(prefix="blocwatch-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(body)
        with open_store(db, wait=wait) as s:
            report = ingest_paths(s, [str(path)], IngestOptions(actor_files=actor_files),
                                  hooks=Collect(), command="api ingest")
            total = s.count("documents")
    return {"ingested": report.ingested, "near_duplicates": report.near_duplicates,
            "duplicates": report.duplicates, "skipped": report.skipped,
            "coded_with_errors": len(report.coding_errors),
            "errors": [line.replace(tmp + "/", "") for line in lines][:50],
            "documents_in_store": total}
