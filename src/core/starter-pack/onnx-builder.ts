import { onnxType, ONNX_TYPE_CODES } from '../packs/onnx-proto';

type ElemType = keyof typeof ONNX_TYPE_CODES;
/** Attribute values: integer, integer list, or `{ f }` for a float (JS numbers are ambiguous). */
export type AttrValue = number | number[] | { f: number };

const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/**
 * A tiny ONNX graph writer: enough to emit the starter pack's graphs from TypeScript with
 * protobufjs, so a fresh machine needs no Python to get a working pack.
 */
export class OnnxGraphBuilder {
  private nodes: object[] = [];
  private inits: object[] = [];
  private inputs: object[] = [];
  private outputs: object[] = [];
  private counter = 0;

  constructor(
    readonly graphName: string,
    readonly opset = 17,
  ) {}

  private valueInfo(name: string, type: ElemType, shape: (number | string)[]): object {
    return {
      name,
      type: {
        tensorType: {
          elemType: ONNX_TYPE_CODES[type],
          shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    };
  }

  input(name: string, type: ElemType, shape: (number | string)[]): string {
    this.inputs.push(this.valueInfo(name, type, shape));
    return name;
  }

  output(name: string, type: ElemType, shape: (number | string)[]): void {
    this.outputs.push(this.valueInfo(name, type, shape));
  }

  /** A float32 constant (initializer) with the given dims. */
  constF32(data: ArrayLike<number>, dims: number[], name = `c${this.counter++}`): string {
    const a = Float32Array.from(data);
    this.inits.push({ name, dims, dataType: ONNX_TYPE_CODES.float32, rawData: new Uint8Array(a.buffer) });
    return name;
  }

  constI64(data: ArrayLike<number>, dims: number[], name = `c${this.counter++}`): string {
    const a = BigInt64Array.from(Array.from(data, (v) => BigInt(v)));
    this.inits.push({ name, dims, dataType: ONNX_TYPE_CODES.int64, rawData: new Uint8Array(a.buffer) });
    return name;
  }

  /** Adds a node; returns its output names (`outputs` of them, auto-named unless given). */
  node(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    outputs: number | string[] = 1,
  ): string[] {
    const outs =
      typeof outputs === 'number' ? Array.from({ length: outputs }, () => `t${this.counter++}`) : outputs;
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v)
        ? { name, type: ATTR_INTS, ints: v }
        : typeof v === 'number'
          ? { name, type: ATTR_INT, i: v }
          : { name, type: ATTR_FLOAT, f: v.f },
    );
    this.nodes.push({
      opType,
      input: inputs,
      output: outs,
      name: `${opType}_${this.nodes.length}`,
      attribute,
    });
    return outs;
  }

  /** Single-output node shorthand. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.node(opType, inputs, attrs, output ? [output] : 1)[0];
  }

  /** Serialises the ModelProto (IR version 8). */
  toBytes(docString = ''): Uint8Array {
    const Model = onnxType('ModelProto');
    const msg = Model.fromObject({
      irVersion: 8,
      producerName: 'graft-workbench starter-pack',
      producerVersion: '1',
      docString,
      opsetImport: [{ domain: '', version: this.opset }],
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.inits,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return Model.encode(msg).finish();
  }
}
