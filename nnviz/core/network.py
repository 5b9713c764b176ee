"""The network: parameters, forward pass and backward pass.

All trainable parameters live in one flat array, weights of every dense layer
first and then every bias / batch-norm scale and shift; each layer's arrays are
views into it, and the gradients mirror the same layout. That makes optimiser
steps, L1/L2 penalties (on the weights' slice only), clipping and copying one
NumPy call each whatever the depth.
"""

from __future__ import annotations

import numpy as np

from .activations import get_activation
from .initializers import INITIALIZERS
from .losses import LOSSES
from .spec import BatchNormSpec, DenseSpec, DropoutSpec, NetworkSpec


# On the small networks a learner builds, a step is a few dozen NumPy calls on
# tiny arrays, so the fixed cost of each call is the cost of training: the
# layers below keep their activation's functions and transposed weights at
# hand, and use np.dot (a lighter entry point than the matmul ufunc).


class _Dense:
    kind = "dense"

    def __init__(self, spec: DenseSpec, fan_in: int):
        self.spec = spec
        self.act = get_activation(spec.activation)
        self._act_forward = self.act.forward
        self._act_backward = self.act.backward
        self.shapes = {"weights": (fan_in, spec.units), "bias": (spec.units,)}

    def bind(self):
        """Called once the parameter views exist."""
        self.weights_t = self.weights.T
        self._ones = np.ones(0, self.weights.dtype)

    def forward(self, x, training):
        self.x = x
        z = np.dot(x, self.weights)
        z += self.bias
        self.z = z
        self.a = a = self._act_forward(z)
        return a

    def backward_z(self, gz, need_dx):
        """Back-propagate dL/dz; fills this layer's gradients, returns dL/dx."""
        np.dot(self.x.T, gz, out=self.g_weights)
        ones = self._ones
        if len(ones) != len(gz) or ones.dtype != gz.dtype:
            self._ones = ones = np.ones(len(gz), gz.dtype)
        # The column sums as a product with ones: BLAS, cheaper than a reduction on small arrays.
        np.dot(ones, gz, out=self.g_bias)
        return np.dot(gz, self.weights_t) if need_dx else None

    def backward(self, ga, need_dx):
        return self.backward_z(self._act_backward(ga, self.z, self.a), need_dx)


class _Dropout:
    kind = "dropout"
    shapes: dict = {}

    def __init__(self, spec: DropoutSpec, fan_in: int):
        self.spec = spec
        self.rng: np.random.Generator | None = None
        self.mask = None

    def bind(self):
        pass

    def forward(self, x, training):
        rate = self.spec.rate
        if not training or rate == 0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape, dtype=x.dtype) >= rate
        self.mask = keep * x.dtype.type(1.0 / (1.0 - rate))
        return x * self.mask

    def backward(self, ga, need_dx):
        return ga if self.mask is None else ga * self.mask


class _BatchNorm:
    kind = "batchnorm"

    def __init__(self, spec: BatchNormSpec, fan_in: int):
        self.spec = spec
        self.act = get_activation(spec.activation)
        self.shapes = {"gamma": (fan_in,), "beta": (fan_in,)}
        self.running_mean = np.zeros(fan_in)
        self.running_var = np.ones(fan_in)

    def bind(self):
        pass

    def forward(self, x, training):
        eps = self.spec.eps
        if training:
            n = len(x)
            mean = x.mean(axis=0)
            xc = x - mean
            var = np.einsum("ij,ij->j", xc, xc) / n
            m = self.spec.momentum
            self.running_mean *= 1 - m
            self.running_mean += m * mean
            self.running_var *= 1 - m
            self.running_var += m * var * (n / (n - 1) if n > 1 else 1.0)
        else:
            xc = x - self.running_mean.astype(x.dtype)
            var = self.running_var.astype(x.dtype)
        self.inv_std = 1.0 / np.sqrt(var + x.dtype.type(eps))
        self.xhat = xc * self.inv_std
        self.z = self.xhat * self.gamma + self.beta
        self.a = self.act.forward(self.z)
        return self.a

    def backward_z(self, gz, need_dx):
        xhat = self.xhat
        gz.sum(axis=0, out=self.g_beta)
        np.einsum("ij,ij->j", gz, xhat, out=self.g_gamma)
        if not need_dx:
            return None
        n = len(gz)
        gxhat = gz * self.gamma
        return (self.inv_std / n) * (n * gxhat - gxhat.sum(axis=0) - xhat * np.einsum("ij,ij->j", gxhat, xhat))

    def backward(self, ga, need_dx):
        return self.backward_z(self.act.backward(ga, self.z, self.a), need_dx)


_LAYER_CLASSES = {DenseSpec: _Dense, DropoutSpec: _Dropout, BatchNormSpec: _BatchNorm}


class Network:
    """A network built from a :class:`NetworkSpec`, with its parameters.

    ``Network(spec, seed=0)`` initialises the weights with each layer's
    initialiser (biases zero, batch-norm scale one). ``dtype`` is float32 by
    default; float64 on request.
    """

    def __init__(self, spec: NetworkSpec, *, seed: int = 0, dtype=np.float32):
        spec.validate()
        self.spec = spec
        self.dtype = np.dtype(dtype)
        self.layers = []
        widths = spec.widths()
        for layer_spec, fan_in in zip(spec.layers, widths):
            self.layers.append(_LAYER_CLASSES[type(layer_spec)](layer_spec, fan_in))
        self._allocate()
        self.rng = np.random.default_rng(seed)
        self.initialize(seed)

    # -- parameters ---------------------------------------------------------

    def _allocate(self):
        # Weights first so that the penalties and the "weights" statistics can
        # address them as one slice.
        entries = [(layer, name, shape) for layer in self.layers for name, shape in layer.shapes.items()]
        ordered = [e for e in entries if e[1] == "weights"] + [e for e in entries if e[1] != "weights"]
        sizes = [int(np.prod(shape)) for _, _, shape in ordered]
        self.params = np.zeros(sum(sizes), self.dtype)
        self.grads = np.zeros_like(self.params)
        self.n_weights = sum(size for (_, name, _), size in zip(ordered, sizes) if name == "weights")
        self._slices = {id(layer): {} for layer in self.layers}
        offset = 0
        for (layer, name, shape), size in zip(ordered, sizes):
            setattr(layer, name, self.params[offset : offset + size].reshape(shape))
            setattr(layer, "g_" + name, self.grads[offset : offset + size].reshape(shape))
            self._slices[id(layer)][name] = slice(offset, offset + size)
            offset += size
        for layer in self.layers:
            layer.bind()
        self._fused = {}

    def initialize(self, seed: int) -> None:
        """Re-initialise every parameter and running statistic from ``seed``."""
        rng = np.random.default_rng(seed)
        self.params[:] = 0
        for layer in self.layers:
            if layer.kind == "dense":
                init = INITIALIZERS[layer.spec.initializer]
                layer.weights[:] = init(rng, *layer.shapes["weights"])
            elif layer.kind == "batchnorm":
                layer.gamma[:] = 1
                layer.running_mean[:] = 0
                layer.running_var[:] = 1
        self.rng = np.random.default_rng(rng.integers(2**63))
        for layer in self.layers:
            if layer.kind == "dropout":
                layer.rng = self.rng

    def layer_params(self, index: int) -> dict[str, np.ndarray]:
        """Layer ``index``'s parameter arrays (views: writing them changes the network)."""
        layer = self.layers[index]
        return {name: getattr(layer, name) for name in layer.shapes}

    def layer_grads(self, index: int) -> dict[str, np.ndarray]:
        """Layer ``index``'s gradient arrays from the last backward pass (views)."""
        layer = self.layers[index]
        return {name: getattr(layer, "g_" + name) for name in layer.shapes}

    def layer_slices(self, index: int) -> dict[str, slice]:
        """Where layer ``index``'s arrays lie in the flat :attr:`params` (and :attr:`grads`)."""
        return dict(self._slices[id(self.layers[index])])

    def layer_state(self, index: int) -> dict[str, np.ndarray]:
        """Everything that describes layer ``index`` beyond its spec: parameters and running statistics."""
        layer = self.layers[index]
        state = self.layer_params(index)
        if layer.kind == "batchnorm":
            state |= {"running_mean": layer.running_mean, "running_var": layer.running_var}
        return state

    def set_layer_state(self, index: int, **arrays) -> None:
        """Copy arrays into layer ``index`` (``weights=…, bias=…``); shapes must match."""
        state = self.layer_state(index)
        for name, value in arrays.items():
            target = state[name]
            value = np.asarray(value, dtype=np.float64)
            if value.shape != target.shape:
                raise ValueError(f"layers[{index}].{name}: expected shape {target.shape}, got {value.shape}")
            target[...] = value

    def copy_params(self) -> list[dict[str, np.ndarray]]:
        """Independent copies of every layer's parameters and running statistics."""
        return [{k: v.copy() for k, v in self.layer_state(i).items()} for i in range(len(self.layers))]

    def load_params(self, states: list[dict[str, np.ndarray]]) -> None:
        """Inverse of :meth:`copy_params`."""
        for i, state in enumerate(states):
            self.set_layer_state(i, **state)

    # -- passes -------------------------------------------------------------

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """The network's output for a batch ``x`` of shape (n, inputs)."""
        a = np.asarray(x, dtype=self.dtype)
        if a.ndim == 1:
            a = a[None, :]
        return self.forward_ready(a, training)

    def forward_ready(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """:meth:`forward` of a batch already 2-D and of the network's dtype (the trainer's, per step)."""
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def trace(self, x: np.ndarray) -> list[dict[str, np.ndarray]]:
        """Inference pass keeping, for each layer, its weighted sums ``z`` and outputs ``a``."""
        a = np.asarray(x, dtype=self.dtype)
        if a.ndim == 1:
            a = a[None, :]
        steps = []
        for layer in self.layers:
            a = layer.forward(a, False)
            steps.append({"z": getattr(layer, "z", a), "a": a})
        return steps

    def fused_loss(self, loss: str) -> bool:
        """Whether the last layer's activation is ``loss``'s partner (fused gradient)."""
        try:
            return self._fused[loss]
        except KeyError:
            last = self.layers[-1]
            fused = getattr(last, "act", None) is not None and LOSSES[loss].partner == last.act.name
            self._fused[loss] = fused
            return fused

    def loss_value(self, output: np.ndarray, y: np.ndarray, loss: str) -> float:
        """The loss of the last forward pass's ``output`` against targets ``y``."""
        fn = LOSSES[loss]
        if self.fused_loss(loss):
            return fn.fused_value(self.layers[-1].z, y)
        return fn.value(output, y)

    def backward(self, output: np.ndarray, y: np.ndarray, loss: str) -> None:
        """Fill :attr:`grads` with dL/dparams for the last forward pass (run with ``training=True``)."""
        self._backward_from(self._output_grad(output, y, loss), loss)

    def train_pass(self, x: np.ndarray, y: np.ndarray, loss: str) -> tuple[np.ndarray, float]:
        """Forward (training mode), loss and backward in one go; returns the output and the loss.

        ``x`` and ``y`` must be 2-D and of the network's dtype (as the trainer
        keeps them). The same numbers as :meth:`forward`, :meth:`loss_value` and
        :meth:`backward` in turn, with the shared work done once.
        """
        out = self.forward_ready(x, True)
        fn = LOSSES[loss]
        if self.fused_loss(loss):
            value = fn.fused_value(self.layers[-1].z, y)
            g = self._output_grad(out, y, loss)
        else:
            value, g = fn.value_and_grad(out, y)
            if g.dtype != self.dtype:
                g = g.astype(self.dtype)
        self._backward_from(g, loss)
        return out, value

    def _output_grad(self, output, y, loss):
        """dL/dz of a fused output, else dL/da, in the network's dtype."""
        if self.fused_loss(loss):
            # d(loss)/dz of a sigmoid+bce or softmax+cce output: (a - y) / n,
            # with n the elements (bce) or samples (cce) averaged over.
            g = output - y
            g *= 1.0 / (g.size if loss == "bce" else len(g))
            return g
        return LOSSES[loss].grad(output, y).astype(self.dtype, copy=False)

    def _backward_from(self, g, loss):
        layers = self.layers
        last = layers[-1]
        deep = len(layers) > 1
        g = last.backward_z(g, deep) if self.fused_loss(loss) else last.backward(g, deep)
        for i in range(len(layers) - 2, -1, -1):
            g = layers[i].backward(g, i > 0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Inference output as float64."""
        return self.forward(x, training=False).astype(np.float64)
