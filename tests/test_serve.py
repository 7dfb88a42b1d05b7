"""`blocwatch serve`: the read-only REST API over a real DuckDB store, through FastAPI's test
client (issue 11, first part)."""

from __future__ import annotations

import json

import pytest

from tests.eventdb import EventDB


@pytest.fixture
def client(store_url):
    from fastapi.testclient import TestClient

    from blocwatch.serve import create_app

    db = EventDB(store_url)
    a = db.doc("Atlas", "2024-02-10", url="https://atlas.example/1", text="one")
    b = db.doc("Borealis", "2024-05-02", text="two")
    db.event(a, "AID", "PRK", "RUS", date="2024-02-10", mode="military")
    db.event(a, "SUPPORT", "PRK", "RUS", date="2024-02-10")
    db.event(b, "ASSAULT", "RUS", "UKR", date="2024-05-02", goldstein=-10.0)
    db.event(b, "AID", "USA", "UKR", date="2024-05-02")
    db.flush()
    db.store.close()
    return TestClient(create_app(store_url))


def test_health_and_schema(client):
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["documents"] == 2 and health["events"] == 4
    schema = client.get("/openapi.json").json()
    assert {"/api/events", "/api/documents/{doc_id}", "/api/blocs"} <= set(schema["paths"])
    docs = client.get("/docs")  # Swagger UI from fastapi-offline's files, not a CDN
    assert docs.status_code == 200 and "/static-offline-docs/swagger-ui-bundle.js" in docs.text


def test_events_take_the_cli_filters(client):
    def types(**params) -> list[str]:
        r = client.get("/api/events", params=params)
        assert r.status_code == 200, r.text
        return sorted(e["type"] for e in r.json()["items"])

    assert types(actor="North Korea") == ["AID", "SUPPORT"]
    assert types(type="aid") == ["AID", "AID"]
    assert types(since="2024-Q2") == ["AID", "ASSAULT"]
    assert types(source="Russia") == ["ASSAULT"]
    assert types(source="USA", target="Ukraine") == ["AID"]


def test_pages_follow_the_cursor(client):
    first = client.get("/api/events", params={"limit": 3}).json()
    assert len(first["items"]) == 3 and first["next"]
    rest = client.get("/api/events", params={"limit": 3, "cursor": first["next"]}).json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    ids = [e["id"] for e in first["items"] + rest["items"]]
    assert len(set(ids)) == 4


def test_etag_gives_304(client):
    r = client.get("/api/events")
    tag = r.headers["etag"]
    again = client.get("/api/events", headers={"If-None-Match": tag})
    assert again.status_code == 304 and not again.content


def test_documents_and_one_document_with_its_events(client):
    docs = client.get("/api/documents").json()["items"]
    assert sorted(d["outlet"] for d in docs) == ["Atlas", "Borealis"]
    assert all("text" not in d for d in docs)
    one = client.get(f"/api/documents/{docs[0]['id']}").json()
    assert one["text"] and one["events"] and "mentions" in one
    event_id = one["events"][0]["id"]
    assert client.get(f"/api/events/{event_id}").json()["id"] == event_id


def test_dyads_and_blocs(client):
    series = client.get("/api/dyads", params={"source": "North Korea",
                                              "target": "Russia"}).json()["items"]
    assert series and series[0]["stories"] >= 1
    blocs = client.get("/api/blocs").json()["items"]
    members = {m["code"] for b in blocs for m in b["members"]}
    assert {"PRK", "RUS"} <= members


@pytest.mark.parametrize(("path", "params"), [
    ("/api/events", {"actor": "PRK' OR 1=1 --"}),
    ("/api/events", {"type": "AID'); DROP TABLE events; --"}),
    ("/api/events", {"since": "2024-01-01'; DELETE FROM documents"}),
    ("/api/events", {"cursor": "not-a-cursor"}),
    ("/api/events", {"limit": "100000"}),
    ("/api/dyads", {"window": "decade"}),
    ("/api/documents/..%2F..%2Fetc%2Fpasswd", {}),
    ("/api/documents/x", {}),
    ("/api/events/' OR '1'='1", {}),
    ("/api/events", {"actor": "x" * 20_000}),
    ("/api/documents", {"since": "2024-01-01 UNION SELECT * FROM events"}),
    ("/api/stories", {"actor": "<script>alert(1)</script>"}),
    ("/api/shifts", {"from": "2024'; DROP TABLE events; --", "to": "2024"}),
    ("/api/actors/PRK%27%20OR%20%271%27=%271", {}),
    ("/api/actors", {"cursor": "LTE="}),
    ("/api/blocs", {"type": "' OR 1=1"}),
    ("/api/views/network", {"since": "1' OR '1'='1"}),
    ("/api/views/timeline", {"source": "RUS'--", "target": "UKR"}),
    ("/api/views/timeline", {"source": "RUS", "target": "UKR", "window": "x;y"}),
    ("/api/export/..%2F..%2Fetc%2Fpasswd", {}),
    ("/static/..%2Fserve.py", {}),
    ("/static/index.html", {}),
])
def test_probes_are_refused_with_4xx(client, path, params):
    r = client.get(path, params=params)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    assert client.get("/api/health").json()["events"] == 4  # nothing changed


def test_stories_shifts_profile_and_exports(client):
    stories = client.get("/api/stories", params={"actor": "Russia"}).json()["items"]
    assert {s["type"] for s in stories} == {"AID", "SUPPORT", "ASSAULT"}
    assert all(s["evidence"] for s in stories)
    shifts = client.get("/api/shifts", params={"from": "2024-Q1", "to": "2024-Q2"}).json()
    assert shifts["from"]["label"] == "2024-Q1" and "dyads" in shifts
    assert client.get("/api/shifts", params={"from": "someday", "to": "2024"}).status_code == 400
    profile = client.get("/api/actors/North Korea").json()
    assert profile["code"] == "PRK"
    assert client.get("/api/actors/Narnia").status_code == 400
    csv_text = client.get("/api/export/csv").text
    assert csv_text.splitlines()[0].startswith("id,") and len(csv_text.splitlines()) == 5
    plover = client.get("/api/export/plover").json()
    assert {r["event"] for r in plover} == {"AID", "SUPPORT", "ASSAULT"}
    assert client.get("/api/export/../../etc/passwd").status_code == 404
    assert client.get("/api/export/pdf").status_code == 404


def _writable(store_url, **kwargs):
    from fastapi.testclient import TestClient

    from blocwatch.serve import create_app

    db = EventDB(store_url)
    db.flush()
    db.store.close()
    return TestClient(create_app(store_url, token="s3cret-token-0123456789",
                                 **kwargs))


ARTICLE = ("Japan pledged $500 million in aid to Ukraine on Tuesday, Prime Minister Fumio "
           "Kishida said in Tokyo, adding that the money would help rebuild power plants.")


def test_ingest_needs_the_token_and_goes_through_the_pipeline(store_url):
    client = _writable(store_url)
    assert client.get("/api/health").json()["documents"] == 0  # answered, and kept
    body = {"content": ARTICLE.encode(), "headers": {"Content-Type": "text/plain"}}
    assert client.post("/api/ingest", **body).status_code == 401
    bad = {"Authorization": "Bearer wrong-token-0123456789", "Content-Type": "text/plain"}
    assert client.post("/api/ingest", content=ARTICLE.encode(), headers=bad).status_code == 401
    auth = {"Authorization": "Bearer s3cret-token-0123456789"}
    r = client.post("/api/ingest", content=ARTICLE.encode(),
                    headers={**auth, "Content-Type": "text/plain"})
    assert r.status_code == 200, r.text
    assert r.json()["ingested"] == 1 and r.json()["documents_in_store"] == 1
    # the kept answer is not served once the store has changed
    assert client.get("/api/health").json()["documents"] == 1
    events = client.get("/api/events", params={"actor": "JPN"}).json()["items"]
    assert any(e["type"] == "AGREE" or e["type"] == "AID" for e in events), events
    # the same upload again stores nothing twice
    again = client.post("/api/ingest", content=ARTICLE.encode(),
                        headers={**auth, "Content-Type": "text/plain"}).json()
    assert again["ingested"] == 0 and again["documents_in_store"] == 1
    # JSON lines, one bad record: named, the good one stored
    lines = (json.dumps({"text": ARTICLE.replace("Japan", "Canada").replace(
        "Fumio Kishida", "Justin Trudeau").replace("Tokyo", "Ottawa"), "date": "2024-03-05"})
        + "\n{not json\n")
    r = client.post("/api/ingest", content=lines.encode(),
                    headers={**auth, "Content-Type": "application/x-ndjson"}).json()
    assert r["ingested"] == 1 and r["skipped"] == 1 and len(r["errors"]) == 1
    assert r["errors"][0].startswith("upload-") and ".jsonl:2: malformed JSON" in r["errors"][0]
    assert client.post("/api/ingest", content=b"x", headers={
        **auth, "Content-Type": "image/png"}).status_code == 415
    assert client.post("/api/ingest", content=b"  ", headers={
        **auth, "Content-Type": "text/plain"}).status_code == 400


def test_read_only_without_a_token_and_bodies_capped(client, tmp_path, store_url):
    r = client.post("/api/ingest", content=ARTICLE.encode(),
                    headers={"Content-Type": "text/plain"})
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    small = _writable(store_url, max_body=1000)
    r = small.post("/api/ingest", content=b"x" * 5000, headers={
        "Authorization": "Bearer s3cret-token-0123456789", "Content-Type": "text/plain"})
    assert r.status_code == 413


def test_cors_only_when_asked(client, tmp_path, store_url):
    origin = {"Origin": "https://newsroom.example"}
    assert "access-control-allow-origin" not in client.get("/api/health", headers=origin).headers
    allowed = _writable(store_url, cors=("https://newsroom.example",))
    r = allowed.get("/api/health", headers=origin)
    assert r.headers["access-control-allow-origin"] == "https://newsroom.example"


def test_export_is_streamed_from_a_file(client):
    r = client.get("/api/export/csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.text.count("\n") >= 2


def test_actor_files_are_checked_kept_and_used_by_ingest(tmp_path, store_url):
    # a file store keeps them beside the file; a PostgreSQL one where it is told
    client = _writable(store_url, **({"actors_dir": tmp_path / "actors"}
                                     if store_url.startswith("postgresql://") else {}))
    auth = {"Authorization": "Bearer s3cret-token-0123456789"}
    good = ("groups:\n  - id: NCMIL\n    name: Northern Coast Militia\n    sector: REB\n"
            "    country: NGA\n    active: [2020, null]\n")
    assert client.put("/api/actor-files/militias", content=good.encode()).status_code == 401
    bad = client.put("/api/actor-files/militias", content=b"groups: [{code: }]\n",
                     headers=auth)
    assert bad.status_code == 400 and "militias.yaml" in bad.json()["detail"]
    assert client.put("/api/actor-files/../x", content=good.encode(),
                      headers=auth).status_code in (400, 404)
    r = client.put("/api/actor-files/militias", content=good.encode(), headers=auth)
    assert r.status_code == 200, r.text
    assert client.get("/api/actor-files").json()["items"] == ["militias"]
    text = ("The Northern Coast Militia attacked Nigerian soldiers near Port Harcourt on "
            "Monday, the army said.")
    done = client.post("/api/ingest", content=text.encode(),
                       headers={**auth, "Content-Type": "text/plain"}).json()
    assert done["ingested"] == 1
    doc = client.get("/api/documents").json()["items"][0]
    mentions = client.get(f"/api/documents/{doc['id']}").json()["mentions"]
    assert any(m["text"] == "Northern Coast Militia" and m["code"] == "NGA" and
               m["sector"] == "REB" for m in mentions), mentions


def test_a_body_that_stalls_gets_408(tmp_path):
    """A live server: a client that sends its headers and a little of its body, then stops,
    is answered 408 within the server's body time, and the server goes on answering."""
    import socket
    import threading
    import time

    import uvicorn

    from blocwatch.serve import create_app

    db = EventDB(tmp_path / "s.duckdb")
    db.flush()
    db.store.close()
    app = create_app(str(tmp_path / "s.duckdb"), token="s3cret-token-0123456789",
                     body_seconds=1.0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            c.sendall(b"POST /api/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                      b"Authorization: Bearer s3cret-token-0123456789\r\n"
                      b"Content-Length: 1000\r\n\r\nJapan sent")
            started = time.monotonic()
            answer = c.recv(4096).decode()
            waited = time.monotonic() - started
        assert answer.startswith("HTTP/1.1 408"), answer
        assert 0.5 < waited < 8
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            c.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert c.recv(4096).decode().startswith("HTTP/1.1 200")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
