"""Inputs that made Markdown parsers slow or crash, each as long as a journal text may be.

Shared by test_markdown.py and bench/markdown.py (docs/benchmarks.md "Journal Markdown").
Python-Markdown was quadratic on runs of "[", nested brackets and unclosed links and raised
RecursionError on about 1,000 nested lists (issue 8); the rest are the known worst cases of
CommonMark parsers: emphasis delimiters, code-span backticks, "<", references, deep nesting.
"""

from collections.abc import Callable

from digikunta.core.markdown import MAX_BODY_CHARS


def repeat(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def growing(make: Callable[[int], str], length: int) -> str:
    parts, size, i = [], 0, 1
    while size < length:
        parts.append(make(i))
        size += len(parts[-1])
        i += 1
    return "".join(parts)[:length]


def references(length: int) -> str:
    definitions = growing(lambda i: f"[r{i}]: /u{i}\n", length // 2)
    return definitions + "\n" + repeat("[r1][r2] [x][", length - len(definitions) - 1)


CORPUS: dict[str, Callable[[int], str]] = {
    "open brackets [": lambda n: "[" * n,
    "nested brackets [[[…]]]": lambda n: "[" * (n // 2) + "]" * (n - n // 2),
    "unclosed links [a](": lambda n: repeat("[a](", n),
    'unclosed link titles [a](b "': lambda n: repeat('[a](b "', n),
    "image openers ![": lambda n: repeat("![", n),
    "unclosed images ![a](": lambda n: repeat("![a](", n),
    "brackets and parens [(": lambda n: repeat("[(", n),
    "emphasis *a": lambda n: repeat("*a ", n),
    "emphasis _a": lambda n: repeat("_a ", n),
    "strong **a": lambda n: repeat("**a", n),
    "star run *": lambda n: "*" * n,
    "emphasis mix *_**__": lambda n: repeat("*_**__a", n),
    "emphasis mix a*b_c**d__": lambda n: repeat("a*b_c**d__", n),
    "nested quotes >": lambda n: ">" * n,
    "nested quotes > >": lambda n: repeat("> ", n),
    "nested lists - -": lambda n: repeat("- ", n),
    "nested lists 1. 1.": lambda n: repeat("1. ", n),
    "indented lists": lambda n: growing(lambda i: " " * (2 * (i % 500)) + "- a\n", n),
    "quotes and lists > -": lambda n: repeat("> - ", n),
    "backtick run `": lambda n: "`" * n,
    "backtick runs `a``a```a": lambda n: growing(lambda i: "`" * i + "a", n),
    "backtick pairs `a`": lambda n: repeat("`a", n),
    "less-than run <": lambda n: "<" * n,
    "unclosed tags <a": lambda n: repeat("<a", n),
    "unclosed autolinks <http://": lambda n: repeat("<http://a", n),
    "unclosed comments <!--": lambda n: repeat("<!--", n),
    "link reference definitions": references,
    "entities &#": lambda n: repeat("&#", n),
    "backslashes \\": lambda n: "\\" * n,
    "fences ```": lambda n: repeat("```\n", n),
    "setext headings": lambda n: repeat("a\n=\n", n),
}

# The slowest inputs, for the scaling test and the benchmark's attention.
WORST = ("open brackets [", "nested brackets [[[…]]]", "unclosed links [a](", "strong **a")


def corpus(length: int = MAX_BODY_CHARS) -> dict[str, str]:
    return {name: make(length) for name, make in CORPUS.items()}
