"""The course's Network: a fully connected ReLU network with a softmax output, trained by SGD.

The homework's notation, for sizes [k_0, k_1, ..., k_L] (k_0 = 784 pixels, k_L = 10 digits):

    z_0 = x
    v_l = W_l z_{l-1} + b_l,    z_l = relu(v_l)          for l = 1, ..., L-1
    v_L = W_L z_{L-1} + b_L,    z_L = softmax(v_L)
    loss of one example:  l_(x,y) = -y . log z_L,    and l(W) is its mean over the examples.

weights[l-1] is W_l (k_l, k_{l-1}) and biases[l-1] is b_l (k_l, 1). Every array holds one
example per column: x is (k_0, m), y is (k_L, m), v_l and z_l are (k_l, m). A single example
(m = 1) is the course's column vector; for m > 1 ``backprop`` returns the gradient of the mean
loss over the columns, which is the course's sum of per-example gradients divided by m, found
with one matrix product per layer instead of m.

Data come as the course's lists of tuples or, to save converting them every call, as one pair
of matrices:
    training data  [(x (k_0, 1), y (k_L, 1) one-hot), ...]   or   (x (k_0, n), y (k_L, n))
    test data      [(x (k_0, 1), label), ...]                or   (x (k_0, n), labels (n,))
The arithmetic is that of the parameters: float64 as drawn; cast them all to float32 to train
faster (benchmarks/epoch_speed.py times both).
"""

import numpy as np


def relu(z):
    """sigma(z) = max(z, 0), elementwise."""
    return np.maximum(z, 0)


def relu_derivative(z):
    """sigma'(z): 1 where z > 0, else 0 (the subgradient 0 at z = 0), in z's dtype."""
    return (z > 0).astype(z.dtype)


def softmax(v):
    """softmax of each column of v (k, m), shifted by the column's maximum so exp never
    overflows."""
    e = np.exp(v - v.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def log_softmax(v):
    """log softmax of each column of v (k, m), as v - logsumexp(v), finite for any finite v."""
    shifted = v - v.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


class Network:
    def __init__(self, sizes):
        """sizes = [k_0, ..., k_L]; ``Network([784, 40, 10])`` has one hidden layer of 40 ReLUs.

        Every parameter is drawn N(0, 1) from numpy's global generator, biases first, as the
        course does; ``load()`` seeds that generator, so a network built after it starts the same
        every time.
        """
        if len(sizes) < 2 or not all(
            isinstance(k, int | np.integer) and not isinstance(k, bool) and k >= 1 for k in sizes
        ):
            raise ValueError(f"sizes must be at least two positive integers, got {sizes}")
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.biases = [np.random.randn(y, 1) for y in sizes[1:]]
        self.weights = [np.random.randn(y, x) for x, y in zip(sizes[:-1], sizes[1:], strict=True)]

    def SGD(
        self,
        training_data,
        epochs,
        mini_batch_size,
        learning_rate,
        test_data,
        track_training=False,
        rng=None,
        verbose=True,
        on_epoch=None,
    ):
        """Mini-batch SGD. Every epoch shuffles the training examples, cuts them into
        mini-batches of ``mini_batch_size`` (the last may be smaller), calls
        ``update_mini_batch`` on each and then measures the test accuracy.

        Prints the course's lines ("Initial test accuracy: ...", "Epoch j test accuracy: ...")
        unless ``verbose`` is false, and returns the history: per-epoch lists "test_accuracy",
        and with ``track_training`` also "train_accuracy" and "train_loss"; "diverged_at_epoch"
        is None, or the epoch j in which a parameter overflowed to inf or NaN: training stops
        there, and the lists hold the j epochs before it.
        rng: None shuffles with numpy's global generator (which ``load()`` seeds), as the course
        does; a seed shuffles with ``np.random.default_rng(rng)``, so that a run repeats exactly.
        on_epoch: called as on_epoch(j, history) after each epoch (a progress bar, say).
        """
        x, y = self._columns(training_data, "training_data", form="one-hot")
        x = np.asfortranarray(x)  # each example contiguous: a mini-batch is a quick copy
        dtype = self.weights[0].dtype  # of the arithmetic; x keeps its own (MNIST's float32)
        test = self._columns(test_data, "test_data")
        for name, value, lowest in (("epochs", epochs, 0), ("mini_batch_size", mini_batch_size, 1)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < lowest:
                raise ValueError(f"{name} must be an integer >= {lowest}, got {value!r}")
        shuffled = np.random.permutation if rng is None else np.random.default_rng(rng).permutation
        history = {"test_accuracy": [], "diverged_at_epoch": None}
        if track_training:
            history |= {"train_accuracy": [], "train_loss": []}
        if verbose:
            print(f"Initial test accuracy: {self.one_label_accuracy(test)}")
        for j in range(epochs):
            order = shuffled(x.shape[1])
            with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked below
                for k in range(0, x.shape[1], mini_batch_size):
                    batch = order[k : k + mini_batch_size]
                    mini_batch = (x[:, batch].astype(dtype, copy=False), y[:, batch])
                    self.update_mini_batch(mini_batch, learning_rate)
            if not all(np.isfinite(p).all() for p in self.weights + self.biases):
                history["diverged_at_epoch"] = j
                if verbose:
                    print(f"Epoch {j}: the parameters overflowed; training stopped")
                break
            history["test_accuracy"].append(self.one_label_accuracy(test))
            if track_training:
                history["train_accuracy"].append(self.one_hot_accuracy((x, y)))
                history["train_loss"].append(self.loss((x, y)))
            if verbose:
                print(f"Epoch {j} test accuracy: {history['test_accuracy'][-1]}")
            if on_epoch is not None:
                on_epoch(j, history)
        return history

    def update_mini_batch(self, mini_batch, learning_rate):
        """One SGD step on the mean loss of the mini-batch:
        W_l <- W_l - learning_rate * dl/dW_l and b_l <- b_l - learning_rate * dl/db_l.

        mini_batch: the course's list of (x (k_0, 1), y (k_L, 1)) pairs, or a pair of matrices
        (x (k_0, m), y (k_L, m)).
        """
        if not isinstance(mini_batch, tuple):
            mini_batch = self._columns(mini_batch, "mini_batch", form="one-hot")
        db, dw = self.backprop(*mini_batch)
        for p, g in zip(self.biases + self.weights, db + dw, strict=True):
            g *= learning_rate  # in place, to spare a temporary the size of W_l
            p -= g

    def backprop(self, x, y):
        """``(db, dw)``: db[l-1] = dl/db_l (k_l, 1) and dw[l-1] = dl/dW_l (k_l, k_{l-1}), the
        gradients of the mean loss over the columns of x (k_0, m), y (k_L, m) one-hot.

        Forward, keeping every v_l and z_l; then backward from dl/dv_L = z_L - y (question 4):
            dl/dW_l = dl/dv_l z_{l-1}^T,    dl/db_l = dl/dv_l    (summed over the columns, / m)
            delta_{l-1} = dl/dz_{l-1} = W_l^T dl/dv_l,   dl/dv_{l-1} = delta_{l-1} o sigma'(v_{l-1})
        """
        vs, zs = [], [x]
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            vs.append(w @ zs[-1] + b)
            zs.append(relu(vs[-1]))
        vs.append(self.weights[-1] @ zs[-1] + self.biases[-1])  # v_L; z_L = softmax(v_L)
        dl_dv = self.loss_derivative_wr_output_activations(vs[-1], y) / x.shape[1]
        db, dw = [None] * len(self.weights), [None] * len(self.weights)
        for layer in range(len(self.weights), 0, -1):  # l = L, ..., 1; W_l is weights[l-1]
            db[layer - 1] = dl_dv.sum(axis=1, keepdims=True)
            dw[layer - 1] = dl_dv @ zs[layer - 1].T
            if layer > 1:
                delta = self.weights[layer - 1].T @ dl_dv
                dl_dv = delta * relu_derivative(vs[layer - 2])
        return db, dw

    def loss_derivative_wr_output_activations(self, output_activations, y):
        """dl/dv_L = softmax(v_L) - y, the gradient of -y . log softmax(v_L) (question 4)."""
        return softmax(output_activations) - y

    def network_output_before_softmax(self, x):
        """v_L for inputs x (k_0, m): ReLU on the hidden layers, a linear last layer."""
        z = x
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            z = relu(w @ z + b)
        return self.weights[-1] @ z + self.biases[-1]

    def output_softmax(self, x):
        """z_L = softmax(v_L) for inputs x (k_0, m): class probabilities, one column each."""
        return softmax(self.network_output_before_softmax(x))

    def loss(self, data):
        """l(W): the mean over the examples of -y . log softmax(v_L)."""
        x, y = self._columns(data, form="one-hot")
        return float(-np.sum(y * log_softmax(self.network_output_before_softmax(x))) / x.shape[1])

    def one_label_accuracy(self, data):
        """Fraction of (x, label) examples whose largest output is the label (test form)."""
        x, labels = self._columns(data)
        return float(np.mean(self.network_output_before_softmax(x).argmax(axis=0) == labels))

    def one_hot_accuracy(self, data):
        """Fraction of (x, one-hot y) examples whose largest output is argmax y (training form)."""
        return self.one_label_accuracy(data)

    def _columns(self, data, name="data", form="labels"):
        """``data`` as a pair of matrices, x (k_0, n) and either one-hot targets (k_L, n) in the
        parameters' dtype (``form="one-hot"``) or labels (n,); both forms are accepted."""
        if data is None or len(data) == 0:
            raise ValueError(f"{name} is missing or empty")
        if isinstance(data, tuple) and isinstance(data[0], np.ndarray):
            x, y = data
        else:  # the course's list of (x, y) tuples
            x = np.hstack([example[0] for example in data])
            y = [example[1] for example in data]
            y = np.hstack(y) if np.ndim(y[0]) else np.array(y)
        x, y = np.asarray(x), np.asarray(y)
        k_0, k_L = self.sizes[0], self.sizes[-1]
        if x.ndim != 2 or x.shape[0] != k_0 or y.shape not in ((x.shape[1],), (k_L, x.shape[1])):
            raise ValueError(
                f"{name}: got inputs {x.shape} and targets {y.shape}; a network of sizes "
                f"{self.sizes} takes ({k_0}, n) with ({k_L}, n) one-hot targets or (n,) labels"
            )
        if form == "labels":
            return x, (y.argmax(axis=0) if y.ndim == 2 else y)
        dtype = self.weights[0].dtype
        return x, (np.asarray(y, dtype) if y.ndim == 2 else np.eye(k_L, dtype=dtype)[:, y])
