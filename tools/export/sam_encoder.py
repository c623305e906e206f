"""SAM image encoder (ViT with windowed/global attention and a neck), segment-anything layout
(``image_encoder.*``): image float[1,3,S,S] normalised -> image_embeddings float[1,256,S/16,S/16].
Also the small layers the decoder shares (LayerNorm2d, MLPBlock)."""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict, field

import torch
import torch.nn.functional as F
from torch import nn


class LayerNorm2d(nn.Module):
    """LayerNorm over the channel axis of an NCHW tensor."""

    def __init__(self, channels: int, eps: float = 1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mu = x.mean(1, keepdim=True)
        var = (x - mu).pow(2).mean(1, keepdim=True)
        x = (x - mu) / torch.sqrt(var + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


class MLPBlock(nn.Module):
    def __init__(self, dim: int, hidden: int, act: type[nn.Module] = nn.GELU):
        super().__init__()
        self.lin1 = nn.Linear(dim, hidden)
        self.lin2 = nn.Linear(hidden, dim)
        self.act = act()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lin2(self.act(self.lin1(x)))


# ----------------------------------------------------------------------------- image encoder


@dataclass
class SamEncoderConfig:
    img_size: int = 1024
    patch_size: int = 16
    embed_dim: int = 768
    depth: int = 12
    num_heads: int = 12
    window_size: int = 14
    global_attn_indexes: list[int] = field(default_factory=lambda: [2, 5, 8, 11])
    out_chans: int = 256
    mlp_ratio: float = 4.0

    def to_dict(self) -> dict:
        return asdict(self)


SAM_ENCODER_PRESETS = {
    "vit_b": SamEncoderConfig(embed_dim=768, depth=12, num_heads=12, global_attn_indexes=[2, 5, 8, 11]),
    "vit_l": SamEncoderConfig(embed_dim=1024, depth=24, num_heads=16, global_attn_indexes=[5, 11, 17, 23]),
    "vit_h": SamEncoderConfig(embed_dim=1280, depth=32, num_heads=16, global_attn_indexes=[7, 15, 23, 31]),
}


def _rel_index(size: int) -> torch.Tensor:
    """[size, size] int64 table of (query - key) + (size - 1): rows of rel_pos to read."""
    coords = torch.arange(size)
    return coords[:, None] - coords[None, :] + (size - 1)


class EncoderAttention(nn.Module):
    """Self-attention over an HxW token grid with decomposed relative positions (height, width)."""

    def __init__(self, dim: int, heads: int, grid: int):
        super().__init__()
        self.heads = heads
        self.hd = dim // heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.rel_pos_h = nn.Parameter(torch.zeros(2 * grid - 1, self.hd))
        self.rel_pos_w = nn.Parameter(torch.zeros(2 * grid - 1, self.hd))
        self.register_buffer("rel_index", _rel_index(grid), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: float[B, H, W, C] (H == W == grid) -> float[B, H, W, C]
        b, h, w, c = x.shape
        qkv = self.qkv(x).reshape(b, h * w, 3, self.heads, self.hd).permute(2, 0, 3, 1, 4)
        qkv = qkv.reshape(3, b * self.heads, h * w, self.hd)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = (q * self.hd**-0.5) @ k.transpose(-2, -1)  # [B*heads, HW, HW]
        rh = self.rel_pos_h[self.rel_index]  # [H(q), H(k), hd]
        rw = self.rel_pos_w[self.rel_index]  # [W(q), W(k), hd]
        rq = q.reshape(b * self.heads, h, w, self.hd)
        bias_h = torch.einsum("bhwc,hkc->bhwk", rq, rh)  # [B*heads, H, W, H(k)]
        bias_w = torch.einsum("bhwc,wkc->bhwk", rq, rw)  # [B*heads, H, W, W(k)]
        att = att.view(b * self.heads, h, w, h, w) + bias_h[:, :, :, :, None] + bias_w[:, :, :, None, :]
        att = att.view(b * self.heads, h * w, h * w).softmax(dim=-1)
        out = (att @ v).view(b, self.heads, h, w, self.hd).permute(0, 2, 3, 1, 4).reshape(b, h, w, c)
        return self.proj(out)


class EncoderBlock(nn.Module):
    def __init__(self, dim: int, heads: int, mlp_ratio: float, window: int, grid: int):
        super().__init__()
        self.window = window
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = EncoderAttention(dim, heads, window if window > 0 else grid)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = MLPBlock(dim, int(dim * mlp_ratio))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: float[B, G, G, C]
        shortcut = x
        x = self.norm1(x)
        if self.window > 0:
            b, h, w, c = x.shape
            ws = self.window
            ph, pw = (ws - h % ws) % ws, (ws - w % ws) % ws
            x = F.pad(x, (0, 0, 0, pw, 0, ph))  # pad bottom/right to whole windows
            hp, wp = h + ph, w + pw
            x = x.view(b, hp // ws, ws, wp // ws, ws, c).permute(0, 1, 3, 2, 4, 5).reshape(-1, ws, ws, c)
            x = self.attn(x)
            x = x.view(b, hp // ws, wp // ws, ws, ws, c).permute(0, 1, 3, 2, 4, 5).reshape(b, hp, wp, c)
            x = x[:, :h, :w, :]
        else:
            x = self.attn(x)
        x = shortcut + x
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, patch: int, dim: int):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x).permute(0, 2, 3, 1)  # [B, G, G, C]


class SamImageEncoderViT(nn.Module):
    """SAM's ViT image encoder (``image_encoder.*``): windowed + global blocks, then a conv neck."""

    def __init__(self, cfg: SamEncoderConfig):
        super().__init__()
        self.cfg = cfg
        grid = cfg.img_size // cfg.patch_size
        self.patch_embed = PatchEmbed(cfg.patch_size, cfg.embed_dim)
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, grid, grid, cfg.embed_dim))
        self.blocks = nn.ModuleList(
            EncoderBlock(
                cfg.embed_dim,
                cfg.num_heads,
                cfg.mlp_ratio,
                0 if i in cfg.global_attn_indexes else cfg.window_size,
                grid,
            )
            for i in range(cfg.depth)
        )
        self.neck = nn.Sequential(
            nn.Conv2d(cfg.embed_dim, cfg.out_chans, kernel_size=1, bias=False),
            LayerNorm2d(cfg.out_chans),
            nn.Conv2d(cfg.out_chans, cfg.out_chans, kernel_size=3, padding=1, bias=False),
            LayerNorm2d(cfg.out_chans),
        )

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        # image: float[1,3,S,S] normalised, zero-padded -> image_embeddings float[1,256,S/16,S/16]
        x = self.patch_embed(image) + self.pos_embed
        for block in self.blocks:
            x = block(x)
        return self.neck(x.permute(0, 3, 1, 2))


# ----------------------------------------------------------------------------- prompt encoder
