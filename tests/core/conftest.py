"""Shared fixtures of the host core's tests.

- ``make_host``: a host of exactly the plugin objects a test gives it, in-process, stopped afterwards
  (``host.testing``'s fixture, extended with ``policy`` and ``include_defaults``).
- ``site``: a temporary site directory on ``sys.path`` into which a test installs plugin distributions as
  real ``*.dist-info`` directories (``METADATA`` + ``entry_points.txt``), so that discovery runs through
  importlib-metadata exactly as for a ``pip install``.
- ``wheel_of``: a real wheel of a fixture distribution, for ``pip install`` itself.
- ``zoomclient``: the installed console script in a fresh subprocess.
- ``providers``: the provider distributions of this repository, installed in the development environment.

Every test runs with no ``ZOOMCLIENT_*`` variable from the outside, its own data dir, and a site config
dir of its own, so an admin ``policy.toml`` on this machine cannot change what loads.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs
import pytest

FIXTURE_PLUGINS = Path(__file__).parents[1] / "fixtures" / "plugins"

_adhoc_modules = itertools.count(1)


@attrs.frozen
class Distribution:
    """A plugin distribution as installed: its files and its metadata, nothing else."""

    name: str
    version: str
    entry_points: Mapping[str, str]
    files: Mapping[str, str]

    @classmethod
    def from_folder(cls, folder: Path) -> Distribution:
        """Read one of ``tests/fixtures/plugins/*``: pyproject metadata and the packages it includes."""
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
        include = project["tool"]["setuptools"]["packages"]["find"]["include"]
        packages = [p.name for p in folder.iterdir() if (p / "__init__.py").exists()]
        files = {
            str(path.relative_to(folder)): path.read_text(encoding="utf-8")
            for package in packages
            if any(re.fullmatch(pattern.replace("*", ".*"), package) for pattern in include)
            for path in sorted((folder / package).rglob("*.py"))
        }
        return cls(
            name=project["project"]["name"],
            version=project["project"]["version"],
            entry_points=project["project"]["entry-points"]["zoomclient"],
            files=files,
        )

    @classmethod
    def single_module(cls, name: str, source: str, *, version: str = "0.1.0", attribute: str = "") -> Distribution:
        """A distribution of one plugin module written by the test (unique, as ``sys.modules`` caches).

        Its entry point names the module, or ``module:attribute`` when ``attribute`` is given.
        """
        module = f"zc_adhoc_{next(_adhoc_modules)}_{os.getpid()}"
        value = f"{module}:{attribute}" if attribute else module
        return cls(name=name, version=version, entry_points={"plugin": value}, files={f"{module}.py": source})

    @property
    def module(self) -> str:
        """The module of the first entry point."""
        return next(iter(self.entry_points.values())).partition(":")[0]

    @property
    def dist_info(self) -> str:
        return f"{re.sub(r'[-_.]+', '_', self.name)}-{self.version}.dist-info"

    def metadata(self) -> dict[str, str]:
        entry_points = "".join(f"{name} = {value}\n" for name, value in self.entry_points.items())
        return {
            f"{self.dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {self.name}\nVersion: {self.version}\n",
            f"{self.dist_info}/entry_points.txt": f"[zoomclient]\n{entry_points}",
        }

    def install(self, site: Path) -> Path:
        """Write the files and the ``*.dist-info`` into ``site``; return the dist-info directory."""
        for relative, text in {**self.files, **self.metadata(), f"{self.dist_info}/INSTALLER": "tests\n"}.items():
            path = site / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return site / self.dist_info

    def wheel(self, directory: Path) -> Path:
        """A real, pip-installable wheel (the build backend would need ``wheel``, absent offline)."""
        contents = {
            **self.files,
            **self.metadata(),
            f"{self.dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: zoomclient-tests\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n",
        }
        record = "".join(f"{path},sha256={_digest(text)},{len(text.encode())}\n" for path, text in contents.items())
        contents[f"{self.dist_info}/RECORD"] = record + f"{self.dist_info}/RECORD,,\n"
        path = directory / f"{re.sub(r'[-_.]+', '_', self.name)}-{self.version}-py3-none-any.whl"
        with zipfile.ZipFile(path, "w") as archive:
            for name, text in contents.items():
                archive.writestr(name, text)
        return path


def _digest(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()


def fixture_distribution(folder: str) -> Distribution:
    return Distribution.from_folder(FIXTURE_PLUGINS / folder)


@attrs.define
class Site:
    """A site directory on ``sys.path`` (and, for subprocesses, on ``PYTHONPATH``)."""

    path: Path

    def install(self, distribution: Distribution | str) -> Distribution:
        """Install a distribution, or a fixture distribution by folder name (``"hello"``)."""
        if isinstance(distribution, str):
            distribution = fixture_distribution(distribution)
        distribution.install(self.path)
        return distribution

    def install_module(self, name: str, source: str, *, version: str = "0.1.0", attribute: str = "") -> Distribution:
        """Install a distribution ``name`` of one plugin module with this source (see ``single_module``)."""
        return self.install(Distribution.single_module(name, source, version=version, attribute=attribute))


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ZOOMCLIENT_LOAD_PLUGINS", "ZOOMCLIENT_POLICY_FILE", "PYTHONPATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZOOMCLIENT_DATA_DIR", str(tmp_path / "data"))
    # platformdirs finds the site-wide policy.toml through XDG_CONFIG_DIRS on Linux.
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "site-config"))


@pytest.fixture(scope="session")
def providers() -> tuple[str, ...]:
    """The provider distributions of this repository, installed in the development environment."""
    return ("zoomclient-gmail", "zoomclient-m365", "zoomclient-zoommail")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    path = tmp_path / "site-packages"
    path.mkdir()
    monkeypatch.syspath_prepend(str(path))
    return Site(path)


@pytest.fixture
def wheel_of(tmp_path: Path) -> Callable[[str], Path]:
    """Build the wheel of a fixture distribution (``"hello"``) for ``pip install``."""
    return lambda folder: fixture_distribution(folder).wheel(tmp_path)


@pytest.fixture(scope="session")
def zoomclient_script() -> Path:
    script = Path(sys.executable).with_name("zoomclient")
    if not script.exists():
        pytest.fail(f"The console script {script} is missing: run `./dev setup` to install zoomclient.")
    return script


@pytest.fixture
def zoomclient(zoomclient_script: Path, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``zoomclient ARGS`` in a fresh process: ``zoomclient("plugins", "--json", env={...}, path=site)``."""

    def run(
        *args: str, env: Mapping[str, str] | None = None, path: Site | None = None
    ) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("ZOOMCLIENT_") and k != "PYTHONPATH"}
        environment["ZOOMCLIENT_DATA_DIR"] = str(tmp_path / "data")
        environment["XDG_CONFIG_DIRS"] = str(tmp_path / "site-config")
        if path is not None:
            environment["PYTHONPATH"] = str(path.path)
        environment.update(env or {})
        return subprocess.run(
            [str(zoomclient_script), *args], capture_output=True, text=True, env=environment, timeout=60, check=False
        )

    return run
