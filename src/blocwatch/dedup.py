"""Near-duplicate detection: syndicated copies and lightly edited re-runs of one report.

A wire story reprinted by ten outlets is one report, not ten; counting it ten times is the
classic event-data inflation. Each body gets a MinHash signature over word shingles; locality
sensitive hashing (bands of the signature) finds candidates cheaply, and a candidate counts as a
near-duplicate when the estimated overlap reaches the threshold. Overlap is containment (shared
shingles over the smaller set), not Jaccard, because syndicated copies are often cut short.
"""

from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from blocwatch.document import normalise_body

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: pairs at Jaccard 0.5 are found with p > 0.85
ROWS = NUM_PERM // BANDS
SHINGLE = 5
DEFAULT_THRESHOLD = 0.7

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Fingerprint:
    signature: np.ndarray  # uint32[NUM_PERM]
    bands: tuple[int, ...]
    size: int  # number of distinct shingles

    def to_bytes(self) -> bytes:
        return np.concatenate([[self.size], self.signature]).astype("<u4").tobytes()


def fingerprint_from_bytes(data: bytes) -> Fingerprint:
    values = np.frombuffer(data, dtype="<u4")
    return Fingerprint(values[1:], (), int(values[0]))


def fingerprint(text: str) -> Fingerprint:
    """MinHash signature of the body's word shingles and its LSH band keys."""
    words = _WORD.findall(normalise_body(text))
    if len(words) <= SHINGLE:
        shingles = {" ".join(words)}
    else:
        shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    sig = mh.hashvalues.astype(np.uint32)
    bands = tuple(
        struct.unpack("<Q", hashlib.blake2b(sig[i * ROWS : (i + 1) * ROWS].tobytes(),
                                            digest_size=8, person=bytes([i])).digest())[0]
        for i in range(BANDS)
    )
    return Fingerprint(sig, bands, len(shingles))


def jaccard(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of two shingle sets."""
    return float(np.mean(a.signature == b.signature))


def overlap(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the smaller document's shingles found in the other (containment)."""
    j = jaccard(a, b)
    shared = j * (a.size + b.size) / (1 + j)
    return min(1.0, shared / max(1, min(a.size, b.size)))


class NearDuplicateIndex:
    """Finds, for each new document, the first stored or earlier copy it nearly duplicates.

    ``lookup`` is given candidate ids from the store; this class adds the documents seen in the
    current batch so that two copies arriving together are linked too.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        self._batch: dict[int, dict[int, list[str]]] = {}
        self._sigs: dict[str, tuple[Fingerprint, str | None]] = {}

    def remember(self, doc_id: str, fp: Fingerprint, duplicate_of: str | None) -> None:
        self._sigs[doc_id] = (fp, duplicate_of)
        for band, bucket in enumerate(fp.bands):
            self._batch.setdefault(band, {}).setdefault(bucket, []).append(doc_id)

    def add_known(self, known: dict[str, tuple[bytes, str | None]]) -> None:
        for doc_id, (sig, dup_of) in known.items():
            if doc_id not in self._sigs:
                self._sigs[doc_id] = (fingerprint_from_bytes(sig), dup_of)

    def match(self, fp: Fingerprint, stored: set[str]) -> tuple[str, float] | None:
        """Best original for this fingerprint among stored candidates and the batch so far."""
        candidates = set(stored)
        for band, bucket in enumerate(fp.bands):
            candidates.update(self._batch.get(band, {}).get(bucket, ()))
        best: tuple[str, float] | None = None
        for doc_id in candidates:
            entry = self._sigs.get(doc_id)
            if entry is None:
                continue
            other, dup_of = entry
            score = overlap(fp, other)
            if score >= self.threshold:
                original = dup_of or doc_id  # link to the first copy, not to another copy
                if best is None or score > best[1]:
                    best = (original, score)
        return best
