"""A minimal BERT encoder in torch that loads all-MiniLM-L6-v2's safetensors (for tune.py)."""

import math

import torch
import torch.nn as nn
from safetensors.torch import load_file


class Layer(nn.Module):
    def __init__(s, d=384, h=12, ff=1536):
        super().__init__()
        s.h = h
        s.q = nn.Linear(d, d)
        s.k = nn.Linear(d, d)
        s.v = nn.Linear(d, d)
        s.o = nn.Linear(d, d)
        s.ln1 = nn.LayerNorm(d, eps=1e-12)
        s.i = nn.Linear(d, ff)
        s.out = nn.Linear(ff, d)
        s.ln2 = nn.LayerNorm(d, eps=1e-12)

    def forward(s, x, mask):
        B, T, D = x.shape
        hd = D // s.h
        q = s.q(x).view(B, T, s.h, hd).transpose(1, 2)
        k = s.k(x).view(B, T, s.h, hd).transpose(1, 2)
        v = s.v(x).view(B, T, s.h, hd).transpose(1, 2)
        a = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + mask
        c = (a.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D)
        x = s.ln1(x + s.o(c))
        return s.ln2(x + s.out(nn.functional.gelu(s.i(x))))


class Bert(nn.Module):
    def __init__(s, vocab=30522, d=384, L=6):
        super().__init__()
        s.we = nn.Embedding(vocab, d)
        s.pe = nn.Embedding(512, d)
        s.te = nn.Embedding(2, d)
        s.ln = nn.LayerNorm(d, eps=1e-12)
        s.layers = nn.ModuleList([Layer() for _ in range(L)])

    def forward(s, ids, att):
        T = ids.shape[1]
        x = s.ln(s.we(ids) + s.pe(torch.arange(T))[None] + s.te(torch.zeros_like(ids)))
        mask = (1.0 - att[:, None, None, :].float()) * -1e4
        for layer in s.layers:
            x = layer(x, mask)
        return x


def load(path):
    sd = load_file(path)
    m = Bert()
    new = {}
    for k, v in sd.items():
        k2 = (
            k.replace("embeddings.word_embeddings", "we")
            .replace("embeddings.position_embeddings", "pe")
            .replace("embeddings.token_type_embeddings", "te")
            .replace("embeddings.LayerNorm", "ln")
        )
        k2 = (
            k2.replace("encoder.layer.", "layers.")
            .replace("attention.self.query", "q")
            .replace("attention.self.key", "k")
            .replace("attention.self.value", "v")
            .replace("attention.output.dense", "o")
            .replace("attention.output.LayerNorm", "ln1")
            .replace("intermediate.dense", "i")
            .replace("output.dense", "out")
            .replace("output.LayerNorm", "ln2")
        )
        k2 = k2.replace(".gamma", ".weight").replace(".beta", ".bias")
        new[k2] = v
    m.load_state_dict(
        {k: v for k, v in new.items() if not k.startswith("pooler") and "position_ids" not in k},
        strict=True,
    )
    return m
