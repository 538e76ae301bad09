"""MF-PPO networks: analytic gradients against autograd, linearisation, pooling, projection, API."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import DeepSet, TwoLayerDeepSet


def _batch(encoder: OneHotEncoder, n_agents: int, batch: int = 5, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    own = torch.randint(0, encoder.n_states, (batch,), generator=g)
    others = torch.randint(0, encoder.n_states, (batch, n_agents), generator=g)
    action = torch.randint(0, encoder.n_actions, (batch,), generator=g)
    return own, others, action


def _net(pooling: str = "mean", width: int = 32, seed: int = 1) -> TwoLayerDeepSet:
    return TwoLayerDeepSet(OneHotEncoder(4, 3), width, generator=torch.Generator().manual_seed(seed),
                           pooling=pooling)


def test_encoder_norms_dimension_and_messages() -> None:
    encoder = OneHotEncoder(4, 3)
    assert encoder.dim == 11
    norms = torch.linalg.vector_norm(encoder.table, dim=-1)
    assert torch.allclose(norms, torch.ones_like(norms), atol=1e-15)
    with pytest.raises(ValueError, match=r"others' states: index 7 at position \(0, 1\)"):
        encoder.encode([0], [[1, 7]], [0])
    with pytest.raises(ValueError, match="action: expected shape"):
        encoder.encode([0, 1], [[1], [2]], [0])
    with pytest.raises(ValueError, match="n_states"):
        OneHotEncoder(0, 2)


@pytest.mark.parametrize("pooling", ["mean", "sqrt_sum"])
def test_grad_matches_autograd(pooling: str) -> None:
    net = _net(pooling)
    own, others, action = _batch(net.encoder, 7)
    grads = net.grad(own, others, action)
    for b in range(own.numel()):
        net.zero_grad()
        net(own[b : b + 1], others[b : b + 1], action[b : b + 1]).sum().backward()
        assert torch.allclose(net.beta.grad, grads[b], atol=1e-14)


def test_population_grad_matches_autograd_and_sum_form() -> None:
    net = _net()
    own, _, action = _batch(net.encoder, 1)
    dist = torch.softmax(torch.randn(own.numel(), 4, generator=torch.Generator().manual_seed(3),
                                     dtype=torch.float64), dim=1)
    grads = net.population_grad(own, dist, action)
    for b in range(own.numel()):
        net.zero_grad()
        net.population(own[b : b + 1], dist[b : b + 1], action[b : b + 1]).sum().backward()
        assert torch.allclose(net.beta.grad, grads[b], atol=1e-14)
    x = net.encoder.table.reshape(-1, net.encoder.dim)
    w = torch.linspace(-1, 1, x.shape[0], dtype=torch.float64)
    direct = (w[:, None] * net.pointwise_grad(x)).sum(0)
    assert torch.allclose(net.pointwise_grad_sum(x, w), direct, atol=1e-13)


def test_linearisation_is_the_tangent_at_initialisation() -> None:
    net = _net()
    own, others, action = _batch(net.encoder, 9)
    assert torch.equal(net.forward_linearised(own, others, action, net.beta0),
                       net(own, others, action, net.beta0))
    beta = net.beta0 + 0.3 * torch.randn(net.n_params, generator=torch.Generator().manual_seed(4),
                                          dtype=torch.float64)
    tangent = net.grad(own, others, action, net.beta0) @ beta  # F⁰_β = <∇F_β(0), β> (App E.1)
    assert torch.allclose(net.forward_linearised(own, others, action, beta), tangent, atol=1e-13)


def test_sqrt_sum_is_sqrt_n_times_mean_and_population_needs_mean() -> None:
    mean_net, sum_net = _net("mean", seed=5), _net("sqrt_sum", seed=5)
    own, others, action = _batch(mean_net.encoder, 16)
    assert torch.allclose(sum_net(own, others, action), 4.0 * mean_net(own, others, action), atol=1e-13)
    with pytest.raises(ValueError, match="pooling='mean'"):
        sum_net.population(own, torch.full((own.numel(), 4), 0.25, dtype=torch.float64), action)


def test_mean_pooling_equals_population_at_empirical_distribution() -> None:
    net = _net()
    own, others, action = _batch(net.encoder, 13)
    empirical = torch.nn.functional.one_hot(others, 4).sum(1).to(torch.float64) / 13
    assert torch.allclose(net(own, others, action), net.population(own, empirical, action), atol=1e-14)
    assert torch.allclose(net.grad(own, others, action), net.population_grad(own, empirical, action),
                          atol=1e-14)


def test_projection_onto_ball() -> None:
    net = _net()
    inside = net.beta0 + 0.1 * torch.ones(net.n_params, dtype=torch.float64) / math.sqrt(net.n_params)
    assert torch.equal(net.project(inside, 1.0), inside)
    far = net.beta0 + 5.0 * torch.ones(net.n_params, dtype=torch.float64) / math.sqrt(net.n_params)
    projected = net.project(far, 2.0)
    assert math.isclose(float(torch.linalg.vector_norm(projected - net.beta0)), 2.0, rel_tol=1e-12)
    with pytest.raises(ValueError, match="radius"):
        net.project(far, -1.0)


def test_initialisation_is_deterministic_and_follows_the_paper() -> None:
    a, b, c = _net(seed=7), _net(seed=7), _net(seed=8)
    assert torch.equal(a.beta0, b.beta0) and torch.equal(a.u, b.u)
    assert not torch.equal(a.beta0, c.beta0)
    wide = TwoLayerDeepSet(OneHotEncoder(4, 3), 20000, generator=torch.Generator().manual_seed(0))
    assert set(wide.u.unique().tolist()) == {-1.0, 1.0}
    # β_j(0) ~ N(0, I/d): empirical variance 1/d within 2% at m d = 220000 draws
    assert math.isclose(float(wide.beta0.var()), 1 / 11, rel_tol=0.02)


def test_deepset_grad_flat_parameters_and_population() -> None:
    encoder = OneHotEncoder(3, 2)
    net = DeepSet(encoder, generator=torch.Generator().manual_seed(0), phi_sizes=(8, 4), rho_sizes=(6,))
    own, others, action = _batch(encoder, 5, batch=3)
    grads = net.grad(own, others, action)
    assert grads.shape == (3, net.n_params)
    for b in range(3):
        net.zero_grad()
        net(own[b : b + 1], others[b : b + 1], action[b : b + 1]).sum().backward()
        flat = torch.cat([p.grad.flatten() for p in net.parameters()])
        assert torch.allclose(flat, grads[b], atol=1e-13)
    vector = net.flat_parameters()
    net.set_flat_parameters(vector * 2)
    assert torch.equal(net.flat_parameters(), vector * 2)
    empirical = torch.nn.functional.one_hot(others, 3).sum(1).to(torch.float64) / 5
    assert torch.allclose(net(own, others, action), net.population(own, empirical, action), atol=1e-14)


@given(st.integers(1, 300), st.integers(0, 2**31 - 1))
def test_two_layer_defined_for_every_n(n_agents: int, seed: int) -> None:
    net = _net(seed=seed % 97)
    own, others, action = _batch(net.encoder, n_agents, batch=2, seed=seed)
    out = net(own, others, action)
    assert out.shape == (2,) and bool(torch.isfinite(out).all())


def test_core_modules_do_not_import_torch() -> None:
    code = (
        "import sys; import mfcheck.algorithms.mfppo, mfcheck.checks.mfppo.lemma_e1, "
        "mfcheck.checks.mfppo.lemma_e2, mfcheck.checks.mfppo.lemma_e3_init, "
        "mfcheck.checks.mfppo.lemma_e4, mfcheck.checks.mfppo.deepset_invariance; "
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
