"""Compact CLIP byte-level BPE tokenizer (reads the standard vocab.json + merges.txt).

Used only to make the text goldens of the fixture packs; the app has its own TypeScript
tokenizer. Cleaning is OpenAI-style without ftfy (not installed): HTML unescape, whitespace
folding, lower-casing. For plain ASCII text this equals both OpenAI CLIP and Hugging Face
CLIPTokenizer; tests/export checks it against the public reference vectors.
"""
from __future__ import annotations

import html
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

SOT, EOT = "<|startoftext|>", "<|endoftext|>"
CONTRACTIONS = ("re", "ve", "ll", "s", "t", "m", "d")


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2 byte -> printable character map (every byte gets a visible stand-in)."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


def _is_number(ch: str) -> bool:
    return unicodedata.category(ch).startswith("N")


def pre_tokenize(text: str) -> list[str]:
    """Split like CLIP's regex: specials | 's 't 're 've 'm 'll 'd | letters+ | one digit | other+."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        special = next((s for s in (SOT, EOT) if text.startswith(s, i)), None)
        if special:
            out.append(special)
            i += len(special)
            continue
        if ch == "'":
            c = next((c for c in CONTRACTIONS if text.startswith(c, i + 1)), None)
            if c:
                out.append("'" + c)
                i += 1 + len(c)
                continue
        if ch.isspace():
            i += 1
        elif _is_letter(ch):
            j = i + 1
            while j < n and _is_letter(text[j]):
                j += 1
            out.append(text[i:j])
            i = j
        elif _is_number(ch):
            out.append(ch)
            i += 1
        else:
            j = i + 1
            while j < n and not (text[j].isspace() or _is_letter(text[j]) or _is_number(text[j])):
                j += 1
            out.append(text[i:j])
            i = j
    return out


class ClipBpe:
    def __init__(self, vocab_path: Path, merges_path: Path):
        self.encoder: dict[str, int] = json.loads(Path(vocab_path).read_text(encoding="utf-8"))
        lines = Path(merges_path).read_text(encoding="utf-8").split("\n")
        merges = [tuple(l.split()) for l in lines[1:] if l.strip() and not l.startswith("#version")]
        self.ranks = {m: r for r, m in enumerate(merges)}
        self.byte_map = bytes_to_unicode()
        self.sot, self.eot = self.encoder[SOT], self.encoder[EOT]
        self.bpe = lru_cache(maxsize=4096)(self._bpe)

    def _bpe(self, token: str) -> tuple[str, ...]:
        word = list(token[:-1]) + [token[-1] + "</w>"]
        while len(word) > 1:
            pairs = [(self.ranks.get((a, b), 1 << 30), k) for k, (a, b) in enumerate(zip(word, word[1:]))]
            rank, k = min(pairs)
            if rank == 1 << 30:
                break
            a, b = word[k], word[k + 1]
            merged, k = [], 0
            while k < len(word):
                if k < len(word) - 1 and word[k] == a and word[k + 1] == b:
                    merged.append(a + b)
                    k += 2
                else:
                    merged.append(word[k])
                    k += 1
            word = merged
        return tuple(word)

    @staticmethod
    def clean(text: str) -> str:
        text = html.unescape(html.unescape(text)).strip()
        return " ".join(text.split()).lower()

    def encode(self, text: str) -> list[int]:
        """Token ids with start and end tokens, no padding, no truncation."""
        ids = [self.sot]
        for tok in pre_tokenize(self.clean(text)):
            if tok in (SOT, EOT):
                ids.append(self.encoder[tok])
                continue
            mapped = "".join(self.byte_map[b] for b in tok.encode("utf-8"))
            ids.extend(self.encoder[p] for p in self.bpe(mapped))
        return ids + [self.eot]

    def encode_padded(self, text: str, context: int = 77, pad: str = "zeros") -> list[int]:
        """[context] ids: truncated keeping the end token; padded with 0 ("zeros", OpenAI) or the
        end token 49407 ("eot", Hugging Face)."""
        ids = self.encode(text)
        if len(ids) > context:
            ids = ids[: context - 1] + [self.eot]
        fill = 0 if pad == "zeros" else self.eot
        return ids + [fill] * (context - len(ids))
