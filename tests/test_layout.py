"""The package's boundaries: pinned public names, no import cycles, private stays private.

Cross-cutting like the reliability suite: it reads every module of the package.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "synth_magic"

PINNED = {
    "synth_magic": [
        "Column", "ConfigError", "Dataset", "DatasetSchema", "ExportError", "InputError", "PlannerError", "Schema",
        "SchemaError", "SynthError", "SynthWarning", "__version__", "form",
        "load_ipython_extension", "plan", "synth",
    ],
    "synth_magic._dask": [
        "INSTALL", "MAX_PICKED", "ROWS_PER_PARTITION", "SCHEDULER_ENV", "dataset", "frame", "local_cluster",
        "partition", "parts_target", "ranges", "require", "rows_of", "write", "write_dataset", "write_part",
    ],
    "synth_magic._inputs": [
        "DEFAULT_ROWS", "ENGINES", "MAX_DESCRIPTION", "MAX_MESSY", "MAX_ROWS", "MAX_THREADS",
        "THREADS_ENV", "available_locales", "check_description", "check_engine", "check_locale",
        "check_messy", "check_path", "check_rows", "check_seed", "check_text", "threads", "whole_number",
    ],
    "synth_magic._pool_cache": [
        "FORMAT", "beside_cache", "column", "default_cache_dir", "faker_version", "folder", "load", "locales", "strings",
    ],
    "synth_magic._messages": [
        "CONTROL", "clip", "number", "one_line", "reject_constant", "shown_url",
    ],
    "synth_magic._guard": [
        "ERROR_TYPES", "Guard", "JSONFormatter", "LOGGER", "Loads", "RateLimit", "error_body", "log_config",
        "timestamp",
    ],
    "synth_magic._syntax": [
        "ANY", "PATTERN_CLASSES", "clock_seconds", "key_parts", "parse_clock", "parse_duration",
        "parse_range", "parse_when", "value_union",
    ],
    "synth_magic.api": [
        "Planned", "Result", "plan", "plan_with_source", "run", "schema_of", "synth",
    ],
    "synth_magic.cache": [
        "JSONOnlyDisk", "MAX_ENTRY", "SchemaCache", "cache_key", "normalise",
    ],
    "synth_magic.catalog": [
        "BOOL", "CATEGORY", "COUNTRY_CURRENCY", "CURRENCIES", "DATE", "DATETIME",
        "DISTRIBUTIONS", "FLOAT", "GROUPS", "INT", "KINDS", "MAX_CATEGORIES", "MAX_STRING",
        "NUMERIC_KINDS", "Order", "PANDAS_DTYPES", "PARAM_KINDS", "Param", "ParamKind",
        "STRING", "TIME_KINDS", "TYPES", "TypeSpec", "UNIQUE", "locale_currency",
    ],
    "synth_magic._present": [
        "PROGRESS_ROWS", "Preview", "TEXT_CELL", "notebook_words", "preview_html", "preview_text", "replaced_note", "types_table",
    ],
    "synth_magic.cli": [
        "EPILOG", "build_parser", "cli_words", "main", "types_table",
    ],
    "synth_magic.config": [
        "DEFAULT_MAX_RETRIES", "DEFAULT_MODEL", "DEFAULT_TEMPERATURE", "DEFAULT_TIMEOUT",
        "Settings", "check_base_url", "default_cache_dir", "load_dotenv_once", "settings",
    ],
    "synth_magic.dask": [
        "dataset", "frame",
    ],
    "synth_magic.dataset": [
        "ACROSS", "AGGREGATES", "DISTRIBUTIONS", "Dataset", "DatasetPlan", "DatasetSchema", "Derived",
        "MAX_PER_PARENT", "MAX_TABLES",
        "MODES", "Relation", "RelationPlan", "Rollup", "Table", "TablePlan", "looks_like_dataset_text", "schema_from_json", "schema_from_text", "validate",
    ],
    "synth_magic.errors": [
        "ConfigError", "ExportError", "InputError", "PlannerError", "PlannerUnavailable",
        "SchemaError", "SynthError", "SynthWarning",
    ],
    "synth_magic.export": [
        "CSV_SAFETY_ENV", "DATABASES", "ENCODINGS", "FORMATS", "csv_safety_default", "encode", "neutralise",
        "neutralise_name", "process_alive", "save", "save_dataset", "save_frames", "suggest_name", "suggest_path",
        "tables_target", "target", "to_arrow",
    ],
    "synth_magic.formula": [
        "DATE", "DURATION", "DURATIONS", "FUNCTIONS", "MAX_CONSTANT", "MAX_EXPONENT", "MAX_LENGTH", "MAX_NODES", "NUMBER",
        "evaluate", "parse", "result_kind",
    ],
    "synth_magic.generate": [
        "BATCH_BYTES", "BATCH_CHUNKS", "CHUNK", "Given", "MAX_ROWS", "Progress", "batch_chunks", "check_fits",
        "empty_frame", "frame_of_chunks", "frames", "generate", "resolve_seed",
    ],
    "synth_magic.relate": [
        "check_pick", "chunk_counts", "counts", "counts_in", "generate_dataset", "given_columns", "own_rows", "pick",
        "relations", "rollup", "rollup_add", "rollup_finish", "rollup_start", "table_rows", "table_seed",
    ],
    "synth_magic.generators": [
        "Ctx", "GENERATORS", "Generator", "PREFIX", "column_key", "prefix_stable",
    ],
    "synth_magic.generators._base": [
        "Ctx", "Domain", "Generator", "Make", "column_key", "stream", "stream_states", "streamed",
    ],
    "synth_magic.generators._by": [
        "correlate", "groups", "mapped", "normal_quantile", "per_row",
    ],
    "synth_magic.generators._dates": [
        "GENERATORS", "when",
    ],
    "synth_magic.generators._geo": [
        "MOBILE_SHARE", "Phones", "Places", "WORLD", "country_of", "field", "phones",
        "place_index", "places", "selection", "spell_phones",
    ],
    "synth_magic.generators._identifiers": [
        "GENERATORS", "PATTERN", "pattern",
    ],
    "synth_magic.generators._internet": [
        "GENERATORS",
    ],
    "synth_magic.generators._kernels": [
        "Pieces", "STR", "Weighted", "Weighted2", "ascii_digits", "concat", "concat_ragged",
        "decimal_index", "decimal_pools", "digit_matrix", "digits_or_empty", "fill_pattern",
        "fixed_width", "hex_bytes", "hex_words", "join", "luhn_digit", "mod97",
        "pattern_domain", "scramble", "take", "to_str", "weighted", "weighted_index",
    ],
    "synth_magic.generators._messy": [
        "DUPLICATE", "PROBLEMS", "mess", "messy_categories",
    ],
    "synth_magic.generators._numbers": [
        "CHOICE", "GENERATORS", "REDRAWN", "below", "decimal_domain", "draw_numeric", "evaluate", "span_domain",
    ],
    "synth_magic.generators._people": [
        "GENERATORS",
    ],
    "synth_magic.generators._places": [
        "GENERATORS", "pool_generator",
    ],
    "synth_magic.generators._pools": [
        "FAMILY_FIRST", "Names", "POOL_SIZE", "SAMPLERS", "address_formats", "faker", "formats",
        "names", "sampled", "template_part", "words",
    ],
    "synth_magic.generators._series": [
        "GENERATORS", "entity_count", "layout",
    ],
    "synth_magic.generators._text": [
        "GENERATORS",
    ],
    "synth_magic.magic": [
        "MISSING_KEY_MESSAGE", "OPTIONS", "Parsed", "SECRET_MESSAGE", "SchemaText",
        "SynthMagics", "load_ipython_extension", "parse", "tokens",
        "unload_ipython_extension",
    ],
    "synth_magic.options": [
        "OPTIONS", "Option", "PARSERS", "SURFACES", "check_name", "on", "option", "parse",
    ],
    "synth_magic.planner": [
        "FALLBACK", "NAMES", "Planner", "REGISTRY", "check_name", "get_planner",
    ],
    "synth_magic.planner._entities": [
        "ENTITIES", "Entity", "Found", "LINKS", "Link", "SCENES", "plan_dataset", "recognise",
    ],
    "synth_magic.planner._answer": [
        "MAX_ANSWER_CHARS", "MAX_MODEL_ROWS", "MAX_NUMBER", "MAX_PROBLEMS_CHARS", "json_text",
        "read_answer", "suggest_type", "table", "to_dataset", "to_schema",
    ],
    "synth_magic.planner._knowledge": [
        "Col", "Concept", "Domain", "FILES", "KNOWLEDGE", "KeptText", "Knowledge", "KnowledgeError",
        "UNIT_WORDS", "check", "column_words", "context_in", "dependent", "derived_concept", "kept",
        "knowledge", "match_concept", "paths", "phrase_words", "reload", "squashed", "version",
    ],
    "synth_magic.planner._stamp": [
        "FILES", "KNOWLEDGE", "VERSION", "code_hash", "files_hash", "kept_path", "kind_paths", "paths", "read_kept",
        "version", "write_kept",
    ],
    "synth_magic.planner._lexicon": [
        "AGES", "CONTEXT", "COUNT_NOUNS", "LOCALE_WORDS", "Parts", "Phrase", "WORD", "age_range",
        "column_name", "correct", "date_order", "detect_locale", "detect_rows",
        "enumeration", "global_currency", "global_ranges", "infer", "meaning_key",
        "number_range", "parse_phrase", "shares", "singular", "singular_text",
        "split_description", "split_list", "step", "time_window", "unit_of",
        "vocabulary", "words",
    ],
    "synth_magic.planner._server": [
        "Failure", "LIMIT", "Learnt", "MODES", "content", "failure", "learn", "learnt",
        "warn_plain_http",
    ],
    "synth_magic.planner.offline": [
        "COMPOSED_NOTE", "FALLBACK_NOTE", "OfflinePlanner", "VERSION", "head_noun", "pick_domain", "plan",
    ],
    "synth_magic.planner._retrieve": [
        "Entry", "GENERIC_ROWS", "Index", "KIND_WEIGHTS", "MIN_SCORE", "Match", "Phrase", "STOP", "choose", "index",
        "rank", "retrieve",
    ],
    "synth_magic.planner._words": ["Fuzzy", "WORD", "singular", "singular_text", "words"],
    "synth_magic.planner.openai": [
        "LOCAL_KEY", "MAX_ANSWER_CHARS", "MAX_ANSWER_TOKENS", "MAX_ECHO_CHARS",
        "MAX_MODEL_ROWS", "MAX_NUMBER", "MODES", "OpenAIPlanner", "PROMPT_TOKEN_LIMIT",
        "VERSION", "answer_schema", "check_prompt", "dataset_answer_schema", "estimate_tokens", "first_messages",
        "prompt_version", "read_answer", "repair_messages", "system_prompt", "to_schema",
    ],
    "synth_magic.schema": [
        "Column", "MAX_COLUMNS", "MAX_NAME", "MAX_NOTE", "MAX_TEXT", "MAX_TITLE", "PARAM_CHECKS",
        "Plan", "PlannedColumn", "SOURCES", "Schema", "TEXT_WIDTH", "looks_like_text_form",
        "order_columns", "references", "short_title", "validate",
    ],
    "synth_magic.server": [
        "DEFAULT_MAX_ROWS", "ENV", "ERROR_TYPES", "EXAMPLES", "ErrorResponse", "HealthResponse", "KEEPALIVE_REQUESTS",
        "MAX_BODY", "MEDIA_TYPES", "MIN_DESCRIPTION", "ServerConfig", "build_parser", "create_app",
        "main", "serve_app",
    ],
    "synth_magic.widget": [
        "AUTO_LOCALE", "PREVIEW_ROWS", "SynthForm", "form", "preview_html",
    ],
}
# The modules a user may import; every other module is private (an underscore name).
PUBLIC = {"synth_magic", "synth_magic.api", "synth_magic.cache", "synth_magic.catalog", "synth_magic.cli",
          "synth_magic.config", "synth_magic.dask", "synth_magic.dataset", "synth_magic.errors", "synth_magic.export", "synth_magic.formula",
          "synth_magic.generate", "synth_magic.generators", "synth_magic.magic", "synth_magic.options",
          "synth_magic.planner", "synth_magic.planner.offline", "synth_magic.planner.openai", "synth_magic.relate",
          "synth_magic.schema", "synth_magic.server", "synth_magic.widget"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py":
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import in the module, at any depth, except TYPE_CHECKING ones."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[str, list[str]]] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if _is_type_checking(node):
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            out.append((base, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out.extend((a.name, []) for a in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return out


def _edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for module, names in _imports(name, path):
            if not module.startswith("synth_magic"):
                continue
            targets = {f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES}
            if len(targets) < len(names) or not names:  # names that are not submodules come from module
                targets.add(module)
            graph[name] |= {t for t in targets if t != name}
    return graph


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_pins_its_public_names(name):
    module = importlib.import_module(name)
    assert sorted(getattr(module, "__all__", None) or []) == PINNED[name], (
        f"{name}.__all__ changed: update PINNED here if the change to the public names is meant")
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.__all__ lists {attr}, which it does not have"


def test_every_module_is_pinned_and_every_private_module_has_an_underscore():
    assert set(PINNED) == set(MODULES)
    for name in MODULES:
        assert name in PUBLIC or name.rpartition(".")[2].startswith("_"), name


def test_no_import_cycles_inside_the_package():
    graph = _edges()
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, chain: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = chain[chain.index(nxt):] + [nxt] if nxt in chain else [node, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*chain, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])


def test_nothing_imports_another_modules_underscore_names():
    for name, path in MODULES.items():
        for module, names in _imports(name, path):
            if not module.startswith("synth_magic"):
                continue
            for imported in names:
                private = imported.startswith("_") and not imported.startswith("__")
                assert not private or f"{module}.{imported}" in MODULES, (
                    f"{name} imports {imported} from {module}")


def test_the_generator_does_not_import_the_schema():
    graph = _edges()
    seen, todo = set(), ["synth_magic.generate"]
    while todo:
        node = todo.pop()
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert "synth_magic.schema" not in seen and "synth_magic.planner" not in seen
