"""A camp switch told in dated articles, end to end: ingest -> code -> blocs -> shifts.

Veltria (a fictional state, added with a user actor file) stands with Russia and China in
January, wavers in February and sides with the United States and the European Union in March.
`blocwatch shifts` must name Veltria and the events behind the move. The articles are short
wire-style reports written for this test.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO

ACTORS = REPO / "tests" / "data" / "veltria_actors.yaml"

# (date, outlet, text): the two camps keep their ties all along; Veltria changes sides.
ARTICLES = [
    ("2025-01-06", "Atlas Wire", "Russia and China signed a new defence cooperation agreement "
     "in Moscow on Monday, officials said."),
    ("2025-01-08", "Harbour Times", "Veltria signed a military cooperation agreement with "
     "Russia on Wednesday. Russia delivered fighter jets and air defence systems to Veltria."),
    ("2025-01-15", "Atlas Wire", "China pledged economic aid to Veltria on Wednesday. Veltria "
     "condemned the United States for its naval exercises."),
    ("2025-01-20", "Meridian Post", "The United States imposed sanctions on Veltria on Monday. "
     "The European Union criticised Veltria for its arms purchases."),
    ("2025-01-22", "Harbour Times", "The United States and the European Union signed a trade "
     "agreement on Wednesday. Russia accused the United States of provoking the conflict."),
    ("2025-02-12", "Meridian Post", "Veltria's foreign minister met his American counterpart "
     "in Geneva on Wednesday for talks, officials said."),
    ("2025-03-03", "Atlas Wire", "Russia and China held joint naval exercises on Monday. "
     "The United States and the European Union agreed to coordinate sanctions on Russia."),
    ("2025-03-05", "Harbour Times", "Veltria signed a security agreement with the United "
     "States on Wednesday. The United States delivered military aid to Veltria."),
    ("2025-03-12", "Meridian Post", "The European Union provided economic aid to Veltria on "
     "Wednesday. Veltria accused Russia of interfering in its elections."),
    ("2025-03-19", "Atlas Wire", "Russia imposed sanctions on Veltria on Wednesday. China "
     "condemned Veltria for its agreement with the United States."),
    ("2025-03-26", "Harbour Times", "Veltria expelled Russian diplomats on Wednesday. Russia "
     "threatened Veltria with retaliation."),
]


def test_shifts_name_the_state_that_changed_camp(cli, tmp_path: Path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"date": d, "outlet": o, "text": t,
                                          "title": t.split(".")[0]})
                              for d, o, t in ARTICLES))
    result = cli("ingest", str(feed), "--actors", str(ACTORS))
    assert result.exit_code == 0, result.output
    january = json.loads(cli("blocs", "--since", "2025-01-01", "--until", "2025-01-31",
                             "--format", "json").output)
    march = json.loads(cli("blocs", "--since", "2025-03-01", "--until", "2025-03-31",
                           "--format", "json").output)

    def camp(blocs: list[dict], code: str) -> set[str]:
        for bloc in blocs:
            members = {m["code"] for m in bloc["members"]}
            if code in members:
                return members
        return set()

    assert "RUS" in camp(january, "XVL") and "USA" not in camp(january, "XVL")
    assert "USA" in camp(march, "XVL") and "RUS" not in camp(march, "XVL")

    [shifts] = json.loads(cli("shifts", "--from", "2025-01", "--to", "2025-03",
                              "--format", "json").output)
    [moved] = [row for row in shifts["changed_bloc"] if row["code"] == "XVL"]
    assert {"RUS", "CHN"} <= set(moved["left"]) and "USA" in moved["joined"]
    quoted = " ".join(s["text"] for e in moved["evidence"] for s in e["sentences"])
    assert "Veltria" in quoted  # the events behind the move, with their sentences
    table = cli("shifts", "--from", "2025-01", "--to", "2025-03").output
    assert "XVL" in table.split("Actors that changed bloc", 1)[1].split("Dyads", 1)[0]
