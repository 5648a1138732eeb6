"""Arithmetic over columns (``quantity * unit_price``), without ever executing the text.

The expression is parsed with :mod:`ast` (parsing runs nothing) and only an allow-list
of node types is accepted: numbers, column names, + - * / // % **, unary minus and a
few numpy functions, each with its own number of arguments. Evaluation walks the tree
over numpy arrays of float64, constants included (never Python's unbounded integers).

Bounds and arithmetic errors: a constant is at most :data:`MAX_CONSTANT` in size and a
constant exponent at most :data:`MAX_EXPONENT`; a part of the formula made of constants
only is computed when the schema is checked, and one without a finite value (``1/0``,
``5 % 0``, ``10 ** 400``, ``(-8) ** 0.5``) is a :class:`SchemaError`. A row whose columns
make the arithmetic meaningless (``a / b`` where b is 0, ``sqrt`` of a negative, an
overflow) gets a missing value (NaN), never an infinity and never an exception.

Names are read as written: ``ｘ`` names a column spelt ``ｘ``, not ``x`` (Python folds
identifiers to NFKC; the schema's column names are not folded, so neither are a
formula's).

Dates take part too: a date column minus another is a duration (``discharged -
admitted``), a date plus a duration is a date (``admitted + days(stay)``), and
``days``, ``hours``, ``minutes``, ``seconds`` and ``weeks`` turn numbers into durations.
:func:`result_kind` checks an expression's kinds (number, date, duration) before any
value is computed; dates are evaluated as seconds since 1970 and durations as seconds.
"""

from __future__ import annotations

import ast
import math
import operator
from functools import cache, lru_cache
from typing import Any

from ._messages import clip
from .errors import SchemaError

__all__ = ["DATE", "DURATION", "DURATIONS", "FUNCTIONS", "MAX_CONSTANT", "MAX_EXPONENT", "MAX_LENGTH", "MAX_NODES",
           "NUMBER", "evaluate", "parse", "result_kind"]

MAX_LENGTH = 300
MAX_NODES = 200
MAX_CONSTANT = 1e15  # the largest number a formula may write (a quadrillion)
MAX_EXPONENT = 1000  # the largest constant power: (1 + rate) ** 360 is fine, 9 ** 9 ** 9 is not

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
# The functions a formula may call, with how many arguments each takes (least, most).
_ARITY = {"abs": (1, 1), "round": (1, 2), "min": (2, 8), "max": (2, 8), "sqrt": (1, 1), "log": (1, 1),
          "exp": (1, 1), "floor": (1, 1), "ceil": (1, 1), **dict.fromkeys(DURATIONS, (1, 1))}
FUNCTIONS = tuple(_ARITY)
_USAGE = {"round": "round(x) or round(x, 2)", "min": "min(a, b)", "max": "max(a, b)", "log": "log(x) (log(x) / log(10) "
          "for base 10)"}
MAX_DECIMALS = 15  # round(x, n): n a whole number from -15 to 15
NUMBER, DATE, DURATION = "number", "date", "duration"


@cache
def _numpy_functions() -> dict[str, Any]:
    """Each function over its arguments only: a second argument is never numpy's ``out=``
    (which would write the result into another column)."""
    from functools import reduce

    import numpy as np

    table = {"abs": lambda x: np.abs(x), "round": lambda x, n=0.0: np.round(x, int(n)),
             "min": lambda *xs: reduce(np.minimum, xs), "max": lambda *xs: reduce(np.maximum, xs),
             "sqrt": lambda x: np.sqrt(x), "log": lambda x: np.log(x), "exp": lambda x: np.exp(x),
             "floor": lambda x: np.floor(x), "ceil": lambda x: np.ceil(x)}
    table.update({name: (lambda x, k=k: np.multiply(x, float(k))) for name, k in DURATIONS.items()})
    assert tuple(table) == FUNCTIONS
    return table


def parse(expr: str, column: str) -> tuple[ast.Expression, list[str]]:
    """Check ``expr`` and return its tree and the column names it uses (as written)."""
    if not isinstance(expr, str) or not expr.strip():
        raise SchemaError(f"Column '{column}': formula needs an expression such as 'quantity * unit_price'.")
    if len(expr) > MAX_LENGTH:
        raise SchemaError(f"Column '{column}': the formula is longer than {MAX_LENGTH} characters; shorten it.")
    return _parse(expr.strip(), column)


@lru_cache(maxsize=512)
def _parse(expr: str, column: str) -> tuple[ast.Expression, list[str]]:
    # Cached (a formula is parsed for every chunk); the tree is never changed after this.
    not_arithmetic = SchemaError(
        f"Column '{column}': formula '{expr}' is not arithmetic; use column names, numbers and + - * / ( ).")
    try:
        tree = ast.parse(expr, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise not_arithmetic from None
    names: list[str] = []
    nodes = list(ast.walk(tree))
    called = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
    if len(nodes) > MAX_NODES:
        raise SchemaError(f"Column '{column}': the formula is too complex; split it into several columns.")
    source = expr.encode()
    for node in nodes:
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS) or node.keywords:
                raise SchemaError(
                    f"Column '{column}': formula '{expr}' calls something other than "
                    f"{', '.join(sorted(FUNCTIONS))}."
                )
            least, most = _ARITY[node.func.id]
            if not least <= len(node.args) <= most or any(isinstance(a, ast.Starred) for a in node.args):
                usage = _USAGE.get(node.func.id, f"{node.func.id}(x)")
                raise SchemaError(f"Column '{column}': {node.func.id}() takes {_count(least, most)}, as in {usage}.")
        elif isinstance(node, ast.Name):
            # Python folds identifiers to NFKC (ｘ -> x); a column is named as the text spells it.
            node.id = source[node.col_offset:node.end_col_offset].decode()  # type: ignore[operator]
            if id(node) not in called and node.id not in names:
                names.append(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise SchemaError(f"Column '{column}': formula '{expr}' may only contain numbers, not {node.value!r}.")
            if not abs(node.value) <= MAX_CONSTANT:  # also refuses inf and nan
                raise SchemaError(f"Column '{column}': the number {clip(str(node.value), 40)} is too large for a "
                                  f"formula; use at most {MAX_CONSTANT:.0e}.")
        elif isinstance(node, ast.BinOp | ast.UnaryOp):
            op_table = _BINARY if isinstance(node, ast.BinOp) else _UNARY
            if type(node.op) not in op_table:
                raise SchemaError(f"Column '{column}': formula '{expr}' uses an operator that is not allowed.")
        elif not isinstance(node, ast.Expression | ast.Load | ast.operator | ast.unaryop):
            raise not_arithmetic
    # A function name used bare (``abs + 1``) is not a value; ``days`` and the other
    # durations may also be column names (hours worked), so bare they name a column.
    for node in nodes:
        if isinstance(node, ast.Name) and node.id in FUNCTIONS and node.id not in DURATIONS and id(node) not in called:
            raise SchemaError(f"Column '{column}': '{node.id}' is a function; call it like {node.id}(x).")
    _check_constants(tree.body, column)
    return tree, names


def _count(least: int, most: int) -> str:
    if least == most:
        return "one argument" if least == 1 else f"{least} arguments"
    return f"{least} or {most} arguments" if most == least + 1 else f"{least} to {most} arguments"


# The same arithmetic in Python floats, for parts made of constants only (checking a schema
# imports no numpy); Python raises where numpy gives inf or nan.
_PY_BINARY = {**_BINARY, ast.Pow: math.pow}
_PY_FUNCTIONS = {"abs": abs, "round": lambda x, n=0.0: round(x, int(n)), "min": min, "max": max, "sqrt": math.sqrt,
                 "log": math.log, "exp": math.exp, "floor": lambda x: float(math.floor(x)),
                 "ceil": lambda x: float(math.ceil(x)), **{name: (lambda x, k=k: x * k) for name, k in DURATIONS.items()}}


def _check_constants(node: ast.AST, column: str) -> float | None:
    """The value of a part made of constants only (None for a part that reads a column);
    a SchemaError for a part without a finite value, or a power or a number of decimals
    out of bounds."""
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return None
    if isinstance(node, ast.UnaryOp):
        operand = _check_constants(node.operand, column)
        return None if operand is None else _constant(node, _UNARY[type(node.op)], (operand,), column)
    if isinstance(node, ast.BinOp):
        left, right = _check_constants(node.left, column), _check_constants(node.right, column)
        if isinstance(node.op, ast.Pow) and right is not None and not abs(right) <= MAX_EXPONENT:
            raise SchemaError(f"Column '{column}': the power in '{clip(ast.unparse(node), 60)}' is too large; "
                              f"use at most {MAX_EXPONENT}.")
        if right == 0 and isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod):
            raise SchemaError(f"Column '{column}': '{clip(ast.unparse(node), 60)}' divides by zero; change it.")
        if left is None or right is None:
            return None
        return _constant(node, _PY_BINARY[type(node.op)], (left, right), column)
    assert isinstance(node, ast.Call)
    args = [_check_constants(a, column) for a in node.args]
    name = node.func.id  # type: ignore[attr-defined]
    if name == "round" and len(args) == 2 and (args[1] is None or args[1] != int(args[1])
                                              or not abs(args[1]) <= MAX_DECIMALS):
        raise SchemaError(f"Column '{column}': round(x, n) needs n a whole number from -{MAX_DECIMALS} to "
                          f"{MAX_DECIMALS}, such as round(price, 2).")
    if any(a is None for a in args):
        return None
    return _constant(node, _PY_FUNCTIONS[name], args, column)


def _constant(node: ast.AST, function: Any, args: Any, column: str) -> float:
    try:
        value = float(function(*args))
    except (ArithmeticError, ValueError, TypeError):
        value = math.nan
    if not math.isfinite(value):
        raise SchemaError(f"Column '{column}': '{clip(ast.unparse(node), 60)}' has no value (a division by zero, "
                          "an overflow or a root or log of a negative number); change it.")
    return value


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
            return np.float64(node.value)  # never a Python int: 9 ** 99 stays a float
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
