"""Part (d)'s network: He initialisation, float32, the Nesterov step, the schedule and the
augmentations each do exactly what they say, and momentum 0 is the course's plain step."""

import numpy as np
import pytest

import backprop_data as data
import mnist_augment
import mnist_bonus
from backprop_network import Network
from mnist_bonus import BONUS_CONFIG, BonusNetwork, warmup_cosine

pytestmark = pytest.mark.filterwarnings("error")

PLAIN = {**BONUS_CONFIG, "sizes": [12, 9, 7, 4], "init": "normal", "dtype": "float64"}
PLAIN |= {"momentum": 0.0, "warmup": None, "augment": "none"}


def batch(sizes=(12, 9, 7, 4), m=6, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(sizes[0], m)), np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]


def test_he_init_scales_weights_zeroes_biases_and_casts_to_float32():
    net = BonusNetwork({**BONUS_CONFIG, "sizes": [784, 500, 300, 10]}, steps=1)
    for w, b in zip(net.weights, net.biases, strict=True):
        assert w.dtype == b.dtype == np.float32
        assert abs(w.std() - np.sqrt(2 / w.shape[1])) < 0.05 * np.sqrt(2 / w.shape[1])
        assert not b.any()
    course = BonusNetwork({**BONUS_CONFIG, **mnist_bonus.COURSE_SETTING}, steps=1)
    np.random.seed(BONUS_CONFIG["seed"])
    drawn = Network([784, 40, 10])
    for ours, course_draw in zip(course.weights, drawn.weights, strict=True):
        np.testing.assert_array_equal(ours, course_draw)


def test_momentum_0_without_schedule_is_the_course_step():
    x, y = batch()
    bonus = BonusNetwork(PLAIN, steps=10)
    np.random.seed(PLAIN["seed"])
    course = Network(PLAIN["sizes"])
    for _ in range(3):
        bonus.update_mini_batch((x, y), 0.2)
        course.update_mini_batch((x, y), 0.2)
    for a, b in zip(bonus.weights + bonus.biases, course.weights + course.biases, strict=True):
        np.testing.assert_array_equal(a, b)


def test_nesterov_momentum_takes_the_stated_step():
    net = BonusNetwork({**PLAIN, "momentum": 0.9}, steps=10)
    x, y = batch()
    net.velocities = [np.full_like(p, 0.5) for p in net.biases + net.weights]
    params = [p.copy() for p in net.biases + net.weights]
    db, dw = net.backprop(x, y)
    net.update_mini_batch((x, y), 0.1)
    for p, p0, g, u in zip(net.biases + net.weights, params, db + dw, net.velocities, strict=True):
        np.testing.assert_allclose(u, 0.9 * 0.5 + g, rtol=1e-12)
        np.testing.assert_allclose(p, p0 - 0.1 * (g + 0.9 * u), rtol=1e-12)


def test_warmup_cosine_schedule():
    t = np.linspace(0, 1, 1001, endpoint=False)
    values = np.array([warmup_cosine(s, 0.1) for s in t])
    assert values[0] == 0.0 and warmup_cosine(0.05, 0.1) == pytest.approx(0.5)
    assert warmup_cosine(0.1, 0.1) == pytest.approx(1.0)
    assert warmup_cosine(0.55, 0.1) == pytest.approx(0.5) and warmup_cosine(0.999, 0.1) < 1e-4
    assert np.all(np.diff(values[t < 0.1]) > 0) and np.all(np.diff(values[t >= 0.1]) <= 0)
    assert warmup_cosine(0.0, 0.0) == 1.0 and warmup_cosine(0.7, None) == 1.0


def test_the_step_follows_the_schedule():
    """With warm-up over the first half of 4 steps the rates are 0, 0.5, 1 and 0.5 times
    the learning rate: the first step leaves the network as it was."""
    x, y = batch()
    net = BonusNetwork({**PLAIN, "warmup": 0.5}, steps=4)
    course = BonusNetwork(PLAIN, steps=4)
    before = [p.copy() for p in net.weights]
    net.update_mini_batch((x, y), 0.2)
    for p, p0 in zip(net.weights, before, strict=True):
        np.testing.assert_array_equal(p, p0)
    net.update_mini_batch((x, y), 0.2)
    course.update_mini_batch((x, y), 0.1)
    for a, b in zip(net.weights, course.weights, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_training_distorts_every_mini_batch_and_learns(monkeypatch):
    seen = []

    def record(x, generator):
        seen.append(x.shape[1])
        return mnist_augment.random_shifts(x, generator)

    monkeypatch.setitem(mnist_bonus.AUGMENTATIONS, "record", record)
    train, test = data.load_matrices(300, 100)
    config = {**BONUS_CONFIG, "sizes": [784, 32, 10], "epochs": 2, "mini_batch_size": 64}
    net, history = mnist_bonus.train(config | {"augment": "record"}, train, test)
    assert seen == [64, 64, 64, 64, 44] * 2
    assert net.steps_done == net.steps == 10
    assert history["diverged_at_epoch"] is None and history["test_accuracy"][-1] > 0.3


def test_saved_network_loads_as_a_plain_network(tmp_path):
    net = BonusNetwork({**BONUS_CONFIG, "sizes": [784, 16, 10]}, steps=1)
    with open(tmp_path / "net.npz", "wb") as f:
        mnist_bonus.save_network(net, net.config, f)
    loaded, config = mnist_bonus.load_network(tmp_path / "net.npz")
    assert config == net.config and type(loaded) is Network
    x, _ = batch((784, 10), m=3)
    np.testing.assert_array_equal(
        loaded.network_output_before_softmax(x.astype(np.float32)),
        net.network_output_before_softmax(x.astype(np.float32)),
    )


def test_validation_data_are_the_pickles_middle_part(mnist_parts):
    x, labels = mnist_bonus.validation_data()
    _, (valid_x, valid_y), _ = mnist_parts
    assert x.shape == (784, 10000) and labels.shape == (10000,)
    np.testing.assert_array_equal(x, valid_x.T)
    x[...] = 7.0
    assert mnist_bonus.validation_data()[0].max() < 1.0


def digits(m=16):
    (x, _), _ = data.load_matrices(m, 1)
    return x.astype(np.float32)


def test_shifts_move_whole_pixels_with_zero_fill():
    x = digits()
    moved = mnist_augment.random_shifts(x, np.random.default_rng(0), max_shift=2)
    assert moved.shape == x.shape and moved.dtype == x.dtype
    offsets = set()
    for j in range(x.shape[1]):
        padded = np.pad(x[:, j].reshape(28, 28), 2)
        shifted = moved[:, j].reshape(28, 28)
        matches = [
            (dy, dx)
            for dy in range(5)
            for dx in range(5)
            if np.array_equal(padded[dy : dy + 28, dx : dx + 28], shifted)
        ]
        assert matches, f"image {j} is not a shift of the original by at most 2 pixels"
        offsets.update(matches)
    assert len(offsets) > 5


def test_affine_with_no_distortion_is_the_identity_and_bilinear_interpolates():
    x = digits()
    same = mnist_augment.random_affine(
        x, np.random.default_rng(0), max_rotation=0, max_scale=0, max_shear=0, max_shift=0
    )
    np.testing.assert_allclose(same, x, atol=1e-6)
    image = np.arange(784, dtype=np.float64).reshape(784, 1)
    half = mnist_augment.bilinear(image, np.array([[3.5, -5.0]]), np.array([[7.25, 0.0]]))
    np.testing.assert_allclose(half[0], [(3 * 28 + 7.25 + 4 * 28 + 7.25) / 2, 0.0])


def test_affine_distorts_but_keeps_the_digit_near():
    x = digits()
    warped = mnist_augment.random_affine(x, np.random.default_rng(1))
    assert warped.shape == x.shape and np.isfinite(warped).all()
    assert not np.allclose(warped, x)
    correlation = [np.corrcoef(a, b)[0, 1] for a, b in zip(x.T, warped.T, strict=True)]
    assert np.median(correlation) > 0.3
