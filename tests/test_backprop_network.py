"""backprop_network.py through its public methods: back-propagation against finite differences
and autograd, the course's step, loss and accuracies, training behaviour, and bad input."""

import ast
import functools
from pathlib import Path

import numpy as np
import pytest
import torch

import backprop_data as data
import backprop_network
from backprop_network import Network, log_softmax, relu, relu_derivative, softmax

pytestmark = pytest.mark.filterwarnings("error")

ARCHITECTURES = [[6, 3], [7, 5, 4], [8, 6, 5, 7, 4]]  # no hidden layer, one, three


def random_network(sizes, seed=0):
    """A float64 network with weights of scale 1/sqrt(fan-in), so no ReLU sits near a kink."""
    rng = np.random.default_rng(seed)
    net = Network(sizes)
    net.weights = [rng.normal(0, 1 / np.sqrt(w.shape[1]), w.shape) for w in net.weights]
    net.biases = [rng.normal(0, 0.5, b.shape) for b in net.biases]
    return net


def random_batch(sizes, m, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(sizes[0], m))
    y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]
    return x, y


def finite_difference_gradients(net, x, y, eps=1e-6):
    """Central differences of the mean loss ``net.loss((x, y))``, one parameter at a time."""
    grads = []
    for p in net.biases + net.weights:
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + eps
            up = net.loss((x, y))
            p[i] = saved - eps
            down = net.loss((x, y))
            p[i] = saved
            g[i] = (up - down) / (2 * eps)
        grads.append(g)
    return grads[: len(net.biases)], grads[len(net.biases) :]


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def test_the_module_imports_numpy_and_nothing_else():
    tree = ast.parse(Path(backprop_network.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}  # fmt: skip
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"numpy"}


def test_the_course_initialisation():
    np.random.seed(3)
    net = Network([784, 40, 10])
    np.random.seed(3)
    biases = [np.random.randn(40, 1), np.random.randn(10, 1)]
    weights = [np.random.randn(40, 784), np.random.randn(10, 40)]
    assert net.num_layers == 3 and net.sizes == [784, 40, 10]
    for ours, course in zip(net.biases + net.weights, biases + weights, strict=True):
        np.testing.assert_array_equal(ours, course)


@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=["no-hidden", "one-hidden", "three-hidden"])
@pytest.mark.parametrize("m", [1, 5])
def test_gradients_match_finite_differences(sizes, m):
    net = random_network(sizes)
    x, y = random_batch(sizes, m)
    db, dw = net.backprop(x, y)
    db_fd, dw_fd = finite_difference_gradients(net, x, y)
    assert [g.shape for g in db] == [b.shape for b in net.biases]
    assert [g.shape for g in dw] == [w.shape for w in net.weights]
    for g, g_fd in zip(db + dw, db_fd + dw_fd, strict=True):
        assert relative_error(g, g_fd) < 1e-6


@pytest.mark.parametrize("sizes", [[784, 40, 10], [20, 16, 12, 8, 5]])
def test_gradients_match_torch_autograd(sizes):
    net = random_network(sizes, seed=3)
    x, y = random_batch(sizes, 16, seed=4)
    params = [torch.tensor(p, requires_grad=True) for p in net.biases + net.weights]
    biases, weights = params[: len(net.biases)], params[len(net.biases) :]
    z = torch.tensor(x)
    for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
        z = w @ z + b
        if layer < len(weights) - 1:
            z = torch.relu(z)
    loss = -(torch.tensor(y) * torch.log_softmax(z, dim=0)).sum() / x.shape[1]
    loss.backward()
    db, dw = net.backprop(x, y)
    assert loss.item() == pytest.approx(net.loss((x, y)), rel=1e-12)
    for ours, theirs in zip(db + dw, params, strict=True):
        assert relative_error(ours, theirs.grad.numpy()) < 1e-6


def test_the_network_uses_relu_and_relu_derivative(monkeypatch):
    """Swap the module's activation for softplus: backprop must follow it, so its gradients
    still match finite differences of the network's own output."""
    monkeypatch.setattr(backprop_network, "relu", lambda z: np.logaddexp(z, 0))
    monkeypatch.setattr(backprop_network, "relu_derivative", lambda z: 1 / (1 + np.exp(-z)))
    net = random_network([7, 5, 4])
    x, y = random_batch([7, 5, 4], 3)
    db, dw = net.backprop(x, y)
    for g, g_fd in zip(db + dw, sum(finite_difference_gradients(net, x, y), []), strict=True):
        assert relative_error(g, g_fd) < 1e-6
    v_1 = net.weights[0] @ x + net.biases[0]
    expected = net.weights[1] @ np.logaddexp(v_1, 0) + net.biases[1]
    np.testing.assert_allclose(net.network_output_before_softmax(x), expected)


def test_batch_gradient_is_the_mean_of_example_gradients():
    sizes = [12, 9, 6, 4]
    net = random_network(sizes)
    x, y = random_batch(sizes, 7)
    db, dw = net.backprop(x, y)
    per_example = [net.backprop(x[:, [j]], y[:, [j]]) for j in range(7)]
    for layer in range(3):
        np.testing.assert_allclose(db[layer], np.mean([g[0][layer] for g in per_example], axis=0))
        np.testing.assert_allclose(dw[layer], np.mean([g[1][layer] for g in per_example], axis=0))


@pytest.mark.parametrize("form", ["list", "matrices"])
def test_update_mini_batch_takes_the_course_step(form):
    """w <- w - (lr / m) * sum of per-example gradients."""
    sizes = [10, 7, 3]
    net = random_network(sizes)
    x, y = random_batch(sizes, 4)
    mini_batch = [(x[:, [j]], y[:, [j]]) for j in range(4)]
    sums = [np.zeros_like(p) for p in net.biases + net.weights]
    for xj, yj in mini_batch:
        db, dw = net.backprop(xj, yj)
        sums = [s + g for s, g in zip(sums, db + dw, strict=True)]
    expected = [p - (0.3 / 4) * s for p, s in zip(net.biases + net.weights, sums, strict=True)]
    net.update_mini_batch(mini_batch if form == "list" else (x, y), 0.3)
    for p, e in zip(net.biases + net.weights, expected, strict=True):
        np.testing.assert_allclose(p, e, rtol=1e-12, atol=1e-14)


def test_loss_and_accuracies_agree_with_one_example_at_a_time():
    sizes = [15, 8, 10]
    net = random_network(sizes)
    x, y = random_batch(sizes, 30)
    train = [(x[:, [j]], y[:, [j]]) for j in range(30)]
    test = [(x[:, [j]], int(y[:, j].argmax())) for j in range(30)]
    probs = [net.output_softmax(xj) for xj, _ in train]
    assert all(p.shape == (10, 1) and p.sum() == pytest.approx(1.0) for p in probs)
    expected_loss = np.mean(
        [-np.log(p[yj.argmax(), 0]) for p, (_, yj) in zip(probs, train, strict=True)]
    )
    expected_accuracy = np.mean(
        [p.argmax() == label for p, (_, label) in zip(probs, test, strict=True)]
    )
    assert 0 < expected_accuracy < 1
    labels = y.argmax(axis=0)
    for form in (train, test, (x, y), (x, labels)):
        assert net.loss(form) == pytest.approx(expected_loss, rel=1e-12)
        assert net.one_hot_accuracy(form) == net.one_label_accuracy(form) == expected_accuracy


def test_activation_helpers():
    z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(relu(z), [[0.0, 0.0, 3.0]])
    np.testing.assert_array_equal(relu_derivative(z), [[0.0, 0.0, 1.0]])
    assert relu_derivative(z.astype(np.float32)).dtype == np.float32
    v = np.array([[1.0], [2.0], [3.0]])
    y = np.array([[0.0], [1.0], [0.0]])
    net = Network([2, 3])
    expected = np.exp(v) / np.exp(v).sum() - y
    np.testing.assert_allclose(net.loss_derivative_wr_output_activations(v, y), expected)
    np.testing.assert_allclose(log_softmax(v), np.log(softmax(v)))


def test_huge_logits_give_finite_loss_and_gradient():
    v = np.array([[1e4, -1e4], [-1e4, 1e4], [0.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = softmax(v)
        log_p = log_softmax(v)
    assert np.isfinite(p).all() and np.isfinite(log_p).all()
    np.testing.assert_allclose(p[:, 0], [1.0, 0.0, 0.0])
    assert log_p[1, 0] == pytest.approx(-2e4)
    net = Network([2, 3])
    net.weights[0] = np.array([[1e5, 0.0], [0.0, 1e5], [-1e5, -1e5]])
    x = np.array([[1.0, 0.0], [0.0, 1.0]])
    y = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        db, dw = net.backprop(x, y)
        loss = net.loss((x, y))
    assert np.isfinite(loss) and loss > 1e4
    assert all(np.isfinite(g).all() for g in db + dw)


def test_course_example_runs_as_written_and_learns(capsys):
    training_data, test_data = data.load(train_size=10000, test_size=5000)
    net = Network([784, 40, 10])
    history = net.SGD(
        training_data, epochs=2, mini_batch_size=10, learning_rate=0.1, test_data=test_data
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Initial test accuracy: ")
    assert [line.split(":")[0] for line in lines[1:]] == [
        "Epoch 0 test accuracy",
        "Epoch 1 test accuracy",
    ]
    assert float(lines[-1].split(": ")[1]) == history["test_accuracy"][-1]
    assert history["test_accuracy"][-1] > 0.6
    assert set(history) == {"test_accuracy", "diverged_at_epoch"}


def test_list_and_matrix_forms_train_identically():
    training_data, test_data = data.load(500, 200)
    train, test = data.load_matrices(500, 200)
    histories, nets = [], []
    for train_form, test_form in ((training_data, test_data), (train, test)):
        np.random.seed(5)
        nets.append(Network([784, 20, 10]))
        histories.append(
            nets[-1].SGD(
                train_form, 2, 10, 0.1, test_form, track_training=True, rng=7, verbose=False
            )
        )
    assert histories[0] == histories[1]
    for a, b in zip(nets[0].weights, nets[1].weights, strict=True):
        np.testing.assert_array_equal(a, b)


@functools.cache
def small_subsets():
    return data.load_matrices(1000, 500)


def train_small(seed, rng=None, learning_rate=0.1, epochs=3, dtype=np.float64):
    train, test = small_subsets()
    np.random.seed(seed)
    net = Network([784, 30, 10])
    net.weights = [w.astype(dtype) for w in net.weights]
    net.biases = [b.astype(dtype) for b in net.biases]
    history = net.SGD(
        train, epochs, 10, learning_rate, test, track_training=True, rng=rng, verbose=False
    )
    return net, history


def test_a_seed_repeats_a_run_exactly():
    net_a, history_a = train_small(seed=1, rng=123)
    net_b, history_b = train_small(seed=1, rng=np.random.default_rng(123))
    _, history_c = train_small(seed=1, rng=124)
    assert history_a == history_b
    assert history_a != history_c
    for a, b in zip(net_a.weights + net_a.biases, net_b.weights + net_b.biases, strict=True):
        np.testing.assert_array_equal(a, b)


def test_without_a_seed_the_course_generator_decides():
    _, history_a = train_small(seed=1)
    _, history_b = train_small(seed=1)
    _, history_c = train_small(seed=2)
    assert history_a == history_b and history_a != history_c


def test_training_history_is_recorded_per_epoch():
    _, history = train_small(seed=0, rng=0, epochs=4)
    assert len(history["train_loss"]) == len(history["train_accuracy"]) == 4
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["train_accuracy"][-1] > 0.5 and history["diverged_at_epoch"] is None


def test_float32_parameters_train_in_float32_and_learn_like_float64():
    net32, history32 = train_small(seed=0, rng=0, dtype=np.float32)
    _, history64 = train_small(seed=0, rng=0)
    assert all(p.dtype == np.float32 for p in net32.weights + net32.biases)
    assert abs(history32["test_accuracy"][-1] - history64["test_accuracy"][-1]) < 0.02


def test_learning_rate_100_finishes_without_warnings():
    _, history = train_small(seed=0, rng=0, learning_rate=100.0)
    assert len(history["test_accuracy"]) == 3 and history["diverged_at_epoch"] is None
    assert all(0.0 <= a <= 1.0 for a in history["test_accuracy"])


def test_a_run_that_overflows_is_marked_diverged_and_stops_without_warnings():
    _, history = train_small(seed=0, rng=0, learning_rate=1e300, epochs=3)
    assert history["diverged_at_epoch"] == 0
    assert history["train_loss"] == history["train_accuracy"] == history["test_accuracy"] == []


def test_a_diverged_run_says_so(capsys):
    train, test = small_subsets()
    Network([784, 5, 10]).SGD(train, 2, 10, 1e300, test)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == ["Epoch 0: the parameters overflowed; training stopped"]


def test_a_huge_epoch_count_allocates_nothing_up_front():
    train, test = small_subsets()

    class Stop(Exception):
        pass

    def stop(epoch, history):
        raise Stop

    with pytest.raises(Stop):
        Network([784, 5, 10]).SGD(train, 10**12, 10, 0.1, test, verbose=False, on_epoch=stop)


@pytest.mark.parametrize(
    "sizes", [[784], [], [784, 0, 10], [784, -3, 10], [784, 40.0, 10], [784, True, 10]]
)
def test_bad_sizes_are_refused(sizes):
    with pytest.raises(ValueError, match="sizes"):
        Network(sizes)


@pytest.mark.parametrize(
    ("epochs", "mini_batch_size"), [(1, 0), (1, -1), (1, 2.0), (-1, 10), (1.5, 10), (True, 10)]
)
def test_sgd_refuses_bad_counts(epochs, mini_batch_size):
    train, test = small_subsets()
    with pytest.raises(ValueError, match="mini_batch_size|epochs"):
        Network([784, 5, 10]).SGD(train, epochs, mini_batch_size, 0.1, test, verbose=False)


def test_sgd_refuses_missing_or_misshapen_data():
    (x, y), (test_x, test_labels) = small_subsets()
    net = Network([784, 5, 10])
    bad = {
        "test_data": ((x, y), None),
        "training_data": ([], (test_x, test_labels)),
    }
    for name, (train, test) in bad.items():
        with pytest.raises(ValueError, match=name):
            net.SGD(train, 1, 10, 0.1, test, verbose=False)
    with pytest.raises(ValueError, match="training_data"):
        Network([100, 5, 10]).SGD((x, y), 1, 10, 0.1, (test_x, test_labels), verbose=False)
    with pytest.raises(ValueError, match="test_data"):
        net.SGD((x, y), 1, 10, 0.1, (test_x[:100], test_labels), verbose=False)
    with pytest.raises(ValueError, match="training_data"):
        net.SGD((x, y[:9]), 1, 10, 0.1, (test_x, test_labels), verbose=False)
