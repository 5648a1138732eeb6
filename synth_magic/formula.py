"""Arithmetic over columns (``quantity * unit_price``), without ever executing the text.

The expression is parsed with :mod:`ast` (parsing runs nothing) and only an allow-list
of node types is accepted: numbers, column names, + - * / // % **, unary minus and a
few numpy functions. Evaluation walks the tree over numpy arrays.
"""

from __future__ import annotations

import ast
import operator
from functools import cache
from typing import Any

from .errors import SchemaError

__all__ = ["FUNCTIONS", "MAX_LENGTH", "MAX_NODES", "evaluate", "parse"]

MAX_LENGTH = 300
MAX_NODES = 200

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
# The functions a formula may call.
FUNCTIONS = ("abs", "round", "min", "max", "sqrt", "log", "exp", "floor", "ceil")


@cache
def _numpy_functions() -> dict[str, Any]:
    import numpy as np

    table = {"abs": np.abs, "round": np.round, "min": np.minimum, "max": np.maximum, "sqrt": np.sqrt,
             "log": np.log, "exp": np.exp, "floor": np.floor, "ceil": np.ceil}
    assert tuple(table) == FUNCTIONS
    return table


def parse(expr: str, column: str) -> tuple[ast.Expression, list[str]]:
    """Check ``expr`` and return its tree and the column names it uses."""
    if not isinstance(expr, str) or not expr.strip():
        raise SchemaError(f"Column '{column}': formula needs an expression such as 'quantity * unit_price'.")
    if len(expr) > MAX_LENGTH:
        raise SchemaError(f"Column '{column}': the formula is longer than {MAX_LENGTH} characters; shorten it.")
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError:
        raise SchemaError(
            f"Column '{column}': formula '{expr}' is not arithmetic; use column names, numbers and + - * / ( )."
        ) from None
    names: list[str] = []
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise SchemaError(f"Column '{column}': the formula is too complex; split it into several columns.")
    for node in nodes:
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS) or node.keywords:
                raise SchemaError(
                    f"Column '{column}': formula '{expr}' calls something other than "
                    f"{', '.join(sorted(FUNCTIONS))}."
                )
            if not 1 <= len(node.args) <= 2:
                raise SchemaError(f"Column '{column}': formula functions take one or two arguments.")
        elif isinstance(node, ast.Name):
            if node.id not in FUNCTIONS and node.id not in names:
                names.append(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise SchemaError(f"Column '{column}': formula '{expr}' may only contain numbers, not {node.value!r}.")
        elif isinstance(node, ast.BinOp | ast.UnaryOp):
            op_table = _BINARY if isinstance(node, ast.BinOp) else _UNARY
            if type(node.op) not in op_table:
                raise SchemaError(f"Column '{column}': formula '{expr}' uses an operator that is not allowed.")
        elif not isinstance(node, ast.Expression | ast.Load | ast.operator | ast.unaryop):
            raise SchemaError(
                f"Column '{column}': formula '{expr}' is not arithmetic; use column names, numbers and + - * / ( )."
            )
    # A function name used bare (``abs + 1``) is not a value.
    for node in nodes:
        if isinstance(node, ast.Name) and node.id in FUNCTIONS:
            parent_calls = [n for n in nodes if isinstance(n, ast.Call) and n.func is node]
            if not parent_calls:
                raise SchemaError(f"Column '{column}': '{node.id}' is a function; call it like {node.id}(x).")
    return tree, names


def evaluate(tree: ast.Expression, env: dict[str, Any]) -> Any:
    """Evaluate a tree accepted by :func:`parse` over numpy arrays in ``env``."""
    import numpy as np

    functions = _numpy_functions()

    def walk(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return env[node.id]
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](walk(node.operand))
        if isinstance(node, ast.Call):
            return functions[node.func.id](*(walk(a) for a in node.args))  # type: ignore[attr-defined]
        raise AssertionError(f"unchecked node {type(node).__name__}")

    with np.errstate(all="ignore"):
        out = np.asarray(walk(tree), dtype=np.float64)
    out = np.where(np.isfinite(out), out, np.nan)
    return out
