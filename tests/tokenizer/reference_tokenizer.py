#!/usr/bin/python3
"""Reference for the OpenAI convention: a faithful re-implementation of OpenAI CLIP's
clip/simple_tokenizer.py (also open_clip's), written for this project's tests.

Same code path as the original (bytes_to_unicode, vocab rebuilt from the merges, the cached BPE
loop, html.unescape twice, the `regex` module's \\s and \\p{..} classes, re.IGNORECASE), with one
documented gap: ftfy is not packaged for Debian, so `ftfy.fix_text` is skipped. Callers give an
`ftfyEquivalent` text (what ftfy would have produced) for inputs that ftfy would change.

Usage: echo '{"dir": "...", "texts": ["a photo of a cat"]}' | /usr/bin/python3 reference_tokenizer.py
Prints a JSON list of id lists, start and end tokens included, neither truncated nor padded.
Needs Debian's python3-regex (apt-get install python3-regex).
"""
import html
import json
import os
import sys

import regex as re


def bytes_to_unicode():
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(2**8):
        if b not in bs:
            bs.append(b)
            cs.append(2**8 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def get_pairs(word):
    pairs = set()
    prev_char = word[0]
    for char in word[1:]:
        pairs.add((prev_char, char))
        prev_char = char
    return pairs


def basic_clean(text):
    # OpenAI: text = ftfy.fix_text(text)  -- skipped, see the module docstring.
    text = html.unescape(html.unescape(text))
    return text.strip()


def whitespace_clean(text):
    text = re.sub(r'\s+', ' ', text)
    return text.strip()


class SimpleTokenizer:
    def __init__(self, merges_path):
        self.byte_encoder = bytes_to_unicode()
        with open(merges_path, encoding='utf-8') as f:
            merges = f.read().split('\n')
        merges = merges[1:49152 - 256 - 2 + 1]
        merges = [tuple(merge.split()) for merge in merges]
        vocab = list(bytes_to_unicode().values())
        vocab = vocab + [v + '</w>' for v in vocab]
        for merge in merges:
            vocab.append(''.join(merge))
        vocab.extend(['<|startoftext|>', '<|endoftext|>'])
        self.encoder = dict(zip(vocab, range(len(vocab))))
        self.bpe_ranks = dict(zip(merges, range(len(merges))))
        self.cache = {'<|startoftext|>': '<|startoftext|>', '<|endoftext|>': '<|endoftext|>'}
        self.pat = re.compile(
            r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
            re.IGNORECASE,
        )

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + '</w>',)
        pairs = get_pairs(word)
        if not pairs:
            return token + '</w>'
        while True:
            bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float('inf')))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                    new_word.extend(word[i:j])
                    i = j
                except ValueError:
                    new_word.extend(word[i:])
                    break
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        word = ' '.join(word)
        self.cache[token] = word
        return word

    def encode(self, text):
        bpe_tokens = []
        text = whitespace_clean(basic_clean(text)).lower()
        for token in re.findall(self.pat, text):
            token = ''.join(self.byte_encoder[b] for b in token.encode('utf-8'))
            bpe_tokens.extend(self.encoder[bpe_token] for bpe_token in self.bpe(token).split(' '))
        return bpe_tokens


def main():
    req = json.load(sys.stdin)
    tok = SimpleTokenizer(os.path.join(req['dir'], 'merges.txt'))
    with open(os.path.join(req['dir'], 'vocab.json'), encoding='utf-8') as f:
        if json.load(f) != tok.encoder:
            sys.exit('reference_tokenizer: vocab.json differs from the vocabulary rebuilt from merges.txt')
    sot, eot = tok.encoder['<|startoftext|>'], tok.encoder['<|endoftext|>']
    json.dump([[sot] + tok.encode(t) + [eot] for t in req['texts']], sys.stdout)


if __name__ == '__main__':
    main()
