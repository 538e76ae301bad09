"""The claim registry is complete and every implemented claim is wired to a checker, tests and
honest mutants (the two forms of CONTRIBUTING: a one-part replace() of the default algorithm, or
a wrong statement), each exercised through the user's entry point."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
import tomllib
from pathlib import Path

import pytest

from mfcheck.algorithms.protocol import default_of, is_algorithm
from mfcheck.claims import load_claims
from mfcheck.claims.registry import default_algorithm, discovered_checker_modules
from mfcheck.judgement import Claim, Statement, theory_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED_CLAIMS = ROOT.parent / "shared" / "claims.md"
IMPLEMENTED = [c for c in load_claims() if c.implemented]
MUTANTS = [(c, m) for c in IMPLEMENTED for m in c.mutants]
ENTRY_POINTS = {"run_claim", "check"}


def _test_functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text())
    return {node.name: node for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def _calls(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def _resolve(builder: str) -> object:
    module, _, attribute = builder.partition(":")
    return getattr(importlib.import_module(module), attribute)


def test_every_claim_of_claims_md_is_registered() -> None:
    if not SHARED_CLAIMS.exists():
        pytest.skip("shared/claims.md not beside the repository")
    ids = set(re.findall(r"^\| (mf[a-z]+\.[a-z0-9_]+) \|", SHARED_CLAIMS.read_text(), re.M))
    registered = {c.id for c in load_claims()}
    assert ids - registered == set(), "claims of claims.md missing from theory/claims"
    assert len(ids) >= 35


def test_registry_ids_are_unique_and_well_formed() -> None:
    claims = load_claims()
    assert len({c.id for c in claims}) == len(claims)
    for claim in claims:
        assert re.fullmatch(r"(mfppo|mfgnac)\.[a-z0-9_]+", claim.id)
        if claim.kind == "rate" and claim.implemented:
            assert claim.rates, f"{claim.id}: a rate claim needs [[rate]] entries"


@pytest.mark.parametrize("claim", IMPLEMENTED, ids=lambda c: c.id)
def test_implemented_claim_has_checker_tests_and_mutant_tests(claim: Claim) -> None:
    module = importlib.import_module(claim.checker_module)
    check = getattr(module, "check", None)
    assert callable(check), f"{claim.checker_module} lacks check(algorithm, *, profile)"
    assert not hasattr(module, "run"), f"{claim.checker_module}: run(profile) is replaced by check()"
    params = inspect.signature(check).parameters
    assert list(params)[:1] == ["algorithm"] and "profile" in params, (
        f"{claim.checker_module}.check must be check(algorithm, *, profile): {inspect.signature(check)}")
    test_file = ROOT / claim.test_path
    assert test_file.exists(), f"{claim.id}: missing {claim.test_path}"
    assert claim.mutants or claim.no_honest_mutant, f"{claim.id}: declares no mutant (nor why none exists)"
    tests = _test_functions(test_file)
    for mutant in claim.mutants:
        name = f"test_rejects_{mutant.name}"
        assert name in tests, f"{claim.id}: mutant {mutant.name!r} has no {name} in {claim.test_path}"
        assert _calls(tests[name]) & ENTRY_POINTS, (
            f"{claim.id}: {name} must run the mutant through run_claim / mfcheck.check (the user's entry point)")


@pytest.mark.parametrize("claim", IMPLEMENTED, ids=lambda c: c.id)
def test_claim_names_the_algorithm_types_it_judges(claim: Claim) -> None:
    toml = tomllib.loads((theory_dir() / "claims" / claim.paper / f"{claim.name}.toml").read_text())
    assert "judges" in toml, f"{claim.id}: its toml must say which algorithm types it judges (judges = [...])"
    default = default_algorithm(claim)
    if claim.judges:
        assert is_algorithm(default), f"{claim.id}: judges {claim.judges} but its checker has no DEFAULT_ALGORITHM"
        assert default.kind in claim.judges, f"{claim.id}: DEFAULT_ALGORITHM is a {default.kind!r}"
        assert default == default_of(type(default)), f"{claim.id}: the default is not its type's registered default"
    else:
        assert default is None


@pytest.mark.parametrize(("claim", "mutant"), MUTANTS, ids=[f"{c.id}:{m.name}" for c, m in MUTANTS])
def test_every_mutant_has_one_of_the_two_honest_forms(claim: Claim, mutant) -> None:
    assert mutant.builder, f"{claim.id}: mutant {mutant.name!r} names no builder"
    value = _resolve(mutant.builder)
    source = inspect.getsource(importlib.import_module(mutant.builder.partition(":")[0]))
    assert "mfcheck.checks" not in source, f"{mutant.builder}: a mutant must not import checker internals"
    if mutant.form == "statement":
        assert isinstance(value, Statement) and value.wrong, (
            f"{claim.id}: statement mutant {mutant.builder} must be a Statement marked wrong=True")
        return
    assert is_algorithm(value), f"{claim.id}: {mutant.builder} is not an algorithm value"
    assert value.kind in claim.judges, f"{claim.id}: mutant of kind {value.kind!r}, claim judges {claim.judges}"
    value.validate()
    default = default_of(type(value))
    changed = [f.name for f in dataclasses.fields(value) if getattr(value, f.name) is not getattr(default, f.name)
               and getattr(value, f.name) != getattr(default, f.name)]
    assert changed == [mutant.part], (
        f"{claim.id}: mutant {mutant.name!r} must replace exactly its declared part {mutant.part!r} of the "
        f"default; it differs in {changed}")


def test_no_checker_without_an_implemented_claim() -> None:
    implemented = {c.checker_module for c in IMPLEMENTED}
    orphans = [m for m in discovered_checker_modules() if m not in implemented]
    assert orphans == [], f"checker modules with no implemented claim: {orphans}"


def test_checks_holds_checkers_only() -> None:
    private = sorted(p.name for p in (ROOT / "mfcheck" / "checks").rglob("_*.py") if p.name != "__init__.py")
    assert private == [], f"mfcheck/checks/ must hold checkers only; move these out: {private}"


def test_no_margin_or_confidence_in_checker_code() -> None:
    pattern = re.compile(r"^\s*(MARGIN|CONFIDENCE|[A-Z_]*MARGIN[A-Z_]*)\s*=\s*[0-9.]", re.M)
    offenders = [p.name for p in (ROOT / "mfcheck" / "checks").rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == [], f"margins/confidence levels belong in the claim's toml: {offenders}"


def _module_tree(module: str) -> ast.Module:
    return ast.parse(Path(importlib.import_module(module).__file__).read_text())  # type: ignore[arg-type]


def _calls_run_cells(node: ast.AST) -> bool:
    return "run_cells" in _calls(node)


def _runs_cells(module: str, function: str | None = None, seen: frozenset = frozenset()) -> bool:
    """Whether ``module`` (or its ``function``) calls ``run_cells(``: directly, through a function of
    the same module, or through a function it imports from another checker module that does."""
    if (module, function) in seen:
        return False
    seen = seen | {(module, function)}
    tree = _module_tree(module)
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    imported = {alias.asname or alias.name: (node.module, alias.name) for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mfcheck.checks.")
                for alias in node.names}
    scope: ast.AST = tree if function is None else functions[function]
    if _calls_run_cells(scope):
        return True
    called = _calls(scope)
    if any(_runs_cells(module, name, seen) for name in called & set(functions) if name != function):
        return True
    return any(_runs_cells(source, name, seen) for local, (source, name) in imported.items() if local in called)


@pytest.mark.parametrize("claim", IMPLEMENTED, ids=lambda c: c.id)
def test_every_checker_runs_its_cells_through_run_cells(claim: Claim) -> None:
    """Cells run through mfcheck.judgement.run_cells (never a loop of the checker's own), so that a
    sweep engine or ``mfcheck compare`` can swap the executor without editing the checker."""
    assert _runs_cells(claim.checker_module), (
        f"{claim.checker_module} never calls run_cells( (directly, or through a function it imports from "
        "another checker module that does): run its cells through mfcheck.judgement.run_cells")
