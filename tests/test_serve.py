"""`blocwatch serve`: the read-only REST API over a real DuckDB store, through FastAPI's test
client (issue 11, first part)."""

from __future__ import annotations

import pytest

from tests.eventdb import EventDB


@pytest.fixture
def client(tmp_path):
    from fastapi.testclient import TestClient

    from blocwatch.serve import create_app

    db = EventDB(tmp_path / "api.duckdb")
    a = db.doc("Atlas", "2024-02-10", url="https://atlas.example/1", text="one")
    b = db.doc("Borealis", "2024-05-02", text="two")
    db.event(a, "AID", "PRK", "RUS", date="2024-02-10", mode="military")
    db.event(a, "SUPPORT", "PRK", "RUS", date="2024-02-10")
    db.event(b, "ASSAULT", "RUS", "UKR", date="2024-05-02", goldstein=-10.0)
    db.event(b, "AID", "USA", "UKR", date="2024-05-02")
    db.flush()
    db.store.close()
    return TestClient(create_app(str(tmp_path / "api.duckdb")))


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
