"""The container's static facts: the Dockerfile (base, non-root user, port, health check, exec-form
entry point), .dockerignore, and the CI snippets of docs/ci.md and the README, which must agree
with the Dockerfile, the CLI and mockserver/settings.py. The image itself is built and run by
scripts/container-smoke (called by .ci/run), not here."""
from __future__ import annotations

import ast
import dataclasses
import fnmatch
import json
import re
import shlex
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from mockserver import pytest_plugin
from mockserver.cli import build_parser
from mockserver.settings import ENV_PREFIX, Settings

REPO = Path(__file__).resolve().parents[1]
IMAGE_NAME = "shop-sandbox"


# ---- the Dockerfile ---------------------------------------------------------------------------------
@dataclasses.dataclass
class Instruction:
    keyword: str
    args: str
    stage: int  # index of the FROM it belongs to (-1: before the first FROM)


def parse_dockerfile(text: str) -> list[Instruction]:
    """Instructions with continuation lines joined and comments dropped (enough for this file)."""
    instructions: list[Instruction] = []
    stage = -1
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage += 1
        instructions.append(Instruction(keyword, args.strip(), stage))
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def env_pairs(args: str) -> dict[str, str]:
    """ENV in the KEY=VALUE form (values may be quoted)."""
    pairs = {}
    for word in shlex.split(args):
        key, sep, value = word.partition("=")
        assert sep, f"ENV {args!r}: use the KEY=VALUE form"
        pairs[key] = value
    return pairs


def known_variables() -> set[str]:
    """Every SHOP_SANDBOX_* name something reads: the settings, and the pytest plugin's own."""
    names = {ENV_PREFIX + f.name.upper() for f in dataclasses.fields(Settings) if f.name != "extra"}
    return names | {pytest_plugin.URL_ENV, pytest_plugin.SEED_ENV}


@pytest.fixture(scope="module")
def dockerfile() -> list[Instruction]:
    return parse_dockerfile((REPO / "Dockerfile").read_text())


def final(dockerfile: list[Instruction], keyword: str) -> list[Instruction]:
    last = max(i.stage for i in dockerfile)
    return [i for i in dockerfile if i.stage == last and i.keyword == keyword]


def exec_form(instruction: Instruction) -> list[str]:
    """The JSON array of an exec-form instruction; fails for the shell form."""
    try:
        value = json.loads(instruction.args)
    except ValueError:
        pytest.fail(f"{instruction.keyword} {instruction.args} is in shell form: signals would go to /bin/sh")
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), instruction.args
    return value


def image_env(dockerfile: list[Instruction]) -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction in final(dockerfile, "ENV"):
        env.update(env_pairs(instruction.args))
    return env


def health_command(dockerfile: list[Instruction]) -> list[str]:
    healthcheck, = final(dockerfile, "HEALTHCHECK")
    _, cmd, array = healthcheck.args.partition("CMD ")
    assert cmd, f"HEALTHCHECK {healthcheck.args}: no CMD"
    return exec_form(Instruction("HEALTHCHECK", array, healthcheck.stage))


def image_port(dockerfile: list[Instruction]) -> int:
    expose, = final(dockerfile, "EXPOSE")
    return int(expose.args.split("/")[0])


def test_the_base_is_an_argument_defaulting_to_the_official_slim_python(dockerfile):
    first = dockerfile[0]
    assert (first.keyword, first.args) == ("ARG", "BASE=python:3.12-slim")
    froms = [i.args.split()[0] for i in dockerfile if i.keyword == "FROM"]
    assert froms and all(f == "${BASE}" for f in froms), froms


def test_the_package_goes_into_a_venv_not_editable(dockerfile):
    runs = " ".join(i.args for i in dockerfile if i.keyword == "RUN")
    assert "python3 -m venv" in runs  # Debian's python3 has no `python`; the official image has both
    installs = re.findall(r"pip install[^&;]*", runs)
    assert installs and not any(re.search(r"(^|\s)(-e|--editable)(\s|$)", i) for i in installs), installs
    env = image_env(dockerfile)
    venv = re.search(r"python3 -m venv (\S+)", runs).group(1)
    assert env["PATH"].split(":")[0] == venv + "/bin"


def test_every_folder_the_wheel_is_built_from_is_copied(dockerfile):
    # setup.py maps these top-level folders into the wheel (importing it would run setup()).
    data_dirs = ast.literal_eval(re.search(r"^DATA_DIRS = (.*)$", (REPO / "setup.py").read_text(), re.M).group(1))
    sources = set()
    for copy in (i for i in dockerfile if i.keyword == "COPY" and "--from" not in i.args):
        sources.update(copy.args.split()[:-1])
    for needed in ("pyproject.toml", "setup.py", "README.md", "mockserver", *data_dirs):
        assert needed in sources, f"the Dockerfile does not COPY {needed}"
        assert (REPO / needed).exists()


def test_it_runs_as_a_user_that_is_not_root(dockerfile):
    users = final(dockerfile, "USER")
    assert users, "no USER in the final stage: the sandbox would run as root"
    user = users[-1].args.split(":")[0]
    assert user not in ("root", "0")


def test_it_binds_every_interface_on_the_exposed_port(dockerfile):
    env = image_env(dockerfile)
    assert env["SHOP_SANDBOX_HOST"] == "0.0.0.0"
    assert int(env["SHOP_SANDBOX_PORT"]) == image_port(dockerfile) == Settings().port


def test_every_variable_the_image_sets_is_read(dockerfile):
    names = {k for k in image_env(dockerfile) if k.startswith(ENV_PREFIX)}
    assert names and names <= known_variables(), names - known_variables()


def test_the_health_check_is_the_cli_health_command(dockerfile):
    command = health_command(dockerfile)
    assert command == ["shop-sandbox", "health"]
    args = build_parser().parse_args(command[1:])
    assert args.command == "health" and args.url is None  # so it reads SHOP_SANDBOX_HOST/PORT


def test_pid_1_is_serve_in_exec_form(dockerfile):
    entrypoint, = final(dockerfile, "ENTRYPOINT")
    cmd, = final(dockerfile, "CMD")
    command = exec_form(entrypoint) + exec_form(cmd)
    assert command == ["shop-sandbox", "serve"]
    assert build_parser().parse_args(command[1:]).command == "serve"


def test_the_image_is_named_in_its_labels(dockerfile):
    labels = {}
    for label in final(dockerfile, "LABEL"):
        labels.update(env_pairs(label.args))
    assert labels.get("org.opencontainers.image.title") == IMAGE_NAME


def test_dockerignore_keeps_local_state_out_and_the_sources_in(dockerfile):
    patterns = [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for local in (".venv", ".git", "**/__pycache__", "**/.pytest_cache", "**/*.egg-info"):
        assert local in patterns, f".dockerignore lacks {local}"
    copied = [s for i in dockerfile if i.keyword == "COPY" and "--from" not in i.args for s in i.args.split()[:-1]]
    for source in copied:
        assert not any(fnmatch.fnmatch(source, p.removeprefix("**/")) for p in patterns), \
            f"{source} is copied but .dockerignore leaves it out"


# ---- docs/ci.md and the README ----------------------------------------------------------------------
def fenced(text: str, language: str) -> list[str]:
    """The code blocks of one language, dedented (a block inside a list item is indented)."""
    return [textwrap.dedent(block) for block in
            re.findall(rf"^[ ]*```{language}\n(.*?)^[ ]*```$", text, flags=re.S | re.M)]


def snippets() -> dict[str, Any]:
    """docs/ci.md's YAML blocks by kind (each kind exactly once)."""
    found: dict[str, Any] = {}
    for block in fenced((REPO / "docs" / "ci.md").read_text(), "yaml"):
        document = yaml.safe_load(block)
        kind = ("github" if "jobs" in document else "compose" if "services" in document and
                isinstance(document["services"], dict) else "gitlab")
        assert kind not in found, f"two {kind} snippets in docs/ci.md"
        found[kind] = document
    assert set(found) == {"github", "gitlab", "compose"}, sorted(found)
    return found


def names_in(value: Any) -> set[str]:
    """Every SHOP_SANDBOX_* name in a parsed document: keys, and inside strings ($SHOP_SANDBOX_URL)."""
    if isinstance(value, dict):
        return set().union(*(names_in(k) | names_in(v) for k, v in value.items())) if value else set()
    if isinstance(value, list):
        return set().union(*(names_in(v) for v in value)) if value else set()
    return set(re.findall(ENV_PREFIX + r"[A-Z0-9_]+", str(value)))


def sandbox_port(env: dict[str, Any], dockerfile: list[Instruction]) -> int:
    """The port the container listens on: SHOP_SANDBOX_PORT when a snippet sets it, else the image's."""
    return int(env.get("SHOP_SANDBOX_PORT", image_port(dockerfile)))


def assert_image(reference: str) -> None:
    name = reference.rsplit("/", 1)[-1].split(":")[0]
    assert name == IMAGE_NAME, f"{reference}: the image is built as {IMAGE_NAME}"


@pytest.fixture(scope="module")
def docs() -> dict[str, Any]:
    return snippets()


def test_docs_use_only_variables_that_exist(docs):
    used = names_in(docs)
    assert {"SHOP_SANDBOX_URL", "SHOP_SANDBOX_SEED"} <= used
    assert used <= known_variables(), f"docs/ci.md names variables nothing reads: {sorted(used - known_variables())}"


def test_github_actions_service(docs, dockerfile):
    job, = docs["github"]["jobs"].values()
    service, = job["services"].values()
    assert_image(service["image"])
    env = service.get("env", {})
    published, container = (int(p) for p in str(service["ports"][0]).split(":"))
    assert container == sandbox_port(env, dockerfile)
    options = shlex.split(service["options"])
    health = options[options.index("--health-cmd") + 1]
    assert shlex.split(health) == health_command(dockerfile)
    url = urlsplit(job["env"]["SHOP_SANDBOX_URL"])
    assert (url.hostname, url.port) == ("127.0.0.1", published)  # the job runs on the runner itself
    assert "--add-host=host.docker.internal:host-gateway" in options
    assert job["env"]["WEBHOOK_HOST"] == "host.docker.internal"


def test_gitlab_ci_service(docs, dockerfile):
    job, = docs["gitlab"].values()
    service, = job["services"]
    assert_image(service["name"])
    env = service.get("variables", {})
    port = sandbox_port(env, dockerfile)
    assert int(env["HEALTHCHECK_TCP_PORT"]) == port
    url = urlsplit(job["variables"]["SHOP_SANDBOX_URL"])
    assert (url.hostname, url.port) == (service["alias"], port)
    health = next(line for line in job["script"] if line.startswith("shop-sandbox "))
    command = shlex.split(health)
    assert command[:2] == health_command(dockerfile)
    assert build_parser().parse_args(command[1:]).url == "$SHOP_SANDBOX_URL"  # shlex leaves $ as is
    assert any("WEBHOOK_HOST=" in line for line in job["script"])


def test_docker_compose_file(docs, dockerfile):
    services = docs["compose"]["services"]
    sandbox_name, sandbox = next((n, s) for n, s in services.items() if "healthcheck" in s)
    assert_image(sandbox["image"])
    env = sandbox.get("environment", {})
    port = sandbox_port(env, dockerfile)
    assert int(str(sandbox["ports"][0]).split(":")[1]) == port
    assert sandbox["healthcheck"]["test"] == ["CMD", *health_command(dockerfile)]
    tests_name, tests = next((n, s) for n, s in services.items() if n != sandbox_name)
    url = urlsplit(tests["environment"]["SHOP_SANDBOX_URL"])
    assert (url.hostname, url.port) == (sandbox_name, port)
    assert tests["environment"]["WEBHOOK_HOST"] == tests_name
    assert tests["depends_on"][sandbox_name]["condition"] == "service_healthy"


def test_the_conftest_snippet_defines_the_plugins_inbox_fixtures():
    block, = fenced((REPO / "docs" / "ci.md").read_text(), "python")
    namespace: dict[str, Any] = {}
    exec(compile(block, "docs/ci.md", "exec"), namespace)  # noqa: S102 - our own documentation
    for name in ("webhook_inbox_host", "webhook_inbox_public_host"):
        assert name in namespace and hasattr(pytest_plugin, name), name


def test_readme_builds_and_runs_the_image_under_its_name(dockerfile):
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Run it in a container", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for block in fenced(section, "sh") for line in block.splitlines() if line.strip()]
    build = [c for c in commands if re.match(r"(podman|docker) build ", c)]
    run = [c for c in commands if re.match(r"(podman|docker) run ", c)]
    assert build and run, commands
    for line in build:
        assert f"-t {IMAGE_NAME} " in line + " "
        if line.startswith("podman"):
            assert "--format docker" in line  # podman's default OCI format drops HEALTHCHECK
    port = image_port(dockerfile)
    assert any(f"-p {port}:{port}" in line and line.split()[-1] == IMAGE_NAME for line in run), run
    assert names_in(section) <= known_variables(), names_in(section) - known_variables()
