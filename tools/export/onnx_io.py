"""ONNX export, checking and float16 conversion shared by every exporter.

torch 1.13 + onnx 1.12 (Debian): opset 17 at most. Graphs are traced in float32; ``--fp16``
converts the finished graph (weights, constants, casts, graph inputs and outputs) to float16
instead of tracing a half model, because torch 1.13 has no float16 CPU kernels to trace with.
Inputs that are integers (input_ids) stay int64.
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
F32, F16 = TensorProto.FLOAT, TensorProto.FLOAT16


def export_onnx(
    module: torch.nn.Module,
    args: tuple[torch.Tensor, ...],
    input_names: list[str],
    output_names: list[str],
    dynamic_axes: dict[str, dict[int, str]],
) -> onnx.ModelProto:
    """Trace ``module`` with example ``args`` and return the checked ONNX model (float32)."""
    module.eval()
    buf = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        # Tracer warnings about Python-int conversions are expected for static shapes.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            args,
            buf,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic_axes,
            opset_version=OPSET,
            do_constant_folding=True,
        )
    model = onnx.load_from_string(buf.getvalue())
    check(model)
    return model


def check(model: onnx.ModelProto) -> None:
    """onnx.checker plus strict shape/type inference (catches float16/float32 mix-ups)."""
    onnx.checker.check_model(model)
    onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)


# Inputs that an op's schema requires to stay float32 whatever the data type (index: name).
_KEEP_F32_INPUTS = {"Resize": {1, 2}}  # roi, scales


def to_float16(model: onnx.ModelProto) -> onnx.ModelProto:
    """Return a copy of ``model`` computing in float16 with float16 graph inputs and outputs."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    keep = set()
    for node in g.node:
        for idx in _KEEP_F32_INPUTS.get(node.op_type, ()):
            if idx < len(node.input) and node.input[idx]:
                keep.add(node.input[idx])

    for init in g.initializer:
        if init.data_type == F32 and init.name not in keep:
            arr = numpy_helper.to_array(init).astype(np.float16)
            init.CopyFrom(numpy_helper.from_array(arr, init.name))
    for vi in list(g.input) + list(g.output):
        if vi.type.tensor_type.elem_type == F32:
            vi.type.tensor_type.elem_type = F16
    del g.value_info[:]  # re-inferred below

    casts_back: list[onnx.NodeProto] = []
    for node in g.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value" and attr.t.data_type == F32 and node.output[0] not in keep:
                    arr = numpy_helper.to_array(attr.t).astype(np.float16)
                    attr.t.CopyFrom(numpy_helper.from_array(arr))
        elif node.op_type == "Cast":
            for attr in node.attribute:
                if attr.name == "to" and attr.i == F32:
                    attr.i = F16
        elif node.op_type == "ConstantOfShape":
            for attr in node.attribute:
                if attr.name == "value" and attr.t.data_type == F32:
                    arr = numpy_helper.to_array(attr.t).astype(np.float16)
                    attr.t.CopyFrom(numpy_helper.from_array(arr))
    # A kept-float32 tensor that is computed (not a constant) needs a Cast back to float32.
    produced = {o for n in g.node for o in n.output if n.op_type != "Constant"}
    for name in keep & produced:
        cast_name = name + "_f32"
        casts_back.append(helper.make_node("Cast", [name], [cast_name], to=F32))
        for node in g.node:
            for i, inp in enumerate(node.input):
                if inp == name and node.op_type in _KEEP_F32_INPUTS:
                    node.input[i] = cast_name
    if casts_back:
        nodes = list(g.node)
        del g.node[:]
        for n in nodes:
            g.node.append(n)
            for c in casts_back:
                if c.input[0] in n.output:
                    g.node.append(c)
    check(m)
    return m


def save(model: onnx.ModelProto, path: Path) -> None:
    onnx.save(model, str(path))
