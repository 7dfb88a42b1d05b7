"""Dump the corpus candidates, labelled as make model labels them, with the shipped model's
verdicts for comparison, as JSONL for probe.py. Run with the project's venv:
    .venv/bin/python tools/finetune/dump.py   (writes $FINETUNE_DIR, default /tmp/blocwatch-finetune)
"""

import json
import os
import time

from blocwatch.actors import get_coder
from blocwatch.events import corpus as corpus_mod
from blocwatch.events.encoder import get_encoder
from blocwatch.events.model import NONE, _span, default_model, phrase_text
from blocwatch.events.train import build_inputs, samples_of
from blocwatch.passes import Passes

OUT = os.environ.get("FINETUNE_DIR", "/tmp/blocwatch-finetune")
os.makedirs(OUT, exist_ok=True)
t0 = time.time()
passes = Passes(get_coder())
records = corpus_mod.load("codebook")
indep = corpus_mod.load("independent")
split = {k: [r for r in records if r.split == k] for k in ("train", "dev", "test")}
split["independent"] = indep
model = default_model()
for name, recs in split.items():
    samples, stats = samples_of(recs, passes, role_labels="borrowed")
    feats, dense, rules = build_inputs(samples, model, get_encoder())
    preds = model.predict_inputs(feats, dense, rules)
    with open(f"{OUT}/{name}.jsonl", "w") as fh:
        for s, f, p in zip(samples, feats, preds, strict=False):
            v, fr = s.view, s.frame
            t = fr.trigger
            g = s.gold
            fh.write(
                json.dumps(
                    {
                        "rid": s.record.id,
                        "text": v.text,
                        "trig": [t.idx, t.idx + len(t.text)],
                        "src": list(_span(v, fr.source.args)),
                        "tgt": list(_span(v, fr.target.args)),
                        "phrase": phrase_text(fr),
                        "feats": f,
                        "type": g.type if g else NONE,
                        "mode": f"{g.type}:{g.mode or ''}" if g else None,
                        "modality": g.modality if g else None,
                        "background": g.background if g else None,
                        "lr_type": p.type,
                        "lr_p": p.p_event,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(name, len(samples), stats, f"{time.time() - t0:.0f}s", flush=True)
