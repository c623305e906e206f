"""A small CLIP-format BPE tokenizer, generated here, for fixture packs on machines without
OpenAI's CLIP vocabulary files (they are third-party data this project does not commit).

Same layout as CLIP's ``vocab.json`` / ``merges.txt``: ids 0-255 are the byte characters, 256-511
the same with ``</w>``, then one id per merge in rank order, and ``<|startoftext|>`` = 49406,
``<|endoftext|>`` = 49407. Merges are learnt greedily (classic BPE training) from a word list, so
the TypeScript tokenizer's merge loop, word-end handling and byte fallback are all exercised.
Every id stays below 49408, the text encoder's vocabulary size.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from clip_bpe import EOT, SOT, bytes_to_unicode, pre_tokenize

# Words the fixture goldens and tests use, plus GIS vocabulary (the starter pack's concepts).
WORDS = (
    "ponds solar farms center-pivot irrigation a photo of a cat water pond lake lakes river wetland "
    "vegetation trees forest grass crops field fields bare soil sand buildings roofs built-up roads "
    "pavement shadow cloud clouds snow swimming pools parking lots farmland orchard"
)


def _corpus(text: str) -> Counter[tuple[str, ...]]:
    byte_map = bytes_to_unicode()
    words: Counter[tuple[str, ...]] = Counter()
    for tok in pre_tokenize(text.lower()):
        chars = [byte_map[b] for b in tok.encode("utf-8")]
        words[tuple(chars[:-1] + [chars[-1] + "</w>"])] += 1
    return words


def write_synthetic_tokenizer(out_dir: Path, text: str = WORDS) -> Path:
    """Writes vocab.json and merges.txt into out_dir (deterministic) and returns out_dir."""
    chars = [bytes_to_unicode()[b] for b in range(256)]
    tokens = chars + [c + "</w>" for c in chars]
    words = _corpus(text)
    merges: list[tuple[str, str]] = []
    while True:
        pairs: Counter[tuple[str, str]] = Counter()
        for w, n in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += n
        if not pairs:
            break
        # Most frequent pair; ties broken by the pair itself so the output is deterministic.
        (a, b), _ = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        merges.append((a, b))
        tokens.append(a + b)
        merged: Counter[tuple[str, ...]] = Counter()
        for w, n in words.items():
            out, k = [], 0
            while k < len(w):
                if k < len(w) - 1 and w[k] == a and w[k + 1] == b:
                    out.append(a + b)
                    k += 2
                else:
                    out.append(w[k])
                    k += 1
            merged[tuple(out)] += n
        words = merged
    vocab = {t: i for i, t in enumerate(tokens)}
    assert len(vocab) < 49406, "synthetic vocabulary must stay below the special ids"
    vocab[SOT], vocab[EOT] = 49406, 49407
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out_dir / "merges.txt").write_text("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges), encoding="utf-8")
    return out_dir
