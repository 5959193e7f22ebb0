"""The import rules of docs/architecture.md ("Layering rules"), read from the source: `core` is
below every app; `home`, `demo` and `mine` are above them all and nobody imports them; and no
function imports a module of ours, which is how an import cycle hides (issue 10, item 10)."""

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # digikunta/
# Apps that read the others and that no other app reads (the project's urls.py joins them in).
TOP_APPS = ("home", "demo", "mine")

# Function-local imports of our modules that remain, by file and module. Each hides nothing
# cyclic that this test could prove, but each is a smell: mend one and take it off the list
# (the test fails on an entry that no longer exists, so the list only shrinks).
FUNCTION_LOCAL_ALLOWED = {
    ("accounts/models.py", "digikunta.accounts.sessions"),
    ("accounts/selectors.py", "digikunta.accounts.models"),
    ("accounts/selectors.py", "digikunta.core.rows"),
    ("accounts/selectors.py", "digikunta.organisations.models"),
    ("accounts/selectors.py", "digikunta.organisations.rules"),
    ("accounts/services.py", "digikunta.organisations.services"),
    ("api/reference.py", "digikunta.api.api"),
    ("experiments/similarity.py", "digikunta.experiments.reference"),
    ("funding/selectors.py", "digikunta.core.permissions"),
    ("municipalities/selectors.py", "digikunta.organisations.models"),
    ("search/engine.py", "digikunta.search.models"),
    ("search/engine.py", "digikunta.search.tasks"),
    ("search/receivers.py", "digikunta.search.services"),
}


def sources(root: Path) -> Iterator[Path]:
    """The package's code: not its tests, which may use every app's factories."""
    for path in sorted(root.rglob("*.py")):
        if "tests" not in path.relative_to(PACKAGE).parts:
            yield path


def imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def imports_of(path: Path) -> set[str]:
    return {name for node in ast.walk(ast.parse(path.read_text())) for name in imported(node)}


def function_local_imports(path: Path) -> Iterator[tuple[str, int]]:
    """Imports of our modules inside a function, except in an AppConfig's ``ready()``, where
    Django wants signal receivers and registries imported, and in a migration, whose code runs
    only when it is applied (a data migration's loader)."""
    if path.parent.name == "migrations":
        return
    for function in ast.walk(ast.parse(path.read_text())):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name == "ready" and path.name == "apps.py":
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in imported(node):
                if name == "digikunta" or name.startswith("digikunta."):
                    yield name, node.lineno


def app_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_core_imports_no_app_above_it():
    found = [
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in sources(PACKAGE / "core")
        for module in imports_of(path)
        if module.startswith("digikunta.") and app_of(module) != "core"
    ]
    assert found == []


def test_no_app_imports_the_apps_at_the_top():
    found = [
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in sources(PACKAGE)
        if path.relative_to(PACKAGE).parts[0] not in TOP_APPS and path.name != "urls.py"
        for module in imports_of(path)
        if app_of(module) in TOP_APPS and module.startswith("digikunta.")
    ]
    assert found == []


def test_no_function_imports_a_module_of_ours():
    found = {
        (str(path.relative_to(PACKAGE)), module, line)
        for path in sources(PACKAGE)
        for module, line in function_local_imports(path)
    }
    new = sorted(
        f"{file}:{line} imports {module}"
        for file, module, line in found
        if (file, module) not in FUNCTION_LOCAL_ALLOWED
    )
    assert new == [], "import it at the top of the module, or break the cycle it hides"
    gone = FUNCTION_LOCAL_ALLOWED - {(file, module) for file, module, _line in found}
    assert gone == set(), "mended: take these off FUNCTION_LOCAL_ALLOWED"


def test_the_checks_see_a_function_local_import(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "import os\n"
        "from digikunta.core import pagecache\n\n"
        "def view():\n"
        "    from digikunta.experiments.models import Experiment\n"
        "    import json\n"
    )
    assert list(function_local_imports(module)) == [("digikunta.experiments.models", 5)]
    assert imports_of(module) == {"os", "digikunta.core", "digikunta.experiments.models", "json"}
