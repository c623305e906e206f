"""Reading checkpoints (PyTorch pickles, TorchScript archives, safetensors) into flat state dicts."""
from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

import numpy as np
import torch


class CheckpointError(Exception):
    """A checkpoint that cannot be exported; the message is shown to the user as is."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_ST_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def _read_safetensors(path: Path) -> dict[str, torch.Tensor]:
    """safetensors: u64 little-endian header length, JSON header, raw little-endian data."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = info["dtype"]
        a, b = info["data_offsets"]
        if dtype == "BF16":
            raw = np.frombuffer(data[a:b], dtype=np.uint16).astype(np.uint32) << 16
            arr = raw.view(np.float32)
        elif dtype in _ST_DTYPES:
            arr = np.frombuffer(data[a:b], dtype=_ST_DTYPES[dtype])
        else:
            raise CheckpointError(f"{path.name}: tensor {name} has unsupported dtype {dtype}")
        out[name] = torch.from_numpy(arr.reshape(info["shape"]).copy())
    return out


def _unwrap(obj, path: Path) -> dict[str, torch.Tensor]:
    if isinstance(obj, torch.nn.Module):
        return obj.state_dict()
    if isinstance(obj, dict):
        for key in ("state_dict", "model", "model_state_dict", "module"):
            inner = obj.get(key)
            if isinstance(inner, (dict, torch.nn.Module)) and not isinstance(inner, torch.Tensor):
                return _unwrap(inner, path)
        return {k: v for k, v in obj.items() if isinstance(v, torch.Tensor)}
    raise CheckpointError(f"{path.name}: expected a state dict, found {type(obj).__name__}")


def load_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """Flat name -> float32 tensor map of a checkpoint file (.pt/.pth/.bin/.ckpt/.safetensors)."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file")
    if path.suffix == ".safetensors":
        sd = _read_safetensors(path)
    else:
        try:
            obj = torch.load(path, map_location="cpu")
        except RuntimeError as e:
            # OpenAI's released CLIP .pt files are TorchScript archives.
            if "TorchScript" not in str(e) and "jit" not in str(e):
                raise CheckpointError(f"{path.name}: cannot read ({e})") from None
            obj = torch.jit.load(str(path), map_location="cpu")
        except Exception as e:  # pickle errors, truncated files
            raise CheckpointError(f"{path.name}: cannot read as a PyTorch checkpoint ({e})") from None
        sd = _unwrap(obj, path)
    return {k: (v.float() if v.is_floating_point() else v) for k, v in sd.items()}


def find_prefix(keys: list[str], anchor: str) -> str | None:
    """The prefix (e.g. 'module.', 'model.visual.') under which ``anchor`` occurs, shortest first."""
    hits = sorted((k[: -len(anchor)] for k in keys if k.endswith(anchor)), key=len)
    return hits[0] if hits else None


def strict_load(module: torch.nn.Module, sd: dict[str, torch.Tensor], what: str, ignore: set[str] = frozenset()) -> None:
    """Load ``sd`` into ``module``; list missing / unexpected / mis-shaped keys in one message."""
    own = module.state_dict()
    missing = sorted(set(own) - set(sd))
    unexpected = sorted(set(sd) - set(own) - set(ignore))
    shapes = [
        f"{k}: checkpoint {tuple(sd[k].shape)} vs model {tuple(own[k].shape)}"
        for k in sorted(set(own) & set(sd))
        if tuple(own[k].shape) != tuple(sd[k].shape)
    ]
    if missing or unexpected or shapes:
        def block(title: str, items: list[str]) -> str:
            if not items:
                return ""
            more = f"\n    … and {len(items) - 20} more" if len(items) > 20 else ""
            return f"\n  {title} ({len(items)}):\n    " + "\n    ".join(items[:20]) + more

        raise CheckpointError(
            f"{what}: checkpoint does not match the model"
            + block("missing keys", missing)
            + block("unexpected keys", unexpected)
            + block("shape mismatches", shapes)
        )
    module.load_state_dict({k: v for k, v in sd.items() if k in own}, strict=True)
