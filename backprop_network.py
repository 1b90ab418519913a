"""A fully connected ReLU network with a softmax output, trained by mini-batch SGD.

Notation of the homework, for a network of L layers with sizes k_0 = 784, k_1, ..., k_L = 10:

    z_0 = x
    v_l = W_l z_{l-1} + b_l,    z_l = relu(v_l)            for l = 1, ..., L-1
    v_L = W_L z_{L-1} + b_L,    z_L = softmax(v_L)
    loss of one example:  l_(x,y) = -y . log z_L

Every array holds one example per column, so x is (784, m), y is (10, m), v_l and z_l are
(k_l, m). A single example is the case m = 1, exactly the course's column vectors, and the
gradients of a mini-batch are those of its mean loss.
"""

from typing import NamedTuple

import numpy as np

from backprop_data import Matrices, check_int, to_matrices


def relu(z):
    """sigma(z) = max(z, 0), elementwise."""
    return np.maximum(z, 0.0)


def relu_derivative(z):
    """sigma'(z): 1 where z > 0, else 0 (the subgradient 0 at z = 0)."""
    return (z > 0).astype(np.result_type(z, np.float32))


def log_softmax(v):
    """log softmax of each column of v (k, m), computed stably as v - logsumexp(v)."""
    shifted = v - v.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def softmax(v):
    """softmax of each column of v (k, m); never overflows, whatever the size of v."""
    e = np.exp(v - v.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def warmup_cosine(warmup=0.05):
    """A learning-rate schedule: linear from 0 over the first ``warmup`` of training, then
    half a cosine down to 0. Returns f(t) for t in [0, 1), the fraction of training done."""

    def factor(t):
        t = np.asarray(t, dtype=np.float64)
        rising = t / warmup if warmup > 0 else np.ones_like(t)
        falling = 0.5 * (1.0 + np.cos(np.pi * (t - warmup) / (1.0 - warmup)))
        return np.where(t < warmup, rising, falling)

    return factor


class StepOptions(NamedTuple):
    """What an SGD step uses beyond the course's plain one; see ``Network.SGD``."""

    momentum: float
    weight_decay: float
    dropout: float
    generator: object
    velocities: list | None


PLAIN_SGD = StepOptions(
    momentum=0.0, weight_decay=0.0, dropout=0.0, generator=None, velocities=None
)


class Network:
    """sizes = [k_0, ..., k_L]; ``Network([784, 40, 10])`` has one hidden layer of 40 ReLUs.

    weights[l-1] is W_l (k_l, k_{l-1}) and biases[l-1] is b_l (k_l, 1), drawn with numpy's
    global generator (biases first, then weights) as the course does:
      init="normal": every entry N(0, 1), the course's initialisation;
      init="he": W_l entries N(0, 2 / k_{l-1}) and b_l = 0, which keeps the variance of v_l
        steady through deep ReLU layers (He et al., 2015).
    dtype: float64 (the course's) or float32, which trains about 1.5 times as fast.
    """

    def __init__(self, sizes, dtype=np.float64, init="normal"):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output layer, got {sizes}")
        if any(isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1 for k in sizes):
            raise ValueError(f"every layer size must be a positive integer, got {sizes}")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        if init not in ("normal", "he"):
            raise ValueError(f'init must be "normal" or "he", got {init!r}')
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.biases = [np.random.randn(y, 1).astype(self.dtype) for y in sizes[1:]]
        self.weights = [
            np.random.randn(y, x).astype(self.dtype)
            for x, y in zip(sizes[:-1], sizes[1:], strict=True)
        ]
        if init == "he":
            for b, w in zip(self.biases, self.weights, strict=True):
                b[...] = 0.0
                w *= np.sqrt(2.0 / w.shape[1])

    def SGD(
        self,
        training_data,
        epochs,
        mini_batch_size,
        learning_rate,
        test_data,
        *,
        track_training=False,
        rng=None,
        verbose=True,
        momentum=0.0,
        weight_decay=0.0,
        dropout=0.0,
        schedule=None,
        augment=None,
        on_epoch=None,
    ):
        """Train by mini-batch SGD, testing after every epoch; return the per-epoch history.

        training_data: the course's list of (x (784, 1), y (10, 1)) or a ``Matrices``.
        test_data: the course's list of (x (784, 1), label) or a ``Matrices``.
        Each epoch shuffles the training set, splits it into mini-batches of ``mini_batch_size``
        (the last may be smaller) and takes one step per mini-batch on its mean loss.

        Returns a dict of per-epoch lists: "test_accuracy" always; "train_accuracy" and
        "train_loss" too when ``track_training`` is true. A run whose parameters overflow has
        diverged: it stops, "diverged_at_epoch" says when (else it is None), and that epoch and
        the ones after it record an infinite loss and NaN accuracies.
        rng: None draws from numpy's global generator (seeded by ``load``), as the course
        does; an int seed or a numpy Generator gives runs that repeat exactly.
        verbose: print the course's lines ("Initial test accuracy: ...", "Epoch j ...").

        Options, all off by default (the course's plain SGD):
          momentum mu: Nesterov momentum, u <- mu u + g, p <- p - lr (g + mu u);
          weight_decay lam: adds lam W_l to dl/dW_l (an L2 penalty lam/2 |W_l|^2; biases free);
          dropout p: each hidden z_l is zeroed with probability p while training and the kept
            units scaled by 1 / (1 - p), so evaluation needs no change;
          schedule: f(t) -> factor, t in [0, 1) the fraction of training done; the step at t
            uses learning_rate * f(t) (see ``warmup_cosine``);
          augment: f(x (k_0, m), generator) -> x', applied to every training mini-batch;
          on_epoch: f(epoch, history), called after each epoch's numbers are recorded.
        """
        check_int("mini_batch_size", mini_batch_size)
        check_int("epochs", epochs, lowest=0)
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        train = self._as_matrices(training_data, "training_data")
        test = self._as_matrices(test_data, "test_data")
        generator = np.random if rng is None else np.random.default_rng(rng)
        steps_per_epoch = -(-len(train) // mini_batch_size)
        progress = np.arange(epochs * steps_per_epoch) / max(epochs * steps_per_epoch, 1)
        factors = np.ones_like(progress) if schedule is None else schedule(progress)
        learning_rates = (learning_rate * factors).reshape(epochs, steps_per_epoch).tolist()
        options = StepOptions(
            momentum=momentum,
            weight_decay=weight_decay,
            dropout=dropout,
            generator=generator,
            velocities=[np.zeros_like(p) for p in self.biases + self.weights] if momentum else None,
        )
        history = {"test_accuracy": [], "diverged_at_epoch": None}
        if track_training:
            history["train_accuracy"] = []
            history["train_loss"] = []
        if verbose:
            print(f"Initial test accuracy: {self._accuracy(test)}")
        for epoch in range(epochs):
            if history["diverged_at_epoch"] is None and not self._train_epoch(
                train, mini_batch_size, learning_rates[epoch], augment, options
            ):
                history["diverged_at_epoch"] = epoch
            diverged = history["diverged_at_epoch"] is not None
            history["test_accuracy"].append(np.nan if diverged else self._accuracy(test))
            if track_training:
                accuracy, loss = (np.nan, np.inf) if diverged else self._accuracy_and_loss(train)
                history["train_accuracy"].append(accuracy)
                history["train_loss"].append(loss)
            if verbose:
                print(f"Epoch {epoch} test accuracy: {history['test_accuracy'][-1]}")
            if on_epoch is not None:
                on_epoch(epoch, history)
        return history

    def update_mini_batch(self, mini_batch, learning_rate):
        """One SGD step on the mean loss of ``mini_batch``: W_l <- W_l - lr * dl/dW_l, same for b_l.

        mini_batch: the course's list of (x (784, 1), y (10, 1)) pairs, or a pair of matrices
        (x (784, m), y (10, m)). The course sums per-example gradients and divides by m; the
        gradient of the mean loss is that same number, computed in one pass.
        """
        if isinstance(mini_batch, tuple) and isinstance(mini_batch[0], np.ndarray):
            x, y = self._checked_pair(*mini_batch)
        else:
            batch = self._as_matrices(mini_batch, "mini_batch")
            x, y = batch.x, batch.one_hot
        self._step(x, y, learning_rate)

    def backprop(self, x, y):
        """Gradients of the mean cross-entropy loss over the columns of x: ``(db, dw)``.

        x: (k_0, m) inputs, y: (k_L, m) one-hot targets. For m = 1 these are the gradients of
        l_(x,y) itself, the course's per-example ``backprop(x, y)``.
        db[l-1] = dl/db_l (k_l, 1) and dw[l-1] = dl/dW_l (k_l, k_{l-1}), found backwards from
            dl/dv_L = z_L - y                                  (question 4)
            delta_l = dl/dz_l = W_{l+1}^T dl/dv_{l+1},   dl/dv_l = delta_l o sigma'(v_l)
            dl/dW_l = dl/dv_l z_{l-1}^T,                 dl/db_l = dl/dv_l
        with each sum over the m columns divided by m.
        """
        return self._gradients(*self._checked_pair(x, y))

    def one_label_accuracy(self, data):
        """Fraction of (x, label) examples whose largest output is the label (test form)."""
        return self._accuracy(self._as_matrices(data, "data"))

    def one_hot_accuracy(self, data):
        """Fraction of (x, one-hot y) examples whose largest output is argmax y (training form)."""
        return self._accuracy(self._as_matrices(data, "data"))

    def loss(self, data):
        """Mean over the examples of -y . log softmax(v_L), the homework's l(W)."""
        return self._accuracy_and_loss(self._as_matrices(data, "data"))[1]

    def network_output_before_softmax(self, x):
        """v_L for inputs x (k_0, m): ReLU on the hidden layers, linear last layer."""
        return self._forward(x)[0][-1]

    def output_softmax(self, x):
        """z_L = softmax(v_L) for inputs x (k_0, m): class probabilities, one column each."""
        return softmax(self.network_output_before_softmax(x))

    def loss_derivative_wr_output_activations(self, output_activations, y):
        """dl/dv_L = softmax(v_L) - y, the gradient of -y . log softmax(v_L) (question 4)."""
        return softmax(output_activations) - y

    def _forward(self, x, dropout=0.0, generator=None):
        """[v_1, ..., v_L], [z_0, ..., z_{L-1}] and the gates dz_l/dv_l for inputs x (k_0, m).

        A hidden layer's gate is sigma'(v_l) (as booleans), times the dropout mask scaled by
        1 / (1 - dropout) while training, so that z_l = v_l o gate_l and the backward pass
        multiplies by the same gate.
        """
        vs, zs, gates = [], [x], []
        for w, b in zip(self.weights, self.biases, strict=True):
            v = w @ zs[-1]
            v += b
            vs.append(v)
            if len(vs) < len(self.weights):
                gate = v > 0
                if dropout:
                    kept = generator.random(v.shape) >= dropout
                    gate = (gate & kept) * np.asarray(1.0 / (1.0 - dropout), dtype=v.dtype)
                gates.append(gate)
                zs.append(v * gate)
        return vs, zs, gates

    def _gradients(self, x, y, dropout=0.0, generator=None, scale=1.0):
        """backprop without the checks: the SGD loop's hot path.

        Every gradient is linear in dl/dv_L, so scaling it by ``scale`` scales them all: SGD
        asks for learning_rate * gradient at the price of one (k_L, m) multiplication.
        """
        vs, zs, gates = self._forward(x, dropout, generator)
        grad_v = self.loss_derivative_wr_output_activations(vs[-1], y)
        grad_v *= scale / x.shape[1]
        db = [None] * len(self.weights)
        dw = [None] * len(self.weights)
        for layer in range(len(self.weights) - 1, -1, -1):
            db[layer] = grad_v.sum(axis=1, keepdims=True)
            dw[layer] = grad_v @ zs[layer].T
            if layer > 0:
                delta = self.weights[layer].T @ grad_v
                delta *= gates[layer - 1]
                grad_v = delta
        return db, dw

    def _step(self, x, y, learning_rate, options=PLAIN_SGD):
        """One step on the mean loss of the columns of x (k_0, m), y (k_L, m)."""
        if options.velocities is None and not options.weight_decay:
            db, dw = self._gradients(x, y, options.dropout, options.generator, learning_rate)
            for p, step in zip(self.biases + self.weights, db + dw, strict=True):
                p -= step
            return
        db, dw = self._gradients(x, y, options.dropout, options.generator)
        if options.weight_decay:
            for g, w in zip(dw, self.weights, strict=True):
                g += options.weight_decay * w
        if options.velocities is None:
            for p, g in zip(self.biases + self.weights, db + dw, strict=True):
                p -= learning_rate * g
            return
        for p, g, u in zip(self.biases + self.weights, db + dw, options.velocities, strict=True):
            u *= options.momentum
            u += g
            g += options.momentum * u
            p -= learning_rate * g

    def _train_epoch(self, train, mini_batch_size, learning_rates, augment, options):
        """One shuffled pass over ``train``; False (parameters restored) if they overflowed."""
        order = options.generator.permutation(len(train))
        saved = [p.copy() for p in self.biases + self.weights]
        try:
            with np.errstate(over="raise", invalid="raise"):
                for step, start in enumerate(range(0, len(train), mini_batch_size)):
                    batch = order[start : start + mini_batch_size]
                    x = train.x[:, batch]
                    if augment is not None:
                        x = augment(x, options.generator)
                    self._step(x, train.one_hot[:, batch], learning_rates[step], options)
                finite = all(np.isfinite(p).all() for p in self.biases + self.weights)
        except FloatingPointError:
            finite = False
        if not finite:
            for p, p_saved in zip(self.biases + self.weights, saved, strict=True):
                p[...] = p_saved
        return finite

    def _accuracy(self, data):
        predictions = self.network_output_before_softmax(data.x).argmax(axis=0)
        return float(np.mean(predictions == data.labels))

    def _accuracy_and_loss(self, data):
        """(fraction classified right, mean cross-entropy) of ``data`` from one forward pass."""
        v = self.network_output_before_softmax(data.x)
        accuracy = float(np.mean(v.argmax(axis=0) == data.labels))
        loss = -float(np.sum(data.one_hot * log_softmax(v))) / len(data)
        return accuracy, loss

    def _as_matrices(self, data, name):
        """``data`` as ``Matrices`` in this network's dtype, checked against its sizes."""
        data = to_matrices(data, self.sizes[-1])
        if data.x.shape[0] != self.sizes[0] or data.one_hot.shape[0] != self.sizes[-1]:
            raise ValueError(
                f"{name}: examples are ({data.x.shape[0]}, {data.one_hot.shape[0]}) "
                f"(input, output), the network's sizes are {self.sizes}"
            )
        return Matrices(
            np.asarray(data.x, dtype=self.dtype, order="F"),
            data.labels,
            np.asarray(data.one_hot, dtype=self.dtype, order="F"),
        )

    def _checked_pair(self, x, y):
        x, y = np.asarray(x), np.asarray(y)
        if x.ndim != 2 or x.shape[0] != self.sizes[0]:
            raise ValueError(f"x must have shape ({self.sizes[0]}, m), got {x.shape}")
        if y.shape != (self.sizes[-1], x.shape[1]):
            raise ValueError(f"y must have shape ({self.sizes[-1]}, {x.shape[1]}), got {y.shape}")
        return x, y
