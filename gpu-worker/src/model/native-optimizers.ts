// Nesterov momentum and Adam as one TensorFlow kernel per weight (ResourceApplyMomentum, ResourceApplyAdam). tfjs's
// own optimizers build each update from whole-tensor ops, each a pass over the weights into a newly allocated
// tensor: six for Nesterov, about a dozen for Adam. On the full network (9.4 M weights) at 2 threads that is 18–21 ms
// per Nesterov update and 43–44 ms per Adam one; these kernels update the weights in place in one pass, 5.5–7 and
// 7.5–8 ms (`npm run bench -- optimizer`).
//
// The kernels update resource variables, which tfjs has no notion of, so each model weight gets a resource that
// mirrors it: after an update the tfjs variable is pointed at the resource's buffer (no copy), and a weight changed
// from outside (setWeights, a loaded checkpoint) is copied in before its next update. The accumulators live only in
// resources. The state (step count, accumulators in tfjs's order and names) is what tfjs's MomentumOptimizer and
// AdamOptimizer get and set, so checkpoints move between the two.
import type { NamedTensorMap, Tensor, Variable } from "@tensorflow/tfjs";

import type { Tf } from "./architecture.js";
import { nativeOps, type NativeOps, type OpAttr } from "./native-ops.js";

/** tfjs exports no name for the { name, tensor } pairs of getWeights and setWeights. */
type NamedTensor = { name: string; tensor: Tensor };

/**
 * TensorFlow's ResourceHandle::ANONYMOUS_NAME: a variable created under it is owned by its handle and freed with
 * it, instead of living on in the process's resource manager under a name.
 */
const ANONYMOUS = "cd2c89b7-88b7-44c8-ad83-06c2a9158347";

/** A float32 resource variable of `initial`'s shape, holding its values (the caller may dispose `initial`). */
class ResourceVariable {
  readonly handle: Tensor;

  constructor(
    private readonly tf: Tf,
    private readonly ops: NativeOps,
    initial: Tensor,
  ) {
    const { float32, shape, string } = ops;
    this.handle = tf.keep(
      ops.run("VarHandleOp", [float32("dtype"), shape("shape", initial.shape), string("container", ""), string("shared_name", ANONYMOUS)], []),
    );
    this.assign(initial);
  }

  /** TensorFlow shares or copies the buffer: the caller may dispose `value` afterwards. */
  assign(value: Tensor): void {
    this.ops.effect("AssignVariableOp", [this.ops.float32("dtype"), this.ops.bool("validate_shape", true)], [this.handle, value]);
  }

  /** A tensor sharing the variable's current buffer; the caller owns it. */
  read(): Tensor {
    return this.ops.run("ReadVariableOp", [this.ops.float32("dtype")], [this.handle]);
  }

  dispose(): void {
    this.tf.dispose(this.handle);
  }
}

/** A model weight's resource, and the tfjs buffer (dataId) it held when the two were last the same. */
interface Mirror {
  resource: ResourceVariable;
  syncedWith: object;
}

/** One step's kernel: its op, attributes and scalar inputs (owned by the step). */
interface StepKernel {
  op: string;
  attrs: OpAttr[];
  /** The inputs the kernel takes besides the weight, its accumulators and the gradient, before and after the gradient. */
  before: Tensor[];
  after: Tensor[];
}

abstract class NativeOptimizer {
  protected learningRate: number;
  private iterations = 0;
  private readonly mirrors: Mirror[] = [];
  /** tfjs's names for the weights, by position: the accumulators are named after them. */
  private readonly weightNames: string[] = [];
  /** Per accumulator kind (slotNames order), per weight position. */
  private readonly slots: ResourceVariable[][];
  /** getWeights' tensors, owned here until the next getWeights or dispose. */
  private exported: Tensor[] = [];
  protected readonly ops: NativeOps;

  protected constructor(
    protected readonly tf: Tf,
    learningRate: number,
    private readonly slotNames: readonly string[],
  ) {
    this.ops = nativeOps(tf);
    this.learningRate = learningRate;
    this.slots = slotNames.map(() => []);
  }

  abstract getClassName(): string;

  /** The kernel for step `step` (1-based). */
  protected abstract kernel(step: number): StepKernel;

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** Weights are matched to accumulators by position, as in tfjs's optimizers. */
  applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    const kernel = this.kernel(this.iterations + 1);
    try {
      entries.forEach(([name, gradient], i) => this.update(i, this.variable(name), gradient, kernel));
    } finally {
      this.tf.dispose([...kernel.before, ...kernel.after]);
    }
    this.iterations++;
  }

  async getWeights(): Promise<NamedTensor[]> {
    this.tf.dispose(this.exported);
    const accumulators = this.slots.flatMap((slot, k) =>
      slot.map((resource, i) => ({ name: `${this.weightNames[i]}/${this.slotNames[k]}`, tensor: this.tf.keep(resource.read()) })),
    );
    const iter = { name: "iter", tensor: this.tf.keep(this.tf.scalar(this.iterations, "int32")) };
    this.exported = [iter.tensor, ...accumulators.map((a) => a.tensor)];
    return [iter, ...accumulators];
  }

  /** [iter, then each accumulator kind for every weight in order]; the tensors are copied, the caller keeps them. */
  async setWeights(weights: NamedTensor[]): Promise<void> {
    const [iter, ...accumulators] = weights;
    if (iter?.name !== "iter") throw new Error(`${this.getClassName()} state starts with the step count ("iter"), not ${iter?.name}`);
    if (accumulators.length % this.slotNames.length !== 0) {
      throw new Error(`${this.getClassName()} state holds ${accumulators.length} accumulators, not ${this.slotNames.length} per weight`);
    }
    this.iterations = (await iter.tensor.data())[0]!;
    const perSlot = accumulators.length / this.slotNames.length;
    this.slots.forEach((slot, k) => {
      slot.forEach((r) => r.dispose());
      slot.length = 0;
      accumulators.slice(k * perSlot, (k + 1) * perSlot).forEach(({ name, tensor }, i) => {
        slot[i] = new ResourceVariable(this.tf, this.ops, tensor);
        this.weightNames[i] = name.slice(0, name.lastIndexOf("/"));
      });
    });
  }

  dispose(): void {
    this.tf.dispose(this.exported);
    this.exported = [];
    for (const resource of [...this.mirrors.map((m) => m.resource), ...this.slots.flat()]) resource.dispose();
    this.mirrors.length = 0;
    for (const slot of this.slots) slot.length = 0;
  }

  private variable(name: string): Variable {
    const variable = this.tf.engine().registeredVariables[name];
    if (!variable) throw new Error(`${this.getClassName()}: no variable named ${name}`);
    return variable;
  }

  private update(i: number, variable: Variable, gradient: Tensor, { op, attrs, before, after }: StepKernel): void {
    this.weightNames[i] = variable.name;
    const mirror = (this.mirrors[i] ??= { resource: new ResourceVariable(this.tf, this.ops, variable), syncedWith: variable.dataId });
    if (mirror.syncedWith !== variable.dataId) mirror.resource.assign(variable);
    const accumulators = this.slots.map((slot) => (slot[i] ??= this.zeros(variable.shape)));
    // The variable lets go of its buffer for the moment (it holds the gradient), so that the kernel, finding the
    // resource the buffer's only owner, updates it in place instead of copying it first.
    variable.assign(gradient);
    try {
      this.ops.effect(op, attrs, [mirror.resource.handle, ...accumulators.map((a) => a.handle), ...before, gradient, ...after]);
    } finally {
      const updated = mirror.resource.read();
      variable.assign(updated);
      updated.dispose();
      mirror.syncedWith = variable.dataId;
    }
  }

  private zeros(shape: readonly number[]): ResourceVariable {
    const zeros = this.tf.zeros([...shape]);
    const resource = new ResourceVariable(this.tf, this.ops, zeros);
    zeros.dispose();
    return resource;
  }
}

/** SGD with Nesterov momentum, as tfjs's MomentumOptimizer(lr, momentum, true) and PyTorch's SGD(nesterov=True). */
export class NativeMomentum extends NativeOptimizer {
  constructor(
    tf: Tf,
    learningRate: number,
    private readonly momentum: number,
  ) {
    super(tf, learningRate, ["momentum"]);
  }

  getClassName(): string {
    return "NativeMomentum";
  }

  protected kernel(): StepKernel {
    const { float32, bool } = this.ops;
    return {
      op: "ResourceApplyMomentum",
      attrs: [float32(), bool("use_locking", false), bool("use_nesterov", true)],
      before: [this.tf.scalar(this.learningRate)],
      after: [this.tf.scalar(this.momentum)],
    };
  }
}

/**
 * Adam as tfjs's AdamOptimizer and PyTorch's Adam: lr · m̂ / (√v̂ + ε). TensorFlow's kernel adds ε to √v instead
 * (ε̂ in Kingma & Ba), which early in training, when √(1 − β₂ᵗ) is small, changes the step of every weight whose
 * gradient is within a few ε̂ of 0; handing it ε · √(1 − β₂ᵗ) each step gives tfjs's update exactly.
 */
export class NativeAdam extends NativeOptimizer {
  /** tfjs's default for float32. */
  static readonly EPSILON = 1e-7;

  constructor(
    tf: Tf,
    learningRate: number,
    private readonly beta1: number,
    private readonly beta2: number,
  ) {
    super(tf, learningRate, ["m", "v"]);
  }

  getClassName(): string {
    return "NativeAdam";
  }

  protected kernel(step: number): StepKernel {
    const { float32, bool } = this.ops;
    const s = (value: number) => this.tf.scalar(value);
    return {
      op: "ResourceApplyAdam",
      attrs: [float32(), bool("use_locking", false), bool("use_nesterov", false)],
      before: [
        s(this.beta1 ** step),
        s(this.beta2 ** step),
        s(this.learningRate),
        s(this.beta1),
        s(this.beta2),
        s(NativeAdam.EPSILON * Math.sqrt(1 - this.beta2 ** step)),
      ],
      after: [],
    };
  }
}
