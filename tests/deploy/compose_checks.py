"""Checks of a Compose file that its JSON Schema cannot make.

Each `check_*` function takes the loaded document (a dict, as `yaml.safe_load` gives it: anchors and
`<<` merge keys resolved) and returns a list of messages, empty when all is well, so that a test can
feed them a broken document and read what they say. No Docker engine is needed.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def schema_errors(document: dict, schema: dict) -> list[str]:
    """Violations of the Compose JSON Schema (draft-07), each with its path in the document."""
    import jsonschema

    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


# ---------------------------------------------------------------------------------------------------
# Variables and interpolation (the Compose rules: $$ escapes, ${V}, ${V:-d}, ${V-d}, ${V:?e}, ${V?e},
# ${V:+a}, ${V+a}, $V; defaults may nest further variables).
# ---------------------------------------------------------------------------------------------------
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


class InterpolationError(ValueError):
    pass


def _closing_brace(text: str, start: int) -> int:
    """Index of the `}` closing the `${` whose body starts at `start` (nested `${…}` allowed)."""
    depth = 1
    i = start
    while i < len(text):
        if text.startswith("$$", i):
            i += 2
            continue
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise InterpolationError(f"unclosed ${{ in {text!r}")


def parse_references(text: str) -> list[tuple[str, str | None, str]]:
    """Every variable a string reads: (name, operator or None, argument), including nested ones."""
    refs: list[tuple[str, str | None, str]] = []
    i = 0
    while i < len(text):
        if text.startswith("$$", i):
            i += 2
        elif text.startswith("${", i):
            end = _closing_brace(text, i + 2)
            body = text[i + 2:end]
            m = _NAME.match(body)
            if not m:
                raise InterpolationError(f"bad variable reference ${{{body}}} in {text!r}")
            rest = body[m.end():]
            op = next((o for o in _OPERATORS if rest.startswith(o)), None)
            if rest and op is None:
                raise InterpolationError(f"bad variable reference ${{{body}}} in {text!r}")
            arg = rest[len(op):] if op else ""
            refs.append((m.group(), op, arg))
            refs.extend(parse_references(arg))
            i = end + 1
        elif text[i] == "$" and (m := _NAME.match(text, i + 1)):
            refs.append((m.group(), None, ""))
            i = m.end()
        else:
            i += 1
    return refs


def interpolate(text: str, env: dict[str, str]) -> str:
    """The string as Compose would see it with `env` as the .env file."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            end = _closing_brace(text, i + 2)
            body = text[i + 2:end]
            m = _NAME.match(body)
            if not m:
                raise InterpolationError(f"bad variable reference ${{{body}}}")
            name, rest = m.group(), body[m.end():]
            op = next((o for o in _OPERATORS if rest.startswith(o)), None)
            arg = rest[len(op):] if op else ""
            value = env.get(name)
            present, nonempty = value is not None, bool(value)
            if op is None:
                out.append(value or "")
            elif op in (":-", "-"):
                use_default = not nonempty if op == ":-" else not present
                out.append(interpolate(arg, env) if use_default else value)  # type: ignore[arg-type]
            elif op in (":?", "?"):
                missing = not nonempty if op == ":?" else not present
                if missing:
                    raise InterpolationError(f"required variable {name} is missing a value: {arg}")
                out.append(value)  # type: ignore[arg-type]
            else:  # :+ and +
                use_alt = nonempty if op == ":+" else present
                out.append(interpolate(arg, env) if use_alt else "")
            i = end + 1
        elif text[i] == "$" and (m := _NAME.match(text, i + 1)):
            out.append(env.get(m.group(), ""))
            i = m.end()
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def interpolate_document(node: Any, env: dict[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, dict):
        return {k: interpolate_document(v, env) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate_document(v, env) for v in node]
    return node


def walk_strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, string) for every string value of the document."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from walk_strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_strings(v, f"{path}[{i}]")


def used_variables(doc: dict) -> dict[str, list[str]]:
    """Variable name -> the paths that read it."""
    used: dict[str, list[str]] = {}
    for path, text in walk_strings(doc):
        for name, _op, _arg in parse_references(text):
            used.setdefault(name, []).append(path)
    return used


def parse_env_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (comments and blank lines skipped, surrounding quotes removed)."""
    env: dict[str, str] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ValueError(f"line {lineno}: not KEY=VALUE: {raw!r}")
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def check_env_documented(doc: dict, documented: dict[str, str]) -> list[str]:
    """Every variable the file reads is in .env.example, and .env.example lists nothing unused."""
    used = used_variables(doc)
    errors = [f"${{{name}}} (read at {paths[0]}) is not listed in .env.example"
              for name, paths in sorted(used.items()) if name not in documented]
    errors += [f"{name} is listed in .env.example but docker-compose.yaml never reads it"
               for name in sorted(documented) if name not in used]
    return errors


# ---------------------------------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------------------------------
def services(doc: dict) -> dict[str, dict]:
    return doc.get("services") or {}


def extension_blocks(doc: dict) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k.startswith("x-")}


def depends_on_conditions(block: dict) -> dict[str, str]:
    """depends_on as name -> condition (short list syntax means service_started)."""
    deps = block.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def service_networks(svc: dict) -> list[str]:
    nets = svc.get("networks")
    if nets is None:
        return ["default"]
    return list(nets)


def _volume_entries(svc: dict) -> Iterator[tuple[str, str | None, str | None]]:
    """(type, source, target) of each volume of a service; type is 'bind', 'volume' or 'tmpfs'."""
    for entry in svc.get("volumes") or []:
        if isinstance(entry, dict):
            yield entry.get("type", "volume"), entry.get("source"), entry.get("target")
            continue
        parts = entry.split(":")
        if len(parts) == 1:
            yield "volume", None, parts[0]  # anonymous volume
            continue
        source, target = parts[0], parts[1]
        kind = "bind" if source.startswith((".", "/", "~", "$")) or "/" in source else "volume"
        yield kind, source, target


def check_references(doc: dict) -> list[str]:
    """Names used by depends_on (also in x- blocks), extends, networks and volumes are declared."""
    errors: list[str] = []
    names = set(services(doc))
    networks = set(doc.get("networks") or {}) | {"default"}
    volumes = set(doc.get("volumes") or {})
    blocks = [(f"service {n}", s) for n, s in services(doc).items()]
    blocks += [(f"extension {n}", b) for n, b in extension_blocks(doc).items() if isinstance(b, dict)]
    for where, block in blocks:
        for dep in depends_on_conditions(block):
            if dep not in names:
                errors.append(f"{where}: depends_on names undefined service {dep!r}")
        ext = block.get("extends")
        if ext is not None:
            target = ext if isinstance(ext, str) else ext.get("service")
            if not (isinstance(ext, dict) and ext.get("file")) and target not in names:
                errors.append(f"{where}: extends undefined service {target!r}")
        for src in block.get("volumes_from") or []:
            name = src.split(":")[0]
            if not name.startswith("container:") and name not in names:
                errors.append(f"{where}: volumes_from names undefined service {name!r}")
        if "networks" in block:
            for net in service_networks(block):
                if net not in networks:
                    errors.append(f"{where}: network {net!r} is not declared under networks:")
        for kind, source, _target in _volume_entries(block):
            if kind == "volume" and source and source not in volumes:
                errors.append(f"{where}: named volume {source!r} is not declared under volumes:")
    return errors


def check_paths(doc: dict, root: Path) -> list[str]:
    """Bind-mounted host paths, env files, build contexts and Dockerfiles exist inside the repository."""
    errors: list[str] = []
    root = root.resolve()

    def inside(rel: str, what: str, where: str) -> Path | None:
        if rel.startswith(("/", "~")) or "$" in rel:
            errors.append(f"{where}: {what} {rel!r} is not a path relative to the repository")
            return None
        path = (root / rel).resolve()
        if root != path and root not in path.parents:
            errors.append(f"{where}: {what} {rel!r} points outside the repository")
            return None
        return path

    for name, svc in services(doc).items():
        where = f"service {name}"
        for kind, source, _target in _volume_entries(svc):
            if kind == "bind" and source:
                path = inside(source, "bind mount", where)
                if path is not None and not path.exists():
                    errors.append(f"{where}: bind-mounted host path {source!r} does not exist")
        env_files = svc.get("env_file") or []
        for entry in [env_files] if isinstance(env_files, str) else env_files:
            rel = entry if isinstance(entry, str) else entry.get("path")
            required = True if isinstance(entry, str) else entry.get("required", True)
            path = inside(rel, "env_file", where)
            if path is not None and required and not path.exists():
                errors.append(f"{where}: env_file {rel!r} does not exist")
        build = svc.get("build")
        if build is None:
            continue
        if isinstance(build, str):
            build = {"context": build}
        context = inside(build.get("context", "."), "build context", where)
        if context is None:
            continue
        if not context.is_dir():
            errors.append(f"{where}: build context {build.get('context')!r} is not a directory")
            continue
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        if not dockerfile.is_file():
            errors.append(f"{where}: Dockerfile {build.get('dockerfile', 'Dockerfile')!r} "
                          f"not found in context {build.get('context', '.')!r}")
    return errors


def is_one_shot(svc: dict) -> bool:
    return svc.get("restart", "no") in ("no", False)


def check_healthchecks(doc: dict) -> list[str]:
    """Long-running services have a healthcheck; service_healthy waits on one, completed on a one-shot."""
    errors: list[str] = []
    svcs = services(doc)

    def has_healthcheck(svc: dict) -> bool:
        hc = svc.get("healthcheck")
        return bool(hc) and not hc.get("disable", False) and bool(hc.get("test"))

    for name, svc in svcs.items():
        if not is_one_shot(svc) and not has_healthcheck(svc):
            errors.append(f"service {name}: restarts ({svc.get('restart')}) but has no healthcheck")
        for dep, condition in depends_on_conditions(svc).items():
            target = svcs.get(dep)
            if target is None:
                continue
            if condition == "service_healthy" and not has_healthcheck(target):
                errors.append(f"service {name}: waits for {dep} to be healthy, but {dep} has no healthcheck")
            if condition == "service_completed_successfully" and not is_one_shot(target):
                errors.append(f"service {name}: waits for {dep} to complete, but {dep} restarts "
                              f"({target.get('restart')}) and never completes")
    return errors


DATABASE_IMAGE = re.compile(
    r"^(docker\.io/)?(library/)?(postgres|postgis/postgis|mariadb|mysql|redis|valkey/valkey|mongo|"
    r"ckan/ckan-solr|solr)(:|@|$)")


def database_services(doc: dict) -> list[str]:
    return [n for n, s in services(doc).items() if DATABASE_IMAGE.match(str(s.get("image", "")))]


def check_internal_networks(doc: dict) -> list[str]:
    """Databases, brokers and Solr: only on `internal: true` networks and without published ports."""
    errors: list[str] = []
    declared = doc.get("networks") or {}
    for name in database_services(doc):
        svc = services(doc)[name]
        if svc.get("network_mode"):
            errors.append(f"service {name}: database uses network_mode {svc['network_mode']!r}")
            continue
        for net in service_networks(svc):
            spec = declared.get(net) or {}
            if not spec.get("internal", False):
                errors.append(f"service {name}: database is on network {net!r}, which is not internal")
        if svc.get("ports"):
            errors.append(f"service {name}: database publishes ports {svc['ports']}")
    return errors


# ---------------------------------------------------------------------------------------------------
# Secrets
# ---------------------------------------------------------------------------------------------------
SECRET_NAME = re.compile(r"PASS|SECRET|TOKEN|(^|_)KEY$|APIKEY|API_KEY|(^|_)AUTH$|CREDENTIAL", re.IGNORECASE)
_URI_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s\"']*:([^@\s\"']+)@")
_JSON_PASSWORD = re.compile(r"\"(?:password|passwd|secret|token|api_?key)\"\s*:\s*\"([^\"]*)\"", re.IGNORECASE)
_ASSIGNMENT = re.compile(r"\b([A-Z][A-Z0-9_]*(?:PASS|SECRET|TOKEN|PWD)[A-Z0-9_]*)=[\"']?([^\s'\";]+)")
_FLAG = re.compile(r"--(?:requirepass|password|pass|masterauth)[= ]+[\"']?([^\s'\";]+)")


def _literal_secret(value: str) -> str | None:
    """Why `value` holds a literal secret, or None when it comes from variables only.

    Accepted: Compose variables without a non-empty default (`${X:?…}`, `${X}`, `${X:-}`), and
    `$${X}` / `$$X`, which the container's shell reads from its own environment at run time.
    """
    text = value.strip()
    if not text:
        return None
    try:
        refs = parse_references(text)
    except InterpolationError as exc:
        return str(exc)
    for name, op, arg in refs:
        if op in (":-", "-") and arg and not parse_references(arg):
            return f"${{{name}}} defaults to a literal"
    remainder = re.sub(r"\$\$\{[^}]*\}|\$\$[A-Za-z_][A-Za-z0-9_]*", "", text)
    if refs or remainder != text:
        return None
    return "literal value"


def environment_items(block: dict) -> list[tuple[str, str]]:
    env = block.get("environment") or {}
    if isinstance(env, dict):
        return [(str(k), "" if v is None else str(v)) for k, v in env.items()]
    items = []
    for entry in env:
        key, _, value = str(entry).partition("=")
        items.append((key, value))
    return items


def check_no_literal_secrets(doc: dict) -> list[str]:
    """No password, token or key is written into the file: all come from variables."""
    errors: list[str] = []
    blocks = [(f"service {n}", s) for n, s in services(doc).items()]
    blocks += [(f"extension {n}", b) for n, b in extension_blocks(doc).items() if isinstance(b, dict)]
    for where, block in blocks:
        for key, value in environment_items(block):
            if SECRET_NAME.search(key) and (why := _literal_secret(value)):
                errors.append(f"{where}: environment {key} is not taken from a variable ({why})")
        build = block.get("build")
        args = build.get("args") if isinstance(build, dict) else None
        arg_items = args.items() if isinstance(args, dict) else (str(a).partition("=")[::2] for a in args or [])
        for arg, value in arg_items:
            if SECRET_NAME.search(str(arg)) and (why := _literal_secret(str(value or ""))):
                errors.append(f"{where}: build arg {arg} is not taken from a variable ({why})")
    for path, text in walk_strings(doc):
        for pattern, what in ((_URI_PASSWORD, "password in a URL"), (_JSON_PASSWORD, "secret in JSON"),
                              (_FLAG, "secret on a command line")):
            for m in pattern.finditer(text):
                if why := _literal_secret(m.group(1)):
                    errors.append(f"{path}: {what} is not taken from a variable ({why})")
        for m in _ASSIGNMENT.finditer(text):
            if why := _literal_secret(m.group(2)):
                errors.append(f"{path}: {m.group(1)}= is not taken from a variable ({why})")
    return sorted(set(errors))


# ---------------------------------------------------------------------------------------------------
# Scaling and images
# ---------------------------------------------------------------------------------------------------
def _publishes_host_port(entry: Any) -> bool:
    if isinstance(entry, dict):
        return entry.get("published") not in (None, "")
    spec = str(entry).split("/")[0]
    return ":" in spec  # "8080" alone gets an ephemeral host port; "HOST:CONTAINER" fixes one


def check_scalable(doc: dict, name: str) -> list[str]:
    """A service that `docker compose up --scale NAME=N` can multiply."""
    svc = services(doc).get(name)
    if svc is None:
        return [f"service {name} does not exist"]
    errors = []
    if svc.get("container_name"):
        errors.append(f"service {name}: container_name {svc['container_name']!r} allows one container only")
    if svc.get("hostname"):
        errors.append(f"service {name}: fixed hostname {svc['hostname']!r} would be shared by every replica")
    for entry in svc.get("ports") or []:
        if _publishes_host_port(entry):
            errors.append(f"service {name}: fixed host port {entry!r} can be bound by one replica only")
    if svc.get("network_mode") == "host":
        errors.append(f"service {name}: network_mode host allows one replica only")
    return errors


def check_no_container_names(doc: dict) -> list[str]:
    """container_name defeats scaling and the project name (-p): nothing here sets it."""
    return [f"service {n}: sets container_name {s['container_name']!r}"
            for n, s in services(doc).items() if s.get("container_name")]


def check_pinned_images(doc: dict) -> list[str]:
    """Images pulled from a registry name a version (not `latest`, not untagged)."""
    errors = []
    for name, svc in services(doc).items():
        image = svc.get("image")
        if not image or svc.get("build"):
            continue  # built here: its tag is ours
        tag = image.rsplit("/", 1)[-1].partition(":")[2]
        if "@" not in image and tag in ("", "latest"):
            errors.append(f"service {name}: image {image!r} is not pinned to a version")
    return errors


# ---------------------------------------------------------------------------------------------------
# Dockerfiles
# ---------------------------------------------------------------------------------------------------
def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined: list[str] = []
    buf = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if buf and line.startswith("#"):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        joined.append(buf + line)
        buf = ""
    if buf:
        joined.append(buf)
    out = []
    for line in joined:
        instr, _, args = line.partition(" ")
        out.append((instr.upper(), args.strip()))
    return out


def dockerfile_context_sources(text: str) -> list[str]:
    """Paths a Dockerfile reads from its build context: COPY/ADD sources and RUN bind mounts."""
    sources: list[str] = []
    for instr, args in dockerfile_instructions(text):
        if instr in ("COPY", "ADD"):
            parts = json.loads(args) if args.startswith("[") else args.split()
            flags = [p for p in parts if p.startswith("--")]
            if any(f.startswith("--from=") for f in flags):
                continue
            paths = [p for p in parts if not p.startswith("--")]
            if instr == "ADD":
                paths = [p for p in paths if "://" not in p]
            sources.extend(paths[:-1])
        elif instr == "RUN":
            for m in re.finditer(r"--mount=(\S+)", args):
                opts = dict(o.partition("=")[::2] for o in m.group(1).split(","))
                if opts.get("type", "bind") == "bind" and "from" not in opts:
                    sources.append(opts.get("source", opts.get("src", ".")))
    return sources


def dockerignore_for(dockerfile: Path, context: Path) -> Path | None:
    """The ignore file BuildKit uses: <Dockerfile>.dockerignore beside it, else the context's."""
    for candidate in (dockerfile.with_name(dockerfile.name + ".dockerignore"), context / ".dockerignore"):
        if candidate.is_file():
            return candidate
    return None


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A dockerignore pattern as a regex over slash-separated context paths (`**` spans folders)."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def is_ignored(rel: str, patterns: list[str]) -> bool:
    """Whether a context path is left out, as Docker decides: the last pattern matching the path or
    one of its parent folders wins, and `!pattern` takes a path back in."""
    parts = rel.strip("/").split("/")
    candidates = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        regex = _pattern_regex(pattern.lstrip("!").strip("/"))
        if any(regex.fullmatch(c) for c in candidates):
            ignored = not negate
    return ignored


def read_dockerignore(path: Path | None) -> list[str]:
    if path is None:
        return []
    return [line.strip() for line in path.read_text().splitlines()
            if line.strip() and not line.strip().startswith("#")]


def check_dockerfiles(doc: dict, root: Path) -> list[str]:
    """What each built Dockerfile copies exists in its context, and .env never enters a context."""
    from glob import glob

    errors: list[str] = []
    seen: set[tuple[Path, Path]] = set()
    for svc in services(doc).values():
        build = svc.get("build")
        if build is None:
            continue
        if isinstance(build, str):
            build = {"context": build}
        context = (root / build.get("context", ".")).resolve()
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        if (context, dockerfile) in seen or not dockerfile.is_file():
            continue
        seen.add((context, dockerfile))
        rel_df = dockerfile.relative_to(root.resolve()) if root.resolve() in dockerfile.parents else dockerfile
        patterns = read_dockerignore(dockerignore_for(dockerfile, context))
        for source in dockerfile_context_sources(dockerfile.read_text()):
            matches = glob(str(context / source))
            if not matches:
                errors.append(f"{rel_df}: copies {source!r}, which is not in its build context")
            elif source.strip("/") not in ("", ".") and all(
                    is_ignored(str(Path(m).relative_to(context)), patterns) for m in matches):
                errors.append(f"{rel_df}: copies {source!r}, which its dockerignore excludes")
        copies_all = any(src.strip("/") in ("", ".") for src in dockerfile_context_sources(dockerfile.read_text()))
        if copies_all and not is_ignored(".env", patterns):
            errors.append(f"{rel_df}: copies the whole context but its dockerignore lets .env in")
    return errors
