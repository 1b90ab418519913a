"""backprop_network.py's batched code against trusted references: PyTorch for the gradients of a
batch, the course's per-example loop for SGD, the course's formulas for the loss and accuracies,
and torch.optim.SGD for part (d)'s Nesterov step. The per-example interface is checked against
finite differences in test_course_interface.py."""

import copy
import random

import numpy as np
import pytest
import torch
from conftest import course_epochs

import backprop_data as data
from backprop_network import BonusNetwork, Network, log_softmax, softmax, warmup_cosine

pytestmark = pytest.mark.filterwarnings("error")


def random_network(sizes, seed=0):
    """A float64 network with weights of scale 1/sqrt(fan-in), so no ReLU sits near a kink."""
    rng = np.random.default_rng(seed)
    net = Network(sizes)
    net.weights = [rng.normal(0, 1 / np.sqrt(w.shape[1]), w.shape) for w in net.weights]
    net.biases = [rng.normal(0, 0.5, b.shape) for b in net.biases]
    return net


def random_batch(sizes, m, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(sizes[0], m)), np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]


def relative_error(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


@pytest.mark.parametrize("sizes", [[784, 40, 10], [20, 16, 12, 8, 5]])
def test_gradients_and_loss_match_torch_autograd(sizes):
    net = random_network(sizes, seed=3)
    x, y = random_batch(sizes, 16, seed=4)
    params = [torch.tensor(p, requires_grad=True) for p in net.biases + net.weights]
    biases, weights = params[: len(net.biases)], params[len(net.biases) :]
    v = torch.tensor(x)
    for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
        v = w @ (v if layer == 0 else torch.relu(v)) + b
    loss = -(torch.tensor(y) * torch.log_softmax(v, dim=0)).sum() / x.shape[1]
    loss.backward()
    db, dw = net.backprop(x, y)
    assert net.loss((x, y)) == pytest.approx(loss.item(), rel=1e-12)
    for ours, theirs in zip(db + dw, params, strict=True):
        assert relative_error(ours, theirs.grad.numpy()) < 1e-6


def test_loss_and_accuracies_are_the_course_per_example_ones():
    net = random_network([15, 8, 10])
    x, y = random_batch([15, 8, 10], 30)
    training = [(x[:, [j]], y[:, [j]]) for j in range(30)]
    test = [(xj, int(yj.argmax())) for xj, yj in training]
    probs = [net.output_softmax(net.network_output_before_softmax(xj)) for xj, _ in training]
    assert all(p.shape == (10, 1) and p.min() >= 0 and p.sum() == pytest.approx(1) for p in probs)
    loss = np.mean([-np.log(p[label, 0]) for p, (_, label) in zip(probs, test, strict=True)])
    accuracy = np.mean([p.argmax() == label for p, (_, label) in zip(probs, test, strict=True)])
    assert 0 < accuracy < 1
    assert net.loss(training) == net.loss((x, y)) == pytest.approx(loss, rel=1e-12)
    assert net.one_hot_accuracy(training) == net.one_label_accuracy(test) == accuracy


def test_softmax_and_its_log_stay_finite_for_huge_logits():
    v = np.array([[1e4, -1e4], [-1e4, 1e4], [0.0, 0.0]])
    np.testing.assert_allclose(softmax(v)[:, 0], [1.0, 0.0, 0.0])
    assert log_softmax(v)[1, 0] == pytest.approx(-2e4) and np.isfinite(log_softmax(v)).all()


def test_sgd_visits_the_course_mini_batches_for_the_same_random_seed():
    training_data, test_data = data.load(1000, 500)
    course = Network([784, 30, 10])
    ours = copy.deepcopy(course)
    course_list, our_list = list(training_data), list(training_data)
    random.seed(5)
    expected = [course.one_label_accuracy(test_data) for _ in course_epochs(course, course_list, 3)]
    random.seed(5)
    assert ours.SGD(our_list, 3, 10, 0.1, test_data)["test_accuracy"] == expected
    assert all(a is b for a, b in zip(our_list, course_list))  # the list left as shuffled
    for a, b in zip(ours.weights + ours.biases, course.weights + course.biases):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_sgd_draws_nothing_from_numpys_generator_and_keeps_a_snapshot():
    """A learning-rate sweep that keeps ``w0, b0 = net.weights, net.biases`` restores them."""
    training, test = data.load_matrices(500, 100)
    net = Network([784, 20, 10])
    w0, b0 = net.weights, net.biases
    kept = [p.copy() for p in w0 + b0]
    before = np.random.get_state()
    net.SGD(training, 1, 10, 0.1, test)
    after = np.random.get_state()
    assert np.array_equal(before[1], after[1]) and before[2:] == after[2:]
    assert all(np.array_equal(p, k) for p, k in zip(w0 + b0, kept))
    assert not np.array_equal(net.weights[0], w0[0])


def test_track_training_records_the_course_measures_and_a_seeded_run_repeats():
    """The history's last training loss and accuracy are the course's loss(training_data) and
    one_hot_accuracy(training_data); the same random.seed repeats a run, in either data form."""
    histories = []
    for seed, form in ((2, data.load_matrices), (1, data.load_matrices), (1, data.load)):
        training, test = form(1000, 300)
        net = Network([784, 30, 10])
        random.seed(seed)
        histories.append(net.SGD(training, 3, 10, 0.1, test, track_training=True))
    history = histories[-1]  # of net, on training
    assert [len(history[k]) for k in ("train_accuracy", "train_loss", "test_accuracy")] == [3] * 3
    assert history["train_loss"][-1] == pytest.approx(net.loss(training), rel=1e-9)
    assert history["train_accuracy"][-1] == net.one_hot_accuracy(training)
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert histories[2] == histories[1] != histories[0]


BONUS = {
    "sizes": [12, 9, 7, 4],
    "init": "normal",
    "dtype": "float64",
    "momentum": 0.9,
    "warmup": None,
    "seed": 0,
}


def test_he_initialisation_in_float32():
    np.random.seed(0)
    net = BonusNetwork(BONUS | {"sizes": [784, 500, 300, 10], "init": "he", "dtype": "float32"})
    for w, b in zip(net.weights, net.biases, strict=True):
        assert w.dtype == b.dtype == np.float32 and not b.any()
        assert w.std() == pytest.approx(np.sqrt(2 / w.shape[1]), rel=0.05)


@pytest.mark.parametrize("momentum", [0.9, 0.0])
def test_the_bonus_step_is_torch_nesterov_sgd_and_without_momentum_the_course_step(momentum):
    """Against torch.optim.SGD with Nesterov momentum; with momentum 0 and no schedule, against
    torch's plain SGD step, which is the course's W_l - lr * dl/dW_l."""
    x, y = random_batch(BONUS["sizes"], 6)
    np.random.seed(0)
    net = BonusNetwork(BONUS | {"momentum": momentum})
    params = [torch.tensor(p.copy(), requires_grad=True) for p in net.biases + net.weights]
    optimizer = torch.optim.SGD(params, lr=0.1, momentum=momentum, nesterov=momentum > 0)
    for _ in range(3):
        for p, g in zip(params, sum(net.backprop(x, y), []), strict=True):
            p.grad = torch.tensor(g)  # at the parameters both hold now
        optimizer.step()
        net.update_mini_batch((x, y), 0.1)
    for ours, theirs in zip(net.biases + net.weights, params, strict=True):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-12)


def test_the_schedule_warms_up_linearly_then_decays_as_half_a_cosine():
    factors = [warmup_cosine(t, 0.1) for t in (0.0, 0.05, 0.1, 0.55, 0.999)]
    assert factors == pytest.approx([0.0, 0.5, 1.0, 0.5, 0.0], abs=1e-4)
    assert warmup_cosine(0.7, None) == 1.0
    x, y = random_batch(BONUS["sizes"], 6)
    net = BonusNetwork(BONUS | {"warmup": 0.5})
    net.steps, before = 4, [w.copy() for w in net.weights]
    net.update_mini_batch((x, y), 0.1)  # step 0 of 4: the rate is 0
    assert all(np.array_equal(w, w0) for w, w0 in zip(net.weights, before, strict=True))


def test_bonus_training_distorts_every_mini_batch_spreads_the_schedule_and_learns():
    seen = []

    def shifts(x, generator):
        seen.append(x.shape[1])
        return data.random_shifts(x, generator)

    training, validation = data.load_matrices(1000, 300)
    np.random.seed(0)
    random.seed(0)
    config = BONUS | {"sizes": [784, 32, 10], "init": "he", "dtype": "float32", "warmup": 0.1}
    net = BonusNetwork(config, augment=shifts)
    history = net.SGD(training, 2, 96, 0.1, validation)
    assert seen == ([96] * 10 + [40]) * 2 and net.steps_done == net.steps == 22
    assert history["test_accuracy"][-1] > 0.6
