"""Golden files for fixture packs: raw little-endian arrays + goldens/goldens.json cases."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

_EXT = {"uint8": "u8", "float32": "f32", "float16": "f16", "int64": "i64"}


class GoldenWriter:
    def __init__(self, pack_dir: Path):
        self.dir = pack_dir / "goldens"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.cases: list[dict] = []

    def array(self, name: str, a, dtype: str) -> dict:
        """Write ``a`` as raw little-endian ``dtype``; returns the {file, dtype, shape} reference."""
        if isinstance(a, torch.Tensor):
            a = a.detach().cpu().numpy()
        arr = np.ascontiguousarray(np.asarray(a).astype(np.dtype(dtype).newbyteorder("<")))
        file = f"{name}.{_EXT[dtype]}"
        (self.dir / file).write_bytes(arr.tobytes())
        return {"file": file, "dtype": dtype, "shape": list(arr.shape)}

    def case(self, **fields) -> dict:
        self.cases.append(fields)
        return fields

    def write(self, note: str) -> str:
        (self.dir / "goldens.json").write_text(json.dumps({"note": note, "cases": self.cases}, indent=1) + "\n", encoding="utf-8")
        return "goldens/goldens.json"


def synthetic_chip(h: int, w: int, seed: int) -> np.ndarray:
    """Deterministic uint8 [h,w,3] chip: gradients, stripes, a bright disc (a 'pond') and noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 40 + 150 * xx / max(w - 1, 1) + 20 * np.sin(yy / 7.0 + seed)
    g = 60 + 120 * yy / max(h - 1, 1) + 25 * np.sign(np.sin(xx / 11.0))
    b = 90 + 60 * np.cos((xx + yy) / 23.0 + seed)
    cy, cx, rad = h * (0.3 + 0.1 * seed % 3), w * 0.6, min(h, w) * 0.15
    disc = (yy - cy) ** 2 + (xx - cx) ** 2 < rad**2
    b = np.where(disc, 220.0, b)
    g = np.where(disc, 80.0, g)
    chip = np.stack([r, g, b], axis=-1) + rng.normal(0, 8, size=(h, w, 3))
    return np.clip(np.rint(chip), 0, 255).astype(np.uint8)
