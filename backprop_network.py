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

Data come as the course's lists of tuples or as one pair of matrices (faster: no conversion):
    training data  [(x (k_0, 1), y (k_L, 1) one-hot), ...]   or   (x (k_0, n), y (k_L, n))
    test data      [(x (k_0, 1), label), ...]                or   (x (k_0, n), labels (n,))
The arithmetic is that of the parameters: float64 as drawn, float32 if they are cast to it.
"""

import random

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


def as_matrices(data):
    """The course's list of (x (k_0, 1), y) tuples as one pair (x (k_0, n), y): y is (k_L, n)
    one-hot for training data, (n,) labels for test data. A pair of matrices comes back as is."""
    if isinstance(data, tuple):
        return data
    x = np.hstack([x for x, _ in data])
    y = [y for _, y in data]
    return x, (np.hstack(y) if np.ndim(y[0]) else np.array(y))


class Network:
    def __init__(self, sizes):
        """sizes = [k_0, ..., k_L]; ``Network([784, 40, 10])`` has one hidden layer of 40 ReLUs.

        Every parameter is drawn N(0, 1) from numpy's global generator, biases first, as the
        course does; ``load()`` seeds that generator, so a network built after it starts the same
        every time.
        """
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.biases = [np.random.randn(y, 1) for y in sizes[1:]]
        self.weights = [np.random.randn(y, x) for x, y in zip(sizes[:-1], sizes[1:])]

    def SGD(
        self, training_data, epochs, mini_batch_size, learning_rate, test_data, track_training=False
    ):
        """Mini-batch SGD, the course's loop. Every epoch shuffles the training examples with
        Python's ``random.shuffle``, the order carried over from epoch to epoch, cuts them into
        mini-batches of ``mini_batch_size`` (the last may be smaller), calls ``update_mini_batch``
        on each and then measures the test accuracy, printing the course's lines. So for the same
        ``random.seed`` it visits the course's mini-batches, draws nothing from numpy's generator,
        and leaves a list of examples in the order the course's in-place shuffle leaves it.
        Returns the per-epoch history: "test_accuracy", and with ``track_training`` also
        "train_accuracy" and "train_loss" on the training data.
        """
        dtype = self.weights[0].dtype
        x, y = as_matrices(training_data)
        x, y = np.asfortranarray(x), np.asarray(y, dtype)  # an example is a contiguous column
        test_x, test_labels = as_matrices(test_data)
        # Images and parameters meet in the parameters' dtype, where numpy multiplies with BLAS:
        # cast once for measuring; a mini-batch is cast as it is gathered (less memory traffic).
        test = (np.asarray(test_x, dtype), test_labels)
        if track_training:
            train_x, train_labels = np.asarray(x, dtype), y.argmax(axis=0)
            history = {"train_accuracy": [], "train_loss": [], "test_accuracy": []}
        else:
            history = {"test_accuracy": []}
        print(f"Initial test accuracy: {self.one_label_accuracy(test)}", flush=True)
        order = list(range(x.shape[1]))  # the course shuffles its list; this shuffles positions
        for j in range(epochs):
            random.shuffle(order)
            positions = np.array(order)
            for k in range(0, x.shape[1], mini_batch_size):
                batch = positions[k : k + mini_batch_size]
                mini_batch = (x[:, batch].astype(dtype, copy=False), y[:, batch])
                self.update_mini_batch(mini_batch, learning_rate)
            if track_training:  # one_hot_accuracy and loss of the training data, in one pass
                v_L = self.network_output_before_softmax(train_x)
                history["train_accuracy"].append(float(np.mean(v_L.argmax(axis=0) == train_labels)))
                history["train_loss"].append(float(-np.sum(y * log_softmax(v_L)) / x.shape[1]))
            history["test_accuracy"].append(self.one_label_accuracy(test))
            print(f"Epoch {j} test accuracy: {history['test_accuracy'][-1]}", flush=True)
        if isinstance(training_data, list):
            training_data[:] = [training_data[i] for i in order]
        return history

    def update_mini_batch(self, mini_batch, learning_rate):
        """One SGD step on the mean loss of the mini-batch, the course's
        W_l <- W_l - (learning_rate / m) * (sum over its m examples of dl/dW_l), same for b_l.

        mini_batch: the course's list of (x (k_0, 1), y (k_L, 1)) pairs, or a pair of matrices
        (x (k_0, m), y (k_L, m)). Like the course's, it binds new lists of new arrays, so arrays
        taken from the network before the step keep their values.
        """
        db, dw = self.backprop(*as_matrices(mini_batch))

        def step(p, g):  # p - learning_rate * g, written into the gradient's own fresh array
            g *= learning_rate
            return np.subtract(p, g, out=g)

        self.biases = [step(b, g) for b, g in zip(self.biases, db)]
        self.weights = [step(w, g) for w, g in zip(self.weights, dw)]

    def backprop(self, x, y):
        """``(db, dw)``: db[l-1] = dl/db_l (k_l, 1) and dw[l-1] = dl/dW_l (k_l, k_{l-1}), the
        gradients of the mean loss over the columns of x (k_0, m), y (k_L, m) one-hot.

        Forward, keeping every v_l and z_l; then backward from dl/dv_L = z_L - y (question 4):
            dl/dW_l = dl/dv_l z_{l-1}^T,    dl/db_l = dl/dv_l    (summed over the columns, / m)
            delta_{l-1} = dl/dz_{l-1} = W_l^T dl/dv_l,   dl/dv_{l-1} = delta_{l-1} o sigma'(v_{l-1})
        """
        vs, zs = [], [x]
        for w, b in zip(self.weights[:-1], self.biases[:-1]):
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
        for w, b in zip(self.weights[:-1], self.biases[:-1]):
            z = relu(w @ z + b)
        return self.weights[-1] @ z + self.biases[-1]

    def output_softmax(self, output_activations):
        """z_L = softmax(v_L) of the output v_L (k_L, m) before the softmax, as the course's:
        ``net.output_softmax(net.network_output_before_softmax(x))`` gives the class
        probabilities, one column each."""
        return softmax(output_activations)

    def loss(self, data):
        """l(W): the mean over the (x, one-hot y) examples of -y . log softmax(v_L)."""
        x, y = as_matrices(data)
        return float(-np.sum(y * log_softmax(self.network_output_before_softmax(x))) / x.shape[1])

    def one_label_accuracy(self, data):
        """Fraction of (x, label) examples whose largest output is the label (test form)."""
        x, labels = as_matrices(data)
        return float(np.mean(self.network_output_before_softmax(x).argmax(axis=0) == labels))

    def one_hot_accuracy(self, data):
        """Fraction of (x, one-hot y) examples whose largest output is argmax y (training form)."""
        x, y = as_matrices(data)
        return self.one_label_accuracy((x, y.argmax(axis=0)))


def warmup_cosine(t, warmup):
    """The learning-rate factor when the fraction t in [0, 1) of training is done: linear from 0
    to 1 over the first ``warmup``, then half a cosine down to 0; 1 throughout if warmup is None."""
    if warmup is None:
        return 1.0
    if t < warmup:
        return t / warmup
    return 0.5 * (1.0 + float(np.cos(np.pi * (t - warmup) / (1.0 - warmup))))


class BonusNetwork(Network):
    """Part (d): the course's Network, trained by its SGD and back-propagation, with another
    start and another step. config holds
        sizes, init ("he": W_l ~ N(0, 2 / k_{l-1}) and b_l = 0, He et al. 2015; "normal": the
        course's N(0, 1)), dtype of the parameters, momentum mu, warmup (the fraction of the
        steps over which the rate grows, then a cosine decay; None: a constant rate), seed;
    augment: None, or a function (x (k_0, m), generator) -> x (k_0, m) that distorts every
    training mini-batch at random (drawn from a generator seeded by config["seed"]).
    Like Network, it draws its parameters from numpy's global generator.
    """

    def __init__(self, config, augment=None):
        super().__init__(config["sizes"])
        if config["init"] == "he":
            self.weights = [w * np.sqrt(2.0 / w.shape[1]) for w in self.weights]
            self.biases = [np.zeros_like(b) for b in self.biases]
        self.weights = [w.astype(config["dtype"]) for w in self.weights]
        self.biases = [b.astype(config["dtype"]) for b in self.biases]
        self.velocities = [np.zeros_like(p) for p in self.biases + self.weights]
        self.momentum, self.warmup, self.augment = config["momentum"], config["warmup"], augment
        self.generator = np.random.default_rng(config["seed"])
        self.steps, self.steps_done = 1, 0

    def SGD(
        self, training_data, epochs, mini_batch_size, learning_rate, test_data, track_training=False
    ):
        """Network.SGD, with the schedule spread over its epochs * ceil(n / mini_batch_size)
        steps."""
        x, y = as_matrices(training_data)
        self.steps, self.steps_done = epochs * -(-x.shape[1] // mini_batch_size), 0
        return super().SGD(
            (x, y), epochs, mini_batch_size, learning_rate, test_data, track_training
        )

    def update_mini_batch(self, mini_batch, learning_rate):
        """A Nesterov momentum step on the distorted mini-batch at the scheduled rate lr_t:
        u <- mu u + g, then p <- p - lr_t (g + mu u), for every parameter p with gradient g
        (mu = 0 and warmup None is the course's step)."""
        x, y = as_matrices(mini_batch)
        if self.augment is not None:
            x = self.augment(x, self.generator)
        rate = learning_rate * warmup_cosine(self.steps_done / self.steps, self.warmup)
        self.steps_done += 1
        db, dw = self.backprop(x, y)
        for p, g, u in zip(self.biases + self.weights, db + dw, self.velocities):
            u *= self.momentum
            u += g
            p -= rate * (g + self.momentum * u)
