"""The claim registry is complete and every implemented claim is wired to a checker and tests."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from mfcheck.claims import load_claims
from mfcheck.claims.registry import discovered_checker_modules

ROOT = Path(__file__).resolve().parents[1]
SHARED_CLAIMS = ROOT.parent / "shared" / "claims.md"


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
            names.add(node.name)
    return names


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


@pytest.mark.parametrize("claim", [c for c in load_claims() if c.implemented], ids=lambda c: c.id)
def test_implemented_claim_has_checker_tests_and_mutant_tests(claim) -> None:
    module = importlib.import_module(claim.checker_module)
    assert callable(getattr(module, "run", None)), f"{claim.checker_module} lacks run(profile)"
    test_file = ROOT / claim.test_path
    assert test_file.exists(), f"{claim.id}: missing {claim.test_path}"
    assert claim.mutants, f"{claim.id}: declares no mutant"
    tests = _test_functions(test_file)
    for mutant in claim.mutants:
        assert f"test_rejects_{mutant.name}" in tests, (
            f"{claim.id}: mutant {mutant.name!r} has no test_rejects_{mutant.name} in {claim.test_path}"
        )


def test_no_checker_without_an_implemented_claim() -> None:
    implemented = {c.checker_module for c in load_claims() if c.implemented}
    orphans = [m for m in discovered_checker_modules() if m not in implemented]
    assert orphans == [], f"checker modules with no implemented claim: {orphans}"
