"""Arithmetic over columns (``quantity * unit_price``), without ever executing the text.

The expression is parsed with :mod:`ast` (parsing runs nothing) and only an allow-list
of node types is accepted: numbers, column names, + - * / // % **, unary minus and a
few numpy functions. Evaluation walks the tree over numpy arrays.

Dates take part too: a date column minus another is a duration (``discharged -
admitted``), a date plus a duration is a date (``admitted + days(stay)``), and
``days``, ``hours``, ``minutes``, ``seconds`` and ``weeks`` turn numbers into durations.
:func:`result_kind` checks an expression's kinds (number, date, duration) before any
value is computed; dates are evaluated as seconds since 1970 and durations as seconds.
"""

from __future__ import annotations

import ast
import operator
from functools import cache
from typing import Any

from .errors import SchemaError

__all__ = ["DATE", "DURATION", "DURATIONS", "FUNCTIONS", "MAX_LENGTH", "MAX_NODES", "NUMBER", "evaluate",
           "parse", "result_kind"]

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
# Seconds in each duration a formula can make from a number (days(3)); also a result's unit.
DURATIONS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}
# The functions a formula may call.
FUNCTIONS = ("abs", "round", "min", "max", "sqrt", "log", "exp", "floor", "ceil", *DURATIONS)
NUMBER, DATE, DURATION = "number", "date", "duration"


@cache
def _numpy_functions() -> dict[str, Any]:
    import numpy as np

    table = {"abs": np.abs, "round": np.round, "min": np.minimum, "max": np.maximum, "sqrt": np.sqrt,
             "log": np.log, "exp": np.exp, "floor": np.floor, "ceil": np.ceil}
    table.update({name: (lambda x, k=k: np.multiply(x, float(k))) for name, k in DURATIONS.items()})
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
    called = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
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
            if id(node) not in called and node.id not in names:
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
    # A function name used bare (``abs + 1``) is not a value; ``days`` and the other
    # durations may also be column names (hours worked), so bare they name a column.
    for node in nodes:
        if isinstance(node, ast.Name) and node.id in FUNCTIONS and node.id not in DURATIONS and id(node) not in called:
            raise SchemaError(f"Column '{column}': '{node.id}' is a function; call it like {node.id}(x).")
    return tree, names


# What arithmetic on kinds gives: (left, operator, right) -> kind; anything else is refused.
_SAME = {NUMBER: NUMBER, DURATION: DURATION}
_ARITHMETIC = {
    (DATE, ast.Sub, DATE): DURATION, (DATE, ast.Add, DURATION): DATE, (DURATION, ast.Add, DATE): DATE,
    (DATE, ast.Sub, DURATION): DATE, (DURATION, ast.Add, DURATION): DURATION,
    (DURATION, ast.Sub, DURATION): DURATION, (DURATION, ast.Mult, NUMBER): DURATION,
    (NUMBER, ast.Mult, DURATION): DURATION, (DURATION, ast.Div, NUMBER): DURATION,
    (DURATION, ast.Div, DURATION): NUMBER, (DURATION, ast.FloorDiv, DURATION): NUMBER,
    (DURATION, ast.Mod, DURATION): DURATION,
}


def result_kind(tree: ast.Expression, kinds: dict[str, str], column: str) -> str:
    """NUMBER, DATE or DURATION: what ``tree`` gives when its names have ``kinds``
    (NUMBER or DATE each); a SchemaError for arithmetic that means nothing (date + date)."""

    def walk(node: ast.AST) -> str:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return NUMBER
        if isinstance(node, ast.Name):
            return kinds[node.id]
        if isinstance(node, ast.UnaryOp):
            kind = walk(node.operand)
            if kind == DATE:
                raise _kind_error(column, "a date cannot be negated")
            return kind
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if left == right == NUMBER:
                return NUMBER
            kind = _ARITHMETIC.get((left, type(node.op), right))
            if kind is None:
                raise _kind_error(column, f"a {left} {_SYMBOL[type(node.op)]} a {right} means nothing")
            return kind
        if isinstance(node, ast.Call):
            name, args = node.func.id, [walk(a) for a in node.args]  # type: ignore[attr-defined]
            if name in DURATIONS:
                if args != [NUMBER]:
                    raise _kind_error(column, f"{name}() turns one number into a duration")
                return DURATION
            if name in ("min", "max") and len(set(args)) == 1:
                return args[0]
            if name == "abs" and args in ([NUMBER], [DURATION]):
                return args[0]
            if any(a != NUMBER for a in args):
                raise _kind_error(column, f"{name}() takes numbers; divide a duration by days(1) for a number of days")
            return NUMBER
        raise AssertionError(f"unchecked node {type(node).__name__}")

    return walk(tree)


_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**"}


def _kind_error(column: str, why: str) -> SchemaError:
    return SchemaError(f"Column '{column}': the formula does not add up: {why}.")


def evaluate(tree: ast.Expression, env: dict[str, Any]) -> Any:
    """Evaluate a tree accepted by :func:`parse` over numpy arrays in ``env`` (dates as
    seconds since 1970, missing ones as NaN)."""
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
