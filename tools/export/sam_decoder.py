"""SAM prompt encoder + mask decoder (``prompt_encoder.*``, ``mask_decoder.*``) behind the
standard SAM ONNX signature (see ``SamPromptDecoder.forward``)."""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict, field

import torch
import torch.nn.functional as F
from torch import nn

from sam_encoder import LayerNorm2d, MLPBlock


class PositionEmbeddingRandom(nn.Module):
    """Random Fourier features of (x, y) in [0, 1]: [.., 2] -> [.., 2*F]."""

    def __init__(self, num_feats: int = 128):
        super().__init__()
        self.register_buffer("positional_encoding_gaussian_matrix", torch.randn(2, num_feats))

    def encode(self, coords: torch.Tensor) -> torch.Tensor:
        coords = (2 * coords - 1) @ self.positional_encoding_gaussian_matrix
        coords = 2 * math.pi * coords
        return torch.cat([torch.sin(coords), torch.cos(coords)], dim=-1)

    def dense(self, grid: int) -> torch.Tensor:
        """[2F, grid, grid] encoding of the patch centres of the embedding grid."""
        centres = (torch.arange(grid, dtype=torch.float32) + 0.5) / grid
        yy, xx = torch.meshgrid(centres, centres, indexing="ij")
        return self.encode(torch.stack([xx, yy], dim=-1)).permute(2, 0, 1)


class PromptEncoder(nn.Module):
    def __init__(self, dim: int = 256, mask_in_chans: int = 16):
        super().__init__()
        self.pe_layer = PositionEmbeddingRandom(dim // 2)
        # labels 0 neg, 1 pos, 2 box top-left, 3 box bottom-right
        self.point_embeddings = nn.ModuleList(nn.Embedding(1, dim) for _ in range(4))
        self.not_a_point_embed = nn.Embedding(1, dim)
        self.mask_downscaling = nn.Sequential(
            nn.Conv2d(1, mask_in_chans // 4, kernel_size=2, stride=2),
            LayerNorm2d(mask_in_chans // 4),
            nn.GELU(),
            nn.Conv2d(mask_in_chans // 4, mask_in_chans, kernel_size=2, stride=2),
            LayerNorm2d(mask_in_chans),
            nn.GELU(),
            nn.Conv2d(mask_in_chans, dim, kernel_size=1),
        )
        self.no_mask_embed = nn.Embedding(1, dim)


# ----------------------------------------------------------------------------- mask decoder


class TokenAttention(nn.Module):
    """Attention with separate q/k/v projections to an internal width (dim / downsample)."""

    def __init__(self, dim: int, heads: int, downsample: int = 1):
        super().__init__()
        inner = dim // downsample
        self.heads = heads
        self.q_proj = nn.Linear(dim, inner)
        self.k_proj = nn.Linear(dim, inner)
        self.v_proj = nn.Linear(dim, inner)
        self.out_proj = nn.Linear(inner, dim)
        # a Python float, so the graph holds a constant rather than Pow(shape) at run time
        self.scale = (inner // heads) ** -0.5

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        return x.reshape(b, n, self.heads, c // self.heads).transpose(1, 2)  # [B, heads, n, c/h]

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        q, k, v = self._split(self.q_proj(q)), self._split(self.k_proj(k)), self._split(self.v_proj(v))
        att = (q @ k.transpose(-2, -1)) * self.scale
        out = att.softmax(dim=-1) @ v  # [B, heads, nq, c/h]
        b, h, n, c = out.shape
        return self.out_proj(out.transpose(1, 2).reshape(b, n, h * c))


class TwoWayBlock(nn.Module):
    """Tokens attend to themselves and to the image; the image attends back to the tokens."""

    def __init__(self, dim: int, heads: int, mlp_dim: int, skip_first_pe: bool):
        super().__init__()
        self.skip_first_pe = skip_first_pe
        self.self_attn = TokenAttention(dim, heads)
        self.norm1 = nn.LayerNorm(dim)
        self.cross_attn_token_to_image = TokenAttention(dim, heads, 2)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MLPBlock(dim, mlp_dim, nn.ReLU)
        self.norm3 = nn.LayerNorm(dim)
        self.norm4 = nn.LayerNorm(dim)
        self.cross_attn_image_to_token = TokenAttention(dim, heads, 2)

    def forward(self, queries, keys, query_pe, key_pe):
        if self.skip_first_pe:
            queries = self.self_attn(queries, queries, queries)
        else:
            q = queries + query_pe
            queries = queries + self.self_attn(q, q, queries)
        queries = self.norm1(queries)
        q, k = queries + query_pe, keys + key_pe
        queries = self.norm2(queries + self.cross_attn_token_to_image(q, k, keys))
        queries = self.norm3(queries + self.mlp(queries))
        q, k = queries + query_pe, keys + key_pe
        keys = self.norm4(keys + self.cross_attn_image_to_token(k, q, queries))
        return queries, keys


class TwoWayTransformer(nn.Module):
    def __init__(self, depth: int = 2, dim: int = 256, heads: int = 8, mlp_dim: int = 2048):
        super().__init__()
        self.layers = nn.ModuleList(TwoWayBlock(dim, heads, mlp_dim, i == 0) for i in range(depth))
        self.final_attn_token_to_image = TokenAttention(dim, heads, 2)
        self.norm_final_attn = nn.LayerNorm(dim)

    def forward(self, image, image_pe, tokens):
        # image, image_pe: float[B, C, H, W]; tokens: float[B, T, C]
        keys = image.flatten(2).permute(0, 2, 1)  # [B, HW, C]
        key_pe = image_pe.flatten(2).permute(0, 2, 1)
        queries = tokens
        for layer in self.layers:
            queries, keys = layer(queries, keys, tokens, key_pe)
        q, k = queries + tokens, keys + key_pe
        queries = self.norm_final_attn(queries + self.final_attn_token_to_image(q, k, keys))
        return queries, keys


class MLP(nn.Module):
    def __init__(self, dims: list[int]):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x


class MaskDecoder(nn.Module):
    def __init__(self, dim: int = 256, num_multimask: int = 3, depth: int = 2, heads: int = 8, mlp_dim: int = 2048):
        super().__init__()
        self.num_mask_tokens = num_multimask + 1
        self.transformer = TwoWayTransformer(depth, dim, heads, mlp_dim)
        self.iou_token = nn.Embedding(1, dim)
        self.mask_tokens = nn.Embedding(self.num_mask_tokens, dim)
        self.output_upscaling = nn.Sequential(
            nn.ConvTranspose2d(dim, dim // 4, kernel_size=2, stride=2),
            LayerNorm2d(dim // 4),
            nn.GELU(),
            nn.ConvTranspose2d(dim // 4, dim // 8, kernel_size=2, stride=2),
            nn.GELU(),
        )
        self.output_hypernetworks_mlps = nn.ModuleList(
            MLP([dim, dim, dim, dim // 8]) for _ in range(self.num_mask_tokens)
        )
        self.iou_prediction_head = MLP([dim, 256, 256, self.num_mask_tokens])

    def predict(self, image_embeddings, image_pe, sparse, dense):
        # image_embeddings: [1,C,h,w]; image_pe: [1,C,h,w]; sparse: [1,T,C]; dense: [1,C,h,w]
        out_tokens = torch.cat([self.iou_token.weight, self.mask_tokens.weight], dim=0)
        tokens = torch.cat([out_tokens.unsqueeze(0).expand(sparse.shape[0], -1, -1), sparse], dim=1)
        src = image_embeddings + dense
        b, c, h, w = src.shape
        hs, src = self.transformer(src, image_pe, tokens)
        iou_out = hs[:, 0, :]
        mask_out = hs[:, 1 : 1 + self.num_mask_tokens, :]
        up = self.output_upscaling(src.transpose(1, 2).reshape(b, c, h, w))  # [B, C/8, 4h, 4w]
        hyper = torch.stack(
            [mlp(mask_out[:, i, :]) for i, mlp in enumerate(self.output_hypernetworks_mlps)], dim=1
        )  # [B, M, C/8]
        bu, cu, hu, wu = up.shape
        masks = (hyper @ up.reshape(bu, cu, hu * wu)).reshape(bu, -1, hu, wu)
        return masks, self.iou_prediction_head(iou_out)


class SamPromptDecoder(nn.Module):
    """Prompt encoder + mask decoder with the standard SAM ONNX export signature.

    Inputs: image_embeddings float[1,256,64,64]; point_coords float[1,P,2] (x, y) in the
    resized-longest-side-1024 input frame; point_labels float[1,P] (-1 padding point, 0 negative,
    1 positive, 2 box top-left, 3 box bottom-right); mask_input float[1,1,256,256] (a previous
    low_res_masks logit map); has_mask_input float[1] (1 uses mask_input, 0 ignores it);
    orig_im_size float[2] (H, W) of the original image.
    Outputs: masks float[1,4,H,W] logits at the original size; iou_predictions float[1,4];
    low_res_masks float[1,4,256,256]. Mask 0 is the single-mask output, 1..3 the multimask outputs.
    """

    def __init__(self, img_size: int = 1024, embed_grid: int = 64):
        super().__init__()
        self.img_size, self.embed_grid = img_size, embed_grid
        self.prompt_encoder = PromptEncoder()
        self.mask_decoder = MaskDecoder()
        self.image_pe: torch.Tensor | None = None

    def freeze_pe(self) -> None:
        """Cache the dense positional encoding of the embedding grid (a constant once weights are
        loaded) so the exported graph holds it as one initializer instead of sin/cos ops."""
        with torch.no_grad():
            self.image_pe = self.prompt_encoder.pe_layer.dense(self.embed_grid).unsqueeze(0).clone()

    def _embed_points(self, coords: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        pe = self.prompt_encoder.pe_layer.encode((coords + 0.5) / self.img_size)  # [1,P,256]
        lab = labels.unsqueeze(-1)
        pe = pe * (lab != -1).to(pe.dtype)
        pe = pe + self.prompt_encoder.not_a_point_embed.weight * (lab == -1).to(pe.dtype)
        for i, emb in enumerate(self.prompt_encoder.point_embeddings):
            pe = pe + emb.weight * (lab == i).to(pe.dtype)
        return pe

    def _postprocess(self, masks: torch.Tensor, orig_im_size: torch.Tensor) -> torch.Tensor:
        s = self.img_size
        masks = F.interpolate(masks, size=(s, s), mode="bilinear", align_corners=False)
        scale = s / torch.max(orig_im_size)
        pre = torch.floor(orig_im_size * scale + 0.5).to(torch.int64)  # unpadded resized size
        masks = masks[..., : pre[0], : pre[1]]
        size = orig_im_size.to(torch.int64)
        return F.interpolate(masks, size=(size[0], size[1]), mode="bilinear", align_corners=False)

    def forward(self, image_embeddings, point_coords, point_labels, mask_input, has_mask_input, orig_im_size):
        sparse = self._embed_points(point_coords, point_labels)
        pe = self.prompt_encoder
        dense = has_mask_input * pe.mask_downscaling(mask_input)
        dense = dense + (1 - has_mask_input) * pe.no_mask_embed.weight.reshape(1, -1, 1, 1)
        image_pe = self.image_pe if self.image_pe is not None else pe.pe_layer.dense(self.embed_grid).unsqueeze(0)
        low_res, iou = self.mask_decoder.predict(image_embeddings, image_pe, sparse, dense)
        return self._postprocess(low_res, orig_im_size), iou, low_res
