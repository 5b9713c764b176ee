"""Optimisers over one flat parameter vector.

The engine keeps every parameter of a network in one contiguous array (each
layer's arrays are views into it), so an optimiser is a handful of NumPy calls
per step whatever the depth of the network. ``update(g)`` returns the vector
``u`` to subtract from the parameters; the trainer checks it is finite before
applying it, which is how a diverging step leaves the last good weights alone.
Conventions follow PyTorch (momentum buffer ``v = μv + g``, Adam bias correction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "rmsprop", "adam")


@dataclass
class OptimizerSettings:
    """Hyper-parameters of every optimiser; each optimiser reads the ones it uses."""

    lr: float = 0.01
    momentum: float = 0.9
    rho: float = 0.9  # RMSprop's decay of the squared-gradient average
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8


class Optimizer:
    """Base: keeps the update buffer; subclasses fill it in :meth:`update`.

    Change the hyper-parameters of a live optimiser with :meth:`configure`
    (not by editing ``s``: some are kept ready as scalars of the dtype).
    """

    def __init__(self, size: int, dtype, settings: OptimizerSettings):
        self.u = np.zeros(size, dtype)
        self.t = 0
        self.configure(settings)

    def configure(self, settings: OptimizerSettings) -> None:
        """Use ``settings`` from the next update on; the state (moments, step count) is kept."""
        self.s = settings
        # Scalars of the parameters' own type: NumPy multiplies by them faster
        # than by a Python float, and to the same result.
        scalar = self.u.dtype.type
        self._lr = scalar(settings.lr)
        self._momentum = scalar(settings.momentum)

    def update(self, g: np.ndarray) -> np.ndarray:
        """The step to subtract from the parameters for gradient ``g``."""
        raise NotImplementedError

    def _buffer(self):
        return np.zeros_like(self.u)


class SGD(Optimizer):
    def update(self, g):
        return np.multiply(g, self._lr, out=self.u)


class Momentum(Optimizer):
    nesterov = False

    def __init__(self, size, dtype, settings):
        super().__init__(size, dtype, settings)
        self.v = self._buffer()

    def update(self, g):
        v, u, mu = self.v, self.u, self._momentum
        v *= mu
        v += g
        if self.nesterov:
            np.multiply(v, mu, out=u)
            u += g
            u *= self._lr
        else:
            np.multiply(v, self._lr, out=u)
        return u


class Nesterov(Momentum):
    nesterov = True


class RMSprop(Optimizer):
    def __init__(self, size, dtype, settings):
        super().__init__(size, dtype, settings)
        self.sq = self._buffer()

    def update(self, g):
        sq, u, rho = self.sq, self.u, self.s.rho
        sq *= rho
        np.multiply(g, g, out=u)
        u *= 1 - rho
        sq += u
        np.sqrt(sq, out=u)
        u += self.s.eps
        np.divide(g, u, out=u)
        u *= self.s.lr
        return u


class Adam(Optimizer):
    def __init__(self, size, dtype, settings):
        super().__init__(size, dtype, settings)
        self.m = self._buffer()
        self.v = self._buffer()

    def update(self, g):
        s, m, v, u = self.s, self.m, self.v, self.u
        self.t += 1
        m *= s.beta1
        np.multiply(g, 1 - s.beta1, out=u)
        m += u
        v *= s.beta2
        np.multiply(g, g, out=u)
        u *= 1 - s.beta2
        v += u
        # lr * m̂ / (sqrt(v̂) + eps), with the bias corrections folded into scalars.
        c1 = 1 - s.beta1**self.t
        c2 = math.sqrt(1 - s.beta2**self.t)
        np.sqrt(v, out=u)
        u += s.eps * c2
        np.divide(m, u, out=u)
        u *= s.lr * c2 / c1
        return u


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "rmsprop": RMSprop,
    "adam": Adam,
}


def make_optimizer(name: str, size: int, dtype, settings: OptimizerSettings) -> Optimizer:
    """An optimiser ``name`` for a flat vector of ``size`` parameters."""
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise KeyError(f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}") from None
    return cls(size, dtype, settings)
