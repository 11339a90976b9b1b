"""Generated equivalence cases for the math task: one gold, many surface forms.

``classes()`` maps a class of gold answers (integers, fractions, scientific notation, ...) to a
function that draws one gold from a seeded ``random.Random`` and returns cases
``{"gold", "completion", "expected", "form"}``: the gold's value written in many ways that a
reader accepts (plain text, LaTeX, ``\\boxed``, ``$...$``, Unicode, with units, after "the
answer is", after a colon, on the next line) with ``expected`` 1, and near-misses (the
numerator alone, one element missing, one digit off, the mantissa alone, ...) with
``expected`` 0. tests/test_grader_math_properties.py asserts them on a few draws;
bench/grading_properties.py counts false positives and negatives per class at scale.
Nothing here knows how the grader works: only how people write answers.
"""
from __future__ import annotations

import math
import random
from decimal import Decimal
from fractions import Fraction
from typing import Callable

TASK = "math"

# Where a plain-text (or Unicode) answer stands in a reply; {a} is the answer.
PLAIN_CONTEXTS = (
    ("after 'the answer is'", "So the answer is {a}."),
    ("after 'the final answer is'", "The final answer is {a}"),
    ("after 'Answer:'", "Answer: {a}"),
    ("after a bold 'Answer:'", "**Answer:** {a}"),
    ("after a bold 'Answer', then a colon", "**Answer**: {a}"),
    ("on the line after 'the answer is:'", "Putting it together, the answer is:\n\n{a}"),
    ("on the line after 'Final answer:'", "Final answer:\n{a}"),
    ("under a '### Final Answer' heading", "### Final Answer\n\n{a}"),
    ("under a bold 'Final Answer' line", "**Final Answer**\n{a}"),
    ("after 'the answer is', then a clause", "So the answer is {a}, as required."),
    ("after 'the answer is therefore'", "The answer is therefore {a}."),
    ("after 'the answer is', then more prose", "The answer is {a}. Substituting back confirms it."),
    ("in a final 'the result is' sentence", "Therefore, the result is {a}."),
    ("alone", "{a}"),
)
# Where a LaTeX answer stands; {a} is the LaTeX.
LATEX_CONTEXTS = (
    ("boxed", "Therefore $\\boxed{{{a}}}$."),
    ("boxed display", "So\n\\[\n\\boxed{{{a}}}\n\\]"),
    ("$...$ after 'the answer is'", "The answer is ${a}$."),
    ("\\(...\\) after 'Answer:'", "Answer: \\({a}\\)"),
    ("$...$ after a bold 'Final Answer', then a colon", "**Final Answer**: ${a}$"),
    ("$...$ on the line after 'the answer is:'", "Hence the answer is:\n\n$${a}$$"),
    ("$...$ then a clause", "The answer is ${a}$, as required."),
    ("$...$ in a final 'the result is' sentence", "Thus the result is ${a}$."),
)
REASONING = ("We work through the problem step by step, checking each step.\n"
             "The computation gives the value below.")


def _wrap(rng: random.Random, text: str, alone: bool = False) -> str:
    """The answer statement inside a reply: after a closed <think>, after prose, or alone. A
    bare answer after prose is no statement (a number somewhere in a reply is no answer)."""
    shape = rng.choice((0, 2) if alone else (0, 1, 2))
    if shape == 0:
        return f"<think>\n{REASONING}\n</think>\n\n{text}"
    if shape == 1:
        return f"{REASONING}\n\n{text}"
    return text


def _cases(rng, gold: str, expected: int, latex=(), plain=(), question=None) -> list[dict]:
    """Each (form, answer) of ``latex`` in every LaTeX context, each of ``plain`` in every
    plain-text context."""
    out = []
    for forms, contexts, kind in ((latex, LATEX_CONTEXTS, "latex"), (plain, PLAIN_CONTEXTS, "plain")):
        for form, answer in forms:
            for where, template in contexts:
                case = {"gold": gold, "completion": _wrap(rng, template.format(a=answer), template == "{a}"),
                        "expected": expected, "form": f"{kind} {form}, {where}"}
                if question:
                    case["question"] = question
                out.append(case)
    return out


def _sign(n) -> str:
    return f"-{abs(n)}" if n < 0 else f"{n}"


def _unicode_minus(text: str) -> str:
    return text.replace("-", "\u2212")


def _off_by_one_digit(rng: random.Random, n: int) -> int:
    digits = list(str(abs(n)))
    i = rng.randrange(len(digits))
    d = int(digits[i])
    digits[i] = str(d + 1 if d < 9 else d - 1)
    if digits[0] == "0" and len(digits) > 1:
        digits[0] = "1"
    value = int("".join(digits))
    return -value if n < 0 else value


# ---------------------------------------------------------------- gold kinds

def integer(rng: random.Random) -> list[dict]:
    n = rng.choice([rng.randint(0, 999), -rng.randint(1, 999), rng.randint(1000, 99999)])
    gold = str(n)
    right_latex = [("integer", gold)]
    right_plain = [("integer", gold)]
    if n < 0:
        right_plain.append(("integer with U+2212 minus", _unicode_minus(gold)))
    if abs(n) >= 1000:
        right_latex.append(("integer with {,} thousands", _sign(n)[:-3] + "{,}" + gold[-3:]))
    wrong = _off_by_one_digit(rng, n)
    near = [("one digit off", str(wrong)), ("hedged between two values", f"{gold} or {wrong}")]
    if n:  # (0x is 0, and -0 is 0)
        near += [("times a variable", f"{gold}x"), ("sign flipped", str(-n))]
    near_plain = near + ([("sign flipped, U+2212 minus", _unicode_minus(str(-n)))] if n > 0 else [])
    return (_cases(rng, gold, 1, right_latex, right_plain)
            + _cases(rng, gold, 0, near, near_plain)
            + _cases(rng, str(wrong), 0, [("integer", gold)], [("integer", gold)]))


def decimal(rng: random.Random) -> list[dict]:
    cents = rng.randint(1, 99999)
    if cents % 10 == 0:
        cents += 1
    gold = f"{cents / 100:.2f}"
    right = [("decimal", gold), ("decimal with a trailing zero", gold + "0")]
    near = [("last digit off", f"{(cents + 1) / 100:.2f}"), ("decimal point moved", f"{cents / 10:.1f}")]
    return _cases(rng, gold, 1, right, right) + _cases(rng, gold, 0, near, near)


def _proper_fraction(rng: random.Random) -> Fraction:
    while True:
        value = Fraction(rng.randint(1, 40), rng.randint(2, 40))
        if value.denominator > 1:
            return value


def fraction(rng: random.Random) -> list[dict]:
    f = _proper_fraction(rng) * rng.choice([1, 1, -1])
    p, q = f.numerator, f.denominator
    gold = rng.choice([f"\\frac{{{p}}}{{{q}}}", f"{p}/{q}"])
    neg = "-" if p < 0 else ""
    right_latex = [("\\frac", f"{neg}\\frac{{{abs(p)}}}{{{q}}}"), ("\\dfrac", f"{neg}\\dfrac{{{abs(p)}}}{{{q}}}"),
                   ("a/b", f"{p}/{q}")]
    right_plain = [("a/b", f"{p}/{q}")]
    if p < 0:
        right_plain.append(("a/b with U+2212 minus", _unicode_minus(f"{p}/{q}")))
    if 10 ** 6 % q == 0:  # a terminating decimal
        right_plain.append(("decimal", str(float(f))))
    near = [("numerator only", str(p)), ("denominator only", str(q)), ("reciprocal", f"{q}/{p}")]
    # the numerator as gold: a reply of p/q is not p
    as_numerator = [("a/b against gold a", f"{p}/{q}")]
    return (_cases(rng, gold, 1, right_latex, right_plain) + _cases(rng, gold, 0, near, near)
            + _cases(rng, str(p), 0, [("\\frac against gold a", f"{neg}\\frac{{{abs(p)}}}{{{q}}}")], as_numerator))


def mixed_number(rng: random.Random) -> list[dict]:
    whole_part = rng.randint(1, 12)
    part = _proper_fraction(rng)
    if part >= 1:
        part = Fraction(part.denominator - 1 if part.denominator > 2 else 1, part.denominator)
    part = Fraction(part.numerator % part.denominator or 1, part.denominator)
    value = whole_part + part
    a, b = part.numerator, part.denominator
    gold = rng.choice([f"\\frac{{{value.numerator}}}{{{value.denominator}}}", f"{whole_part}\\frac{{{a}}}{{{b}}}"]
                      + ([str(float(value))] if 10 ** 6 % b == 0 else []))
    right_latex = [("whole\\frac", f"{whole_part}\\frac{{{a}}}{{{b}}}"),
                   ("whole \\tfrac", f"{whole_part} \\tfrac{{{a}}}{{{b}}}"),
                   ("improper \\frac", f"\\frac{{{value.numerator}}}{{{value.denominator}}}")]
    right_plain = [("'w a/b'", f"{whole_part} {a}/{b}"), ("improper a/b", f"{value.numerator}/{value.denominator}")]
    near = [("whole part only", str(whole_part)), ("fraction part only", f"{a}/{b}")]
    return (_cases(rng, gold, 1, right_latex, right_plain) + _cases(rng, gold, 0, near, near)
            + _cases(rng, str(whole_part), 0, [("whole\\frac against the whole part", right_latex[0][1])],
                     [("'w a/b' against the whole part", right_plain[0][1])]))


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def sci_notation(rng: random.Random) -> list[dict]:
    mantissa = rng.randint(11, 99) / 10 if rng.random() < 0.5 else rng.randint(101, 999) / 100
    exponent = rng.choice([rng.randint(4, 30), -rng.randint(4, 35)])
    m = f"{mantissa:g}"
    gold = rng.choice([f"{m} \\times 10^{{{exponent}}}", f"{m}\\cdot 10^{{{exponent}}}", f"{m}e{exponent}"])
    right_latex = [("m \\times 10^{e}", f"{m} \\times 10^{{{exponent}}}"),
                   ("m \\cdot 10^{e}", f"{m} \\cdot 10^{{{exponent}}}")]
    right_plain = [("'m x 10^e'", f"{m} x 10^{exponent}"), ("'m*10^e'", f"{m}*10^{exponent}"),
                   ("'me-e' e-notation", f"{m}e{exponent}"), ("'mE+e' e-notation", f"{m}E{exponent:+d}"),
                   ("Unicode m×10ᵉ", f"{m}×10{str(exponent).translate(_SUPERSCRIPT)}"),
                   ("Unicode 'm × 10^e'", f"{m} × 10^{exponent}")]
    if abs(exponent) <= 8:
        right_plain.append(("written out", format(Decimal(m).scaleb(exponent), "f")))
    other = round(mantissa + (0.1 if mantissa < 9 else -0.1), 2)
    near = [("mantissa only", m), ("exponent off by one", f"{m} \\times 10^{{{exponent + 1}}}"),
            ("mantissa off by one digit", f"{other:g} \\times 10^{{{exponent}}}")]
    near_plain = [("mantissa only", m), ("exponent off by one", f"{m} x 10^{exponent + 1}"),
                  ("mantissa off by one digit", f"{other:g}e{exponent}")]
    return (_cases(rng, gold, 1, right_latex, right_plain) + _cases(rng, gold, 0, near, near_plain)
            + _cases(rng, m, 0, [("m \\times 10^{e} against the mantissa", right_latex[0][1])],
                     [("'m x 10^e' against the mantissa", right_plain[0][1])]))


def constant_expression(rng: random.Random) -> list[dict]:
    """Golds with pi, square roots and e: π/3, 2√3, √2/2, e^3."""
    a, b = rng.randint(2, 9), rng.choice([2, 3, 5, 6, 7, 10, 11])
    kind = rng.randrange(4)
    if kind == 0:
        gold, latex, plain = f"\\frac{{\\pi}}{{{a}}}", [("\\frac{\\pi}{a}", f"\\frac{{\\pi}}{{{a}}}")], \
            [("'pi/a'", f"pi/{a}"), ("Unicode 'π/a'", f"π/{a}")]
        near = [("π alone", "\\pi"), ("π times a", f"{a}\\pi")]
        near_plain = [("π alone", "π"), ("a alone", str(a))]
    elif kind == 1:
        gold, latex, plain = f"{a}\\sqrt{{{b}}}", [("a\\sqrt{b}", f"{a}\\sqrt{{{b}}}"), ("\\sqrt{a^2 b}", f"\\sqrt{{{a * a * b}}}")], \
            [("'a sqrt(b)'", f"{a} sqrt({b})"), ("Unicode 'a√b'", f"{a}√{b}")]
        near = [("the root alone", f"\\sqrt{{{b}}}"), ("the coefficient alone", str(a))]
        near_plain = [("Unicode root alone", f"√{b}"), ("the coefficient alone", str(a))]
    elif kind == 2:
        gold, latex, plain = f"\\frac{{\\sqrt{{{b}}}}}{{{a}}}", [("\\frac{\\sqrt{b}}{a}", f"\\frac{{\\sqrt{{{b}}}}}{{{a}}}")], \
            [("'sqrt(b)/a'", f"sqrt({b})/{a}"), ("Unicode '√b/a'", f"√{b}/{a}")]
        near = [("numerator only", f"\\sqrt{{{b}}}"), ("a\\sqrt{b}", f"{a}\\sqrt{{{b}}}")]
        near_plain = [("Unicode numerator only", f"√{b}"), ("'b/a'", f"{b}/{a}")]
    else:
        gold, latex, plain = f"e^{{{a}}}", [("e^{a}", f"e^{{{a}}}"), ("e^a", f"e^{a}")], [("'e^a'", f"e^{a}")]
        near = [("exponent off by one", f"e^{{{a + 1}}}"), ("the exponent alone", str(a))]
        near_plain = [("'e^(a+1)'", f"e^{a + 1}"), ("the exponent alone", str(a))]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


def interval(rng: random.Random) -> list[dict]:
    a = rng.randint(-9, 5)
    b = a + rng.randint(1, 9)
    left, right = rng.choice("[("), rng.choice("])")
    if rng.random() < 0.3:  # a ray
        gold = f"{left}{a}, \\infty)"
        latex = [("\\infty", gold), ("\\left \\right", f"\\left{left}{a}, \\infty\\right)")]
        plain = [("Unicode ∞", _unicode_minus(f"{left}{a}, ∞)")), ("'inf'", f"{left}{a}, inf)")]
        near = [("other bracket", f"{'(' if left == '[' else '['}{a}, \\infty)"), ("endpoint off by one", f"{left}{a + 1}, \\infty)")]
    else:
        gold = f"{left}{a}, {b}{right}"
        latex = [("interval", gold), ("\\left \\right", f"\\left{left}{a}, {b}\\right{right}")]
        plain = [("interval", gold), ("Unicode minus", _unicode_minus(gold))]
        near = [("other right bracket", f"{left}{a}, {b}{')' if right == ']' else ']'}"),
                ("endpoint off by one", f"{left}{a}, {b + 1}{right}")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near)


def inequality(rng: random.Random) -> list[dict]:
    a = rng.randint(-9, 9)
    op_latex, op_plain, op_unicode, other = rng.choice([("\\le", "<=", "≤", "<"), ("\\ge", ">=", "≥", ">")])
    gold = f"x {op_latex} {a}"
    latex = [("\\le/\\ge", gold), ("\\leq/\\geq", f"x {op_latex}q {a}")]
    plain = [("Unicode ≤/≥", f"x {op_unicode} {_unicode_minus(str(a))}"), ("'<='/'>='", f"x {op_plain} {a}")]
    near = [("strict instead", f"x {other} {a}"), ("bound off by one", f"x {op_latex} {a + 1}")]
    near_plain = [("strict instead", f"x {other} {a}"), ("Unicode, bound off by one", f"x {op_unicode} {a + 1}")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


def _distinct(rng: random.Random, k: int) -> list[int]:
    return rng.sample(range(-20, 40), k)


def unordered_list(rng: random.Random) -> list[dict]:
    """All solutions of an equation: order does not matter, every element does."""
    values = _distinct(rng, rng.randint(2, 4))
    gold = ", ".join(map(str, values))
    shuffled = rng.sample(values, len(values))
    as_text = ", ".join(map(str, shuffled))
    latex = [("a, b", as_text), ("\\{a, b\\}", f"\\{{{as_text}\\}}")]
    plain = [("'a, b'", as_text), ("'a and b'", ", ".join(map(str, shuffled[:-1])) + f" and {shuffled[-1]}")]
    if len(values) > 2:  # [a, b] of two numbers is an interval
        plain.append(("'[a, b, c]'", f"[{as_text}]"))
    missing = ", ".join(map(str, values[:-1]))
    off = ", ".join(map(str, values[:-1] + [values[-1] + 1]))
    near = [("one element missing", missing), ("one element off by one", off)]
    extra_gold = ", ".join(map(str, values[:-1]))  # an answer with an element too many
    return (_cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near)
            + _cases(rng, extra_gold, 0, [("one element too many", as_text)], [("one element too many", as_text)]))


def ordered_tuple(rng: random.Random) -> list[dict]:
    values = _distinct(rng, rng.randint(2, 3))
    if values[0] < values[1]:  # (a, b) with a < b also reads as an open interval
        values[0], values[1] = values[1], values[0]
    gold = "(" + ", ".join(map(str, values)) + ")"
    latex = [("(a, b)", gold), ("\\left( \\right)", "\\left(" + ", ".join(map(str, values)) + "\\right)")]
    plain = [("'(a, b)'", gold), ("Unicode minus", _unicode_minus(gold))]
    near = [("one element missing", "(" + ", ".join(map(str, values[:-1])) + ")"),
            ("elements swapped", "(" + ", ".join(map(str, [values[1], values[0]] + values[2:])) + ")"),
            ("one element off by one", "(" + ", ".join(map(str, values[:-1] + [values[-1] + 1])) + ")")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near)


def matrix(rng: random.Random) -> list[dict]:
    a, b, c, d = (rng.randint(-9, 9) for _ in range(4))
    gold = f"\\begin{{pmatrix}} {a} & {b} \\\\ {c} & {d} \\end{{pmatrix}}"
    latex = [("pmatrix", gold), ("bmatrix", gold.replace("pmatrix", "bmatrix"))]
    near = [("one entry off by one", gold.replace(f"& {d} ", f"& {d + 1} ")),
            ("transposed", f"\\begin{{pmatrix}} {a} & {c} \\\\ {b} & {d} \\end{{pmatrix}}")]
    near = [(form, text) for form, text in near if text != gold]
    plain = [("'[[a, b], [c, d]]'", f"[[{a}, {b}], [{c}, {d}]]")]
    near_plain = [("'[[a, b], [c, d]]' one entry off by one", f"[[{a}, {b}], [{c}, {d + 1}]]"),
                  ("'[[a, b]]' one row missing", f"[[{a}, {b}]]")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


def vector(rng: random.Random) -> list[dict]:
    """A vector gold, as MATH writes it (a column pmatrix): the same components as a column
    matrix, or as a tuple in parentheses or angle brackets, are right; components swapped, one
    off by one or one missing are wrong."""
    values = [str(v) for v in _distinct(rng, rng.randint(2, 3))]
    if rng.random() < 0.3:
        values[0] = f"\\frac{{{rng.randint(1, 9)}}}{{{rng.randint(10, 19)}}}"
    column = " \\\\ ".join(values)
    gold = f"\\begin{{pmatrix}} {column} \\end{{pmatrix}}"
    as_tuple = ", ".join(values)
    latex = [("pmatrix", gold), ("bmatrix", gold.replace("pmatrix", "bmatrix")), ("tuple", f"({as_tuple})"),
             ("\\left( \\right) tuple", f"\\left({as_tuple}\\right)"), ("\\langle \\rangle", f"\\langle {as_tuple} \\rangle")]
    plain = [("tuple", f"({as_tuple})")] if "\\" not in as_tuple else []
    swapped = [values[1], values[0]] + values[2:]
    off = values[:-1] + [str(int(values[-1]) + 1)]
    swapped_column = " \\\\ ".join(swapped)
    near = [("components swapped, tuple", f"({', '.join(swapped)})"),
            ("components swapped, pmatrix", f"\\begin{{pmatrix}} {swapped_column} \\end{{pmatrix}}"),
            ("one component off by one, tuple", f"({', '.join(off)})"),
            ("one component off by one, \\langle \\rangle", f"\\langle {', '.join(off)} \\rangle"),
            ("one component missing, tuple", f"({', '.join(values[:-1])})" if len(values) > 2 else f"({values[0]})")]
    near_plain = [form for form in near if "\\" not in form[1]]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


def complex_number(rng: random.Random) -> list[dict]:
    if rng.random() < 0.3:  # a power of i
        k = rng.randint(2, 7)
        value = [1, "i", -1, "-i"][k % 4]
        gold = str(value)
        latex = [("i^k", f"i^{{{k}}}"), ("value", gold)]
        plain = [("'i^k'", f"i^{k}"), ("value", _unicode_minus(gold))]
        near = [("i^(k+1)", f"i^{{{k + 1}}}"), ("sign flipped", gold[1:] if gold.startswith("-") else f"-{gold}")]
        return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near)
    re_part, im_part = rng.randint(-9, 9) or 1, rng.randint(1, 9) * rng.choice([1, -1])
    sign = "+" if im_part > 0 else "-"
    im = "" if abs(im_part) == 1 else str(abs(im_part))
    gold = f"{re_part} {sign} {im}i"
    coef = {1: "", -1: "-"}.get(im_part, str(im_part))
    forms = [("a+bi", f"{re_part}{sign}{im}i"), ("bi+a", f"{coef}i {'+' if re_part > 0 else '-'} {abs(re_part)}"),
             ("a+ib", f"{re_part} {sign} i{im}")]
    latex = forms
    plain = forms[:2] + [("Unicode minus", _unicode_minus(forms[0][1]))]
    flipped = "-" if sign == "+" else "+"
    near = [("conjugate", f"{re_part} {flipped} {im}i"), ("real part only", str(re_part)),
            ("parts swapped", f"{abs(im_part) * (1 if im_part > 0 else -1)} {'+' if re_part > 0 else '-'} {abs(re_part) if abs(re_part) != 1 else ''}i")]
    near = [(form, text) for form, text in near if text.replace(" ", "") != gold.replace(" ", "")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near)


_UNITS = (("cm", 2), ("m", 3), ("m/s", 2), ("km", 2), ("m/s", 1), ("kg m/s", 2))


def units(rng: random.Random) -> list[dict]:
    unit, power = rng.choice(_UNITS)
    value = rng.choice([str(rng.randint(2, 500)), f"{rng.randint(11, 999) / 10:g}"])
    gold = value
    sup = "" if power == 1 else f"^{power}"
    sup_braced = "" if power == 1 else f"^{{{power}}}"
    unicode_sup = "" if power == 1 else str(power).translate(_SUPERSCRIPT)
    latex = [("\\text{unit}^n", f"{value} \\text{{ {unit}}}{sup_braced}"),
             ("\\mathrm{unit}^{n}", f"{value}\\,\\mathrm{{{unit}}}{sup_braced}"),
             ("bare unit^n", f"{value} {unit}{sup}")]
    plain = [("'unit^n'", f"{value} {unit}{sup}"), ("Unicode 'unitⁿ'", f"{value} {unit}{unicode_sup}"),
             ("'$unit^n$'", f"{value} ${unit}{sup}$")]
    other = _off_by_one_digit(rng, int(value.replace(".", ""))) if "." not in value else float(value) + 0.1
    other_text = f"{other:g}" if isinstance(other, float) else str(other)
    if "." in value and isinstance(other, int):
        other_text = str(other)
    near = [("other value, same unit", f"{other_text} {unit}{sup}"),
            ("a variable's power, not a unit", f"{value} x{sup or '^2'}")]
    out = _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near)
    if power != 1 and value != str(power):  # the unit's exponent is no answer
        out += _cases(rng, str(power), 0, [("against the unit's exponent", latex[2][1])],
                      [("against the unit's exponent", plain[0][1])])
    return out


def percent(rng: random.Random) -> list[dict]:
    """A percentage: the gold as the number of percent, or as the fraction it is."""
    tenths = rng.randint(11, 999)
    number = f"{tenths / 10:g}"
    gold = rng.choice([number, f"{number}\\%", format(Decimal(number).scaleb(-2), "f")])
    latex = [("n\\%", f"{number}\\%")]
    plain = [("'n%'", f"{number}%"), ("'n percent'", f"{number} percent")]
    other = f"{(tenths + 1) / 10:g}"
    near = [("last digit off", f"{other}\\%"), ("a hundredth of it", f"{format(Decimal(number).scaleb(-2), 'f')}\\%")]
    near_plain = [("last digit off", f"{other}%"), ("a hundredth of it", f"{format(Decimal(number).scaleb(-2), 'f')}%")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


def revised_answer(rng: random.Random) -> list[dict]:
    """A reply that states one answer, then corrects it: the last statement counts."""
    right = _proper_fraction(rng)
    wrong = right + rng.randint(1, 3)
    gold = f"\\frac{{{right.numerator}}}{{{right.denominator}}}"
    out = []
    for first, last, expected in ((wrong, right, 1), (right, wrong, 0)):
        for form, template in (("plain", "The answer is {x}. Wait, I made an error; the answer is {y}."),
                               ("boxed then plain", "So $\\boxed{{{x}}}$. Hmm, that is off: the final answer is {y}."),
                               ("plain then boxed", "The answer is {x}? No: rechecking gives $\\boxed{{{y}}}$.")):
            text = template.format(x=f"{first.numerator}/{first.denominator}", y=f"{last.numerator}/{last.denominator}")
            out.append({"gold": gold, "completion": _wrap(rng, text), "expected": expected,
                        "form": f"{form}, {'corrected to the right answer' if expected else 'corrected to a wrong one'}"})
    return out


def _labelled(rng: random.Random, letter: str, value: str) -> tuple[str, str]:
    """A choice letter before its value, as AMC solutions and models write it."""
    return rng.choice([("\\textbf{(L)}\\ v", f"\\textbf{{({letter})}}\\ {value}"),
                       ("\\textbf{(L) }v", f"\\textbf{{({letter}) }}{value}"),
                       ("\\text{(L)} v", f"\\text{{({letter})}} {value}"),
                       ("(L) v", f"({letter}) {value}"),
                       ("(L)~v", f"({letter})~{value}")])


def answer_choice(rng: random.Random) -> list[dict]:
    """AMC-style answers: a choice letter and its value. The value alone, the letter alone
    (where the gold has one) or both are right; a letter and a value that disagree with the gold
    are wrong, whichever side carries the letter."""
    value = rng.choice([str(rng.randint(2, 999)), f"\\frac{{{rng.randint(1, 9)}}}{{{rng.randint(10, 19)}}}"])
    other_value = str(rng.randint(1000, 1999))
    letter, other = rng.sample("ABCDE", 2)
    form, labelled = _labelled(rng, letter, value)
    _, other_letter_same_value = _labelled(rng, other, value)
    _, same_letter_other_value = _labelled(rng, letter, other_value)
    value_only = [("the value", value)]
    cases = []
    # the gold a value, the reply a letter and the value
    cases += _cases(rng, value, 1, [(f"{form} against the value", labelled)])
    cases += _cases(rng, value, 0, [("another value after a letter", same_letter_other_value)])
    # the gold a letter and its value
    gold = labelled
    cases += _cases(rng, gold, 1, value_only + [("the letter and the value", labelled),
                                                ("the letter alone", f"({letter})"),
                                                ("the letter alone, bold", f"\\textbf{{({letter})}}"),
                                                ("the bare letter", letter)])
    cases += _cases(rng, gold, 0, [("another letter, the same value", other_letter_same_value),
                                   ("the letter, another value", same_letter_other_value),
                                   ("another letter alone", f"({other})"), ("another bare letter", other),
                                   ("another value", other_value)])
    cases += _cases(rng, value, 0, [("a letter alone against a value", f"({letter})")])
    return cases


# ---------------------------------------------------------------- answer kinds of MATH / PRM800K

def angle_degrees(rng: random.Random) -> list[dict]:
    """An angle in degrees: the gold's number with or without the degree sign (MATH writes
    ``90^\\circ``), the reply with ``^\\circ``, ``°`` or the word; another angle is wrong, and so
    is the same number in radians (90 radians is not 90°)."""
    n = rng.randint(1, 359)
    gold = rng.choice([str(n), f"{n}^\\circ", f"{n}^{{\\circ}}"])
    other = n + rng.choice([-10, -1, 1, 5, 10]) if n > 10 else n + 1
    latex = [("n^\\circ", f"{n}^\\circ"), ("n^{\\circ}", f"{n}^{{\\circ}}"), ("n\\degree", f"{n}\\degree"),
             ("n\\text{ degrees}", f"{n}\\text{{ degrees}}"), ("bare n", str(n))]
    plain = [("'n°'", f"{n}°"), ("'n degrees'", f"{n} degrees"), ("bare n", str(n))]
    near = [("another angle ^\\circ", f"{other}^\\circ"), ("another angle bare", str(other))]
    near_plain = [("another angle 'n°'", f"{other}°"), ("another angle 'n degrees'", f"{other} degrees")]
    if gold != str(n):  # a bare gold does not say degrees: 2 rad against a gold of 2 may be right
        near += [("n\\text{ radians}", f"{n}\\text{{ radians}}"), ("n\\text{ rad}", f"{n}\\text{{ rad}}")]
        near_plain += [("'n radians'", f"{n} radians"), ("'n rad'", f"{n} rad")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


def money(rng: random.Random) -> list[dict]:
    """An amount of money: whole dollars or dollars and cents, with or without the sign."""
    cents = rng.choice([rng.randint(1, 999) * 100, rng.randint(101, 99999)])
    amount = f"{cents // 100}" if cents % 100 == 0 else f"{cents / 100:.2f}"
    gold = rng.choice([amount, f"\\${amount}"])
    latex = [("\\$n", f"\\${amount}"), ("\\$n.cc", f"\\${cents / 100:.2f}"), ("bare n", amount)]
    plain = [("'n dollars'", f"{amount} dollars"), ("'$n.cc'", f"${cents / 100:.2f}")]
    if cents >= 100_000:
        dollars, point, change = amount.partition(".")
        latex.append(("\\$ with '{,}' thousands", f"\\${_grouped(int(dollars), '{,}')}{point}{change}"))
        plain.append(("'$n' with ',' thousands", f"${cents / 100:,.2f}"))
    a_cent_off = f"{(cents + 1) / 100:.2f}"
    a_dollar_off = f"{(cents + 100) / 100:.2f}"
    near = [("a cent off", f"\\${a_cent_off}"), ("a dollar off", f"\\${a_dollar_off}"),
            ("cents read as dollars", f"\\${cents}")]
    near_plain = [("a cent off", f"{a_cent_off} dollars"), ("a dollar off", f"${a_dollar_off}")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


def _grouped(n: int, separator: str) -> str:
    return f"{n:,}".replace(",", separator)


def thousands(rng: random.Random) -> list[dict]:
    """A large integer with its digits grouped in threes: ``1,000,000``, ``1{,}000{,}000``,
    MATH's ``10,\\!080``, ``1\\,000\\,000``, ``1 000 000``."""
    n = rng.randint(1000, 99_999_999)
    gold = rng.choice([str(n), _grouped(n, "{,}"), _grouped(n, ",\\!")])
    latex = [("','", _grouped(n, ",")), ("'{,}'", _grouped(n, "{,}")), ("',\\!'", _grouped(n, ",\\!")),
             ("'\\,'", _grouped(n, "\\,")), ("ungrouped", str(n))]
    plain = [("','", _grouped(n, ",")), ("' '", _grouped(n, " ")), ("ungrouped", str(n))]
    wrong = _off_by_one_digit(rng, n)
    near = [("one digit off, '{,}'", _grouped(wrong, "{,}")), ("one digit off, ','", _grouped(wrong, ",")),
            ("the last group missing", _grouped(n // 1000, ","))]
    near_plain = [("one digit off, ','", _grouped(wrong, ",")), ("one digit off, ' '", _grouped(wrong, " ")),
                  ("the last group missing", _grouped(n // 1000, ","))]
    # the groups read apart, as a parser that takes the gaps for products or sums would: the
    # grouped number against a gold of that product or sum is wrong
    groups = [int(g) for g in _grouped(n, ",").split(",")]
    apart = [str(sum(groups)), str(math.prod(groups))]
    misread = [("' ' against the groups' sum or product", _grouped(n, " ")),
               ("'\\,' against the groups' sum or product", _grouped(n, "\\,"))]
    return (_cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)
            + _cases(rng, rng.choice(apart), 0, misread[1:], misread[:1]))


def _polynomial(terms: list[tuple[int, int]]) -> str:
    """``terms`` of (coefficient, power of x) written in that order: [(1, 2), (-3, 1), (2, 0)] is x^2 - 3x + 2."""
    out = ""
    for coefficient, power in terms:
        if coefficient == 0:
            continue
        sign = "-" if coefficient < 0 else ("+" if out else "")
        size = abs(coefficient)
        body = str(size) if power == 0 else ("" if size == 1 else str(size)) + ("x" if power == 1 else f"x^{power}")
        out += f" {sign} {body}" if out else f"{sign}{body}"
    return out


def polynomial(rng: random.Random) -> list[dict]:
    """A quadratic with integer roots: reordered terms, braced exponents and the factored form
    are the same polynomial; a flipped sign or an off coefficient is another."""
    while True:
        r, s = rng.sample([k for k in range(-9, 10) if k], 2)
        if r + s:
            break
    b, c = -(r + s), r * s
    gold = _polynomial([(1, 2), (b, 1), (c, 0)])
    latex = [("reordered terms", _polynomial([(b, 1), (1, 2), (c, 0)])),
             ("constant first", _polynomial([(c, 0), (b, 1), (1, 2)])),
             ("x^{2}", gold.replace("x^2", "x^{2}")),
             ("factored", f"(x {'-' if r > 0 else '+'} {abs(r)})(x {'-' if s > 0 else '+'} {abs(s)})")]
    plain = [("as written", gold), ("Unicode x²", gold.replace("x^2", "x²")), ("'b*x'", gold.replace(f"{abs(b)}x", f"{abs(b)}*x") if abs(b) > 1 else gold.replace("x^2", "x*x")),
             ("reordered terms", _polynomial([(b, 1), (1, 2), (c, 0)]))]
    near = [("constant's sign flipped", _polynomial([(1, 2), (b, 1), (-c, 0)])),
            ("linear coefficient off by one", _polynomial([(1, 2), (b + 1, 1), (c, 0)])),
            ("constant missing", _polynomial([(1, 2), (b, 1)])),
            ("x^3 for x^2", _polynomial([(1, 3), (b, 1), (c, 0)]))]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near)


def line_equation(rng: random.Random) -> list[dict]:
    """The equation of a line ``y = mx + k``: terms reordered, or its right side alone."""
    m, k = rng.choice([k for k in range(-9, 10) if k]), rng.choice([k for k in range(-9, 10) if k])
    right = _polynomial([(m, 1), (k, 0)])
    gold = rng.choice([f"y = {right}", right])
    reordered = _polynomial([(k, 0), (m, 1)])
    latex = [("y = mx + k", f"y = {right}"), ("y=k+mx", f"y={reordered.replace(' ', '')}"), ("mx + k", right)]
    plain = [("'y = mx + k'", f"y = {right}"), ("'y = k + mx'", f"y = {reordered}")]
    near = [("another slope", f"y = {_polynomial([(m + 1 if m != -1 else 2, 1), (k, 0)])}"),
            ("another intercept", f"y = {_polynomial([(m, 1), (k + 1 if k != -1 else 1, 0)])}"),
            ("intercept's sign flipped", f"y = {_polynomial([(m, 1), (-k, 0)])}")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near)


def _squarefree(rng: random.Random) -> int:
    return rng.choice([2, 3, 5, 6, 7, 10, 11, 13, 14, 15])


def radical(rng: random.Random) -> list[dict]:
    """``a\\sqrt{b}/c``: the coefficient inside or beside the fraction, the root unsimplified,
    the denominator not rationalized; another root or a swapped fraction is wrong."""
    b = _squarefree(rng)
    while True:
        a, c = rng.randint(1, 9), rng.randint(2, 9)
        if math.gcd(a, c) == 1:
            break
    coef = "" if a == 1 else str(a)
    gold = f"\\frac{{{coef}\\sqrt{{{b}}}}}{{{c}}}"
    latex = [("\\frac{a\\sqrt{b}}{c}", gold), ("\\frac{a}{c}\\sqrt{b}", f"\\frac{{{a}}}{{{c}}}\\sqrt{{{b}}}"),
             ("a\\sqrt{b}/c", f"{coef}\\sqrt{{{b}}}/{c}"), ("\\frac{\\sqrt{a^2 b}}{c}", f"\\frac{{\\sqrt{{{a * a * b}}}}}{{{c}}}"),
             ("denominator not rationalized", f"\\frac{{{a * b}}}{{{c}\\sqrt{{{b}}}}}")]
    if b < 10:
        latex.append(("\\sqrt b unbraced", f"\\frac{{{coef}\\sqrt{b}}}{{{c}}}"))
    plain = [("'a√b/c'", f"{coef}√{b}/{c}"), ("'a sqrt(b)/c'", f"{coef + ' ' if coef else ''}sqrt({b})/{c}")]
    other_b = b + 1 if b + 1 not in (4, 9, 16) else b + 2
    near = [("another root", f"\\frac{{{coef}\\sqrt{{{other_b}}}}}{{{c}}}"),
            ("root and denominator swapped", f"\\frac{{{coef}\\sqrt{{{c}}}}}{{{b}}}"),
            ("denominator missing", f"{coef}\\sqrt{{{b}}}")]
    near_plain = [("another root", f"{coef}√{other_b}/{c}"), ("denominator missing", f"{coef}√{b}")]
    if b != c:
        near_plain.append(("root and denominator swapped", f"{coef}√{c}/{b}"))
    else:
        near = near[:1] + near[2:]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


def power(rng: random.Random) -> list[dict]:
    """An integer power ``b^{k}`` against its value, either way round."""
    base, k = rng.randint(2, 9), rng.randint(5, 12)
    value = base ** k
    gold = rng.choice([f"{base}^{{{k}}}", str(value)])
    latex = [("b^{k}", f"{base}^{{{k}}}"), ("value", str(value)), ("value with '{,}'", _grouped(value, "{,}"))]
    plain = [("'b^k'", f"{base}^{k}"), ("Unicode bᵏ", f"{base}{str(k).translate(_SUPERSCRIPT)}"), ("value", str(value))]
    near = [("exponent off by one", f"{base}^{{{k - 1}}}"), ("one less", f"{base}^{{{k}}} - 1"),
            ("base times exponent", str(base * k)), ("exponent and base swapped", f"{k}^{{{base}}}")]
    near = [(form, text) for form, text in near if not (form.startswith("exponent and") and k ** base == value)]
    near_plain = [("exponent off by one", f"{base}^{k + 1}"), ("value one digit off", str(_off_by_one_digit(rng, value)))]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


_WORDS = (("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
          ("red", "blue", "green", "yellow"), ("Alice", "Bob", "Carol", "David"), ("odd", "even"))


def text_answer(rng: random.Random) -> list[dict]:
    """A word as the answer (a weekday, a colour, a name, odd or even), which MATH writes in
    ``\\text{}``; another word of its kind is wrong."""
    word, other = rng.sample(rng.choice(_WORDS), 2)
    gold = rng.choice([f"\\text{{{word}}}", word])
    latex = [("\\text{w}", f"\\text{{{word}}}"), ("\\text{ w} lower case", f"\\text{{ {word.lower()}}}"), ("\\textbf{w}", f"\\textbf{{{word}}}"), ("\\mathrm{w}", f"\\mathrm{{{word}}}")]
    plain = [("bare word", word), ("bold word", f"**{word}**")]
    near = [("another word", f"\\text{{{other}}}")]
    near_plain = [("another word", other), ("hedged between two words", f"{word} or {other}")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


def negative_fraction(rng: random.Random) -> list[dict]:
    """A negative fraction with the minus sign before it, on the numerator or on the denominator."""
    f = -_proper_fraction(rng)
    p, q = abs(f.numerator), f.denominator
    gold = rng.choice([f"-\\frac{{{p}}}{{{q}}}", f"\\frac{{-{p}}}{{{q}}}", f"-{p}/{q}"])
    latex = [("-\\frac{p}{q}", f"-\\frac{{{p}}}{{{q}}}"), ("\\frac{-p}{q}", f"\\frac{{-{p}}}{{{q}}}"),
             ("\\frac{p}{-q}", f"\\frac{{{p}}}{{-{q}}}"), ("-\\dfrac{p}{q}", f"-\\dfrac{{{p}}}{{{q}}}"), ("-p/q", f"-{p}/{q}")]
    if p < 10 and q < 10:
        latex.append(("-\\frac pq unbraced", f"-\\frac{p}{q}"))
    plain = [("'-p/q'", f"-{p}/{q}"), ("'-p/q' with U+2212 minus", _unicode_minus(f"-{p}/{q}")), ("'(-p)/q'", f"(-{p})/{q}")]
    if 10 ** 6 % q == 0:
        latex.append(("decimal", str(float(f))))
        plain.append(("decimal", str(float(f))))
    near = [("sign lost", f"\\frac{{{p}}}{{{q}}}"), ("reciprocal", f"-\\frac{{{q}}}{{{p}}}"),
            ("denominator off by one", f"-\\frac{{{p}}}{{{q + 1}}}")]
    near_plain = [("sign lost", f"{p}/{q}"), ("reciprocal", f"-{q}/{p}"), ("numerator alone", f"-{p}")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


# (unit, the same kind of unit): each pair differs by a factor, so the number with the other unit is
# another quantity; each unit as LaTeX and as plain text
_UNIT_PAIRS = (((r"\text{ cm}", " cm"), (r"\text{ mm}", " mm")), ((r"\text{ m}", " m"), (r"\text{ cm}", " cm")),
               ((r"\text{ km}", " km"), (r"\text{ m}", " m")),
               ((r"\text{ seconds}", " seconds"), (r"\text{ minutes}", " minutes")),
               ((r"\text{ minutes}", " minutes"), (r"\text{ hours}", " hours")),
               ((r"\text{ hours}", " hours"), (r"\text{ days}", " days")), ((r"\text{ kg}", " kg"), (r"\text{ g}", " g")),
               ((r"\text{ feet}", " feet"), (r"\text{ inches}", " inches")),
               ((r"\text{ liters}", " liters"), (r"\text{ milliliters}", " milliliters")),
               ((r"\text{ cents}", " cents"), ("dollars", "dollars")), ((r"^\circ\text{C}", "°C"), (r"^\circ\text{F}", "°F")))


def _with_unit(value: str, unit: tuple[str, str]) -> tuple[str, str]:
    """``value`` with ``unit`` as (LaTeX, plain text); dollars take the sign before the amount."""
    latex, text = unit
    if latex == "dollars":
        return f"\\${value}", f"${value}"
    return f"{value}{latex}", f"{value}{text}"


def unit_of_gold(rng: random.Random) -> list[dict]:
    """A gold that carries its unit (``12\\text{ cm}``, ``\\$50``, ``90\\text{ seconds}``,
    ``37^\\circ\\text{C}``): the number with that unit, or bare, is right; the same number with
    another unit of the same kind (12 mm, 50 cents, 90 minutes, 37°F) is another quantity."""
    unit, other = rng.sample(rng.choice(_UNIT_PAIRS), 2)
    value = rng.choice([str(rng.randint(2, 500)), f"{rng.randint(11, 999) / 10:g}"])
    gold, right_plain = _with_unit(value, unit)
    wrong_latex, wrong_plain = _with_unit(value, other)
    latex = [("the gold's unit", gold), ("bare number", value)]
    plain = [("the gold's unit", right_plain), ("bare number", value)]
    return (_cases(rng, gold, 1, latex, plain)
            + _cases(rng, gold, 0, [("another unit of the same kind", wrong_latex)],
                     [("another unit of the same kind", wrong_plain)]))


def spoken_operation(rng: random.Random) -> list[dict]:
    """A number with a word that operates on it, as replies read answers aloud: "12 squared" is
    144, "5 factorial" 120, "7 halves" 7/2, "0.3 repeating" 1/3. Each is right against the value
    it names and wrong against the bare number; a counting noun ("12 ways") changes nothing."""
    n = rng.randint(3, 12)
    d = rng.randint(1, 8)
    named = [("'n squared'", f"{n} squared", str(n * n)), ("'n cubed'", f"{n} cubed", str(n ** 3)),
             ("'n factorial'", f"{n} factorial", str(math.factorial(n))),
             ("'n to the fourth power'", f"{n} to the fourth power", str(n ** 4)),
             ("'n halves'", f"{n} halves", f"\\frac{{{n}}}{{2}}" if n % 2 else str(n // 2))]
    form, reply, value = rng.choice(named)
    noun = rng.choice(["ways", "people", "apples", "days"])
    repeating = (f"0.{d}", f"\\frac{{{d}}}{{9}}")
    return (_cases(rng, str(n), 1, [], [("counting noun", f"{n} {noun}")])
            + _cases(rng, str(n), 0, [], [(f"{form} against the bare number", reply)])
            + _cases(rng, value, 1, [], [(f"{form} against its value", reply)])
            + _cases(rng, repeating[0], 0, [("'0.\\overline{d}' against 0.d", f"0.\\overline{{{d}}}")],
                     [("'0.d repeating' against 0.d", f"0.{d} repeating")])
            + _cases(rng, repeating[1], 1, [("'0.\\overline{d}' against d/9", f"0.\\overline{{{d}}}")],
                     [("'0.d repeating' against d/9", f"0.{d} repeating")]))


# Names spelled with the same letters as another name
_ANAGRAMS = (("Amy", "May"), ("Leon", "Noel"), ("Mary", "Myra"), ("Dean", "Edna"), ("Lena", "Neal"), ("Nora", "Aron"))


def anagram_name(rng: random.Random) -> list[dict]:
    """A name as the answer ("who wins?"), bare or in ``\\text{}``: the name in any case is
    right; another name spelled with the same letters (Amy, May) is another person."""
    word, other = rng.sample(rng.choice(_ANAGRAMS), 2)
    gold = rng.choice([word, f"\\text{{{word}}}"])
    latex = [("\\text{w}", f"\\text{{{word}}}"), ("bare w", word)]
    plain = [("bare w", word), ("lower case", word.lower()), ("bold w", f"**{word}**")]
    near = [("\\text{anagram}", f"\\text{{{other}}}"), ("bare anagram", other)]
    near_plain = [("bare anagram", other), ("anagram, lower case", other.lower())]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, near_plain)


# After a boxed answer, a sentence about the answer that names another, rejected value; {r} the
# boxed answer, {w} the rejected value
_AFTER_BOX = (("'in the box above' then a rejected root",
               "The answer is in the box above; the other root, {w}, is extraneous."),
              ("'shown above' then a rejected root", "The answer is shown above. The rejected root $x = {w}$ fails the check."),
              ("'the only one that works' then a rejected value",
               "This answer is the only one that works: {w} makes the denominator zero."),
              ("'the answer is r, not w'", "The answer is ${r}$, not ${w}$."))


def answer_after_box(rng: random.Random) -> list[dict]:
    """A boxed answer followed by a sentence that points back to it ("the answer is in the box
    above") and names a value it rejected: the boxed value is the answer, the rejected one is not."""
    r, w = rng.sample(range(-30, 60), 2)
    out = []
    for form, sentence in _AFTER_BOX:
        text = f"The candidates are $x = {r}$ and $x = {w}$. So $\\boxed{{{r}}}$.\n\n" + sentence.format(r=r, w=w)
        for gold, expected, whom in ((str(r), 1, "the boxed value"), (str(w), 0, "the rejected value")):
            out.append({"gold": gold, "completion": _wrap(rng, text), "expected": expected,
                        "form": f"{form}, against {whom}, boxed"})
    return out


# A remark in words after the answer, naming another number; {v} the answer, {e} = {w} the other
# number. Each form name ends in its context, as forms_dapo selects the answer-line ones.
_REMARKS_PLAIN = (("a reason in parentheses", "{v} (since {e} = {w})"), ("'because' in parentheses", "{v} (because {e} = {w})"),
                  ("'i.e.' in parentheses", "{v} (i.e. {w} + {d})"), ("'not w' in parentheses", "{v} (not {w})"),
                  ("a remark after a dash", "{v} \u2014 the other root, {w}, is extraneous"),
                  ("a reason after a comma", "{v}, since {e} = {w}"), ("a reason", "{v} since {e} = {w}"))
_REMARKS_LATEX = (("a reason in parentheses", "${v}$ (since ${e} = {w}$)"), ("a reason", "${v}$ since ${e} = {w}$"),
                  ("'not w' in parentheses", "\\({v}\\) (not \\({w}\\))"),
                  ("a count and a remark", "${v}$ ways (vs. {w} with repetition)"))
_REMARK_STATEMENTS = (("after 'Answer:'", "Answer: {a}"), ("after a bold 'Answer:'", "**Answer:** {a}"),
                      ("after 'the answer is'", "So the answer is {a}."), ("after 'the final answer is'", "The final answer is {a}"),
                      ("in a final 'the result is' sentence", "Therefore, the result is {a}."))


def remark_after_answer(rng: random.Random) -> list[dict]:
    """An answer statement that goes on with a remark in words ("Answer: 6 (since 2 + 3 = 5)",
    "the answer is $6$ since $2+3=5$"): the value before the remark is the answer; the number
    the remark names is not."""
    v, w = rng.sample(range(2, 200), 2)
    d = rng.randint(1, 9)
    e = f"{w - d} + {d}"
    out = []
    for kind, remarks in (("plain", _REMARKS_PLAIN), ("latex", _REMARKS_LATEX)):
        for remark, text in remarks:
            answer = text.format(v=v, w=w, e=e, d=d)
            for where, template in _REMARK_STATEMENTS:
                if where.startswith("in a final") and kind == "latex":
                    continue
                completion = _wrap(rng, template.format(a=answer))
                for gold, expected, whom in ((str(v), 1, "the value"), (str(w), 0, "the remark's number")):
                    out.append({"gold": gold, "completion": completion, "expected": expected,
                                "form": f"{kind} {remark} against {whom}, {where}"})
    return out


_BELOW_ANSWER_LINE = (("display \\[ \\] below", "**Answer:**\n\n\\[\n{v}\n\\]"),
                      ("$$ $$ below", "Answer:\n$${v}$$"), ("a plain line below", "Answer:\n{v}"),
                      ("inline $ $ below", "**Answer:**\n\n${v}$"))


def answer_below_answer_line(rng: random.Random) -> list[dict]:
    """An ``Answer:`` line that ends at its colon, with the answer on the lines below it (a
    display, a line of its own); an earlier answer line it replaces is no answer."""
    v, w = rng.sample(range(-50, 500), 2)
    out = []
    for form, template in _BELOW_ANSWER_LINE:
        for earlier in ("", f"Answer: {w}\n\nWait, that count missed a case. Recounting gives the value below.\n\n"):
            completion = _wrap(rng, earlier + template.format(v=v))
            cases = [(str(v), 1, "the value")] + ([(str(w), 0, "the replaced answer")] if earlier else [])
            for gold, expected, whom in cases:
                out.append({"gold": gold, "completion": completion, "expected": expected,
                            "form": f"{form}{', after an earlier answer line' if earlier else ''} against {whom}, after 'Answer:'"})
    return out


# After a boxed answer, the answer under a condition or in someone else's words: {w}
_HYPOTHETICAL_AFTER_BOX = (("'if ..., the answer is w'", "If we also counted the empty arrangement, the answer is {w}."),
                           ("'one might think the answer is w'", "One might think the answer is {w}, but that double counts."),
                           ("'a naive count gives the answer: w'", "A naive count gives the answer: {w}."),
                           ("'unless ..., the answer is w'", "Unless the order matters, in which case the answer is {w}."),
                           ("'assuming ..., the answer is w'", "Assuming repetition were allowed, the answer is {w}."),
                           ("'many students think the answer is w'", "Many students think the answer is {w}, but that double counts."),
                           ("'a common mistake is to say the answer is w'", "A common mistake is to say the answer is {w}."),
                           ("'it is tempting to say the answer is w'", "It is tempting to say the answer is {w}, but that misses a case."),
                           ("'the textbook claims the answer is w'", "The textbook claims the final answer is ${w}$; it double counts."),
                           ("'some may argue the answer is w'", "Some may argue the answer is {w}."),
                           ("'had ..., the answer is w'", "Had repetition been allowed, the answer is {w}."))


def hypothetical_after_box(rng: random.Random) -> list[dict]:
    """A boxed answer followed by the answer to another version of the problem ("if we also
    counted ..., the answer is 6"): the box is the answer, the hypothetical one is not; a plain
    correction after the box still replaces it (revised_answer)."""
    v, w = rng.sample(range(-30, 300), 2)
    out = []
    for form, sentence in _HYPOTHETICAL_AFTER_BOX:
        completion = _wrap(rng, f"Counting the cases gives $\\boxed{{{v}}}$.\n\n" + sentence.format(w=w))
        for gold, expected, whom in ((str(v), 1, "the boxed value"), (str(w), 0, "the hypothetical value")):
            out.append({"gold": gold, "completion": completion, "expected": expected,
                        "form": f"{form} against {whom}, boxed"})
    return out


# A parenthesis after the value that is no remark but more of the answer: {v} the value, {w} another
_MORE_IN_PARENTHESES_PLAIN = (("'(or w)', a hedge", "{v} (or {w})"), ("'(and w)', a second solution", "{v} (and {w})"),
                              ("'(sqrt b)'", "{v} (sqrt {b})"), ("'(arctan b)'", "{v} (arctan {b})"),
                              ("'(thousand)'", "{v} (thousand)"), ("'(squared)'", "{v} (squared)"),
                              ("'(times 10^b)'", "{v} (times 10^{b})"), ("'(ab)', a product", "{v} (ab)"),
                              ("'-- or w ...', a hedge", "{v} -- or {w} if the order matters"))
_MORE_IN_PARENTHESES_LATEX = (("'$v$ (or $w$)', a hedge", "${v}$ (or ${w}$)"), ("'$v$ (and $w$)'", "${v}$ (and ${w}$)"),
                              ("'$v$ $(\\sqrt{b})$'", "${v}$ $(\\sqrt{{{b}}})$"), ("'$v$ (thousand)'", "${v}$ (thousand)"),
                              ("'$v$ (ab)'", "${v}$ (ab)"))
# A remark after the value, with no other value: {v} the value
_REMARKS_NO_VALUE = (("'(mod m)'", "{v} (mod {m})"), ("'(double root)'", "x = {v} (double root)"), ("'(cm)'", "{v} (cm)"),
                     ("'(in cm)'", "{v} (in cm)"), ("'(approximately)'", "{v} (approximately)"),
                     ("'$v$ (double root)'", "$x = {v}$ (double root)"))


def more_answer_in_parentheses(rng: random.Random) -> list[dict]:
    """A value followed by a parenthesis that is part of the answer, not a remark on it: another
    value ("3 (or 4)", a hedge; "3 (and -3)", a second solution), a function, scale or operation
    ("2 (sqrt 3)", "5 (thousand)", "7 (squared)") or variables ("2 (ab)"): the value alone is
    not the answer. A remark in words ("(mod 7)", "(double root)", "(cm)") leaves the value; a
    fraction restated as its decimal ("3/4 (or 0.75)") is the same answer."""
    v, w = rng.sample(range(2, 99), 2)
    b, m = rng.choice([2, 3, 5, 7]), rng.randint(7, 13)
    p, q = rng.choice([(1, 2), (3, 4), (1, 4), (3, 8), (2, 5)])
    out = []
    for kind, forms in (("plain", _MORE_IN_PARENTHESES_PLAIN), ("latex", _MORE_IN_PARENTHESES_LATEX),
                        ("remark", _REMARKS_NO_VALUE)):
        for form, text in forms:
            answer = text.format(v=v, w=w, b=b, m=m)
            for where, template in _REMARK_STATEMENTS:
                if where.startswith("in a final") and "$" in answer:
                    continue
                completion = _wrap(rng, template.format(a=answer))
                expected = 1 if kind == "remark" else 0
                out.append({"gold": str(v), "completion": completion, "expected": expected,
                            "form": f"{kind} {form} against the value, {where}"})
                if "(and" in answer:  # both solutions given: right against both
                    out.append({"gold": f"{v}, {w}", "completion": completion, "expected": 1,
                                "form": f"{kind} {form} against both values, {where}"})
    for where, template in _REMARK_STATEMENTS:
        completion = _wrap(rng, template.format(a=f"{p}/{q} (or {p / q:g})"))
        out.append({"gold": f"\\frac{{{p}}}{{{q}}}", "completion": completion, "expected": 1,
                    "form": f"'a/b (or its decimal)' against the fraction, {where}"})
        out.append({"gold": str(p), "completion": completion, "expected": 0,
                    "form": f"'a/b (or its decimal)' against the numerator, {where}"})
    return out


# After a boxed answer, a correction that says why the box was wrong with a modal verb or
# "naive", then draws its consequence: the correction replaces the box. {w} the corrected value
_CORRECTIONS_AFTER_BOX = (("'that would double count, so the answer is w'",
                           "Wait, that would double count the empty case, so the answer is {w}."),
                          ("'that could not be right ..., so the final answer is w'",
                           "Hmm, that could not be right since it double counts, so the final answer is {w}."),
                          ("'the naive count was wrong, therefore the answer is w'",
                           "On reflection the naive count was wrong, therefore the answer is {w}."),
                          ("'I think the answer is actually w'",  # the reply's own second thought, no one else's words
                           "Wait, I missed the empty case. I think the answer is actually {w}."),
                          ("'we had double counted, so the answer is w'",
                           "We had double counted the empty case, so the answer is {w}."))
# ... and a condition after the value or in the clause before "then": the box stays
_CONDITIONS_AFTER_BOX = (("'the answer is w if ...'", "The answer is {w} if we also count the empty arrangement."),
                         ("'the answer is w only if ...'", "The answer is {w} only if repetition is allowed."),
                         ("'the answer is w when ...'", "The answer is {w} when the order matters."),
                         ("'suppose ...; then the answer is w'", "Suppose repetition were allowed; then the answer is {w}."))


def correction_or_condition_after_box(rng: random.Random) -> list[dict]:
    """After a box, a correction whose reason uses "would", "could" or "naive" and that draws
    its consequence ("so the answer is 7") replaces the box; an answer under a condition stated
    after it ("the answer is 7 if ...") or in the clause before "then" does not."""
    v, w = rng.sample(range(-30, 300), 2)
    out = []
    for forms, replaced in ((_CORRECTIONS_AFTER_BOX, True), (_CONDITIONS_AFTER_BOX, False)):
        for form, sentence in forms:
            completion = _wrap(rng, f"Counting the cases gives $\\boxed{{{v}}}$.\n\n" + sentence.format(w=w))
            for gold, is_box in ((str(v), True), (str(w), False)):
                # (a correction in prose is no DAPO answer line: the context keeps it out of forms_dapo)
                out.append({"gold": gold, "completion": completion, "expected": int(is_box != replaced),
                            "form": f"{form} against the {'boxed' if is_box else 'later'} value, "
                                    f"{'boxed, then corrected' if replaced else 'boxed'}"})
    return out


def _ray(variable: str, op: str, a: int) -> tuple[str, str]:
    """(the inequality ``variable op a``, its interval)."""
    return f"{variable} {op} {a}", {"<": f"(-\\infty, {a})", "\\le": f"(-\\infty, {a}]", ">": f"({a}, \\infty)",
                                    "\\ge": f"[{a}, \\infty)"}[op]


def inequality_interval(rng: random.Random) -> list[dict]:
    """A solution set as an interval or a union of two rays, against the same set written as an
    inequality ("2 \\le x < 5", "x < 2 or x \\ge 3"), either way round; another endpoint, the
    other bracket or the other direction is another set."""
    a = rng.randint(-9, 5)
    b = a + rng.randint(1, 9)
    strict = {"<": "\\le", "\\le": "<", ">": "\\ge", "\\ge": ">"}
    if rng.random() < 0.5:  # a bounded interval
        left, right = rng.choice(["<", "\\le"]), rng.choice(["<", "\\le"])
        brackets = ("(" if left == "<" else "[", ")" if right == "<" else "]")
        gold = f"{brackets[0]}{a}, {b}{brackets[1]}"
        right_forms = [("'a op x op b'", f"{a} {left} x {right} {b}"),
                       ("'b op x op a', reversed", f"{b} {right.replace('<', '>').replace('le', 'ge')} x "
                                                  f"{left.replace('<', '>').replace('le', 'ge')} {a}")]
        near = [("the other left bracket", f"{a} {strict[left]} x {right} {b}"),
                ("an endpoint off by one", f"{a} {left} x {right} {b + 1}")]
    else:  # two rays
        low, high = rng.choice(["<", "\\le"]), rng.choice([">", "\\ge"])
        ray_low, ray_high = _ray("x", low, a), _ray("x", high, b)
        gold = f"{ray_low[1]} \\cup {ray_high[1]}"
        right_forms = [("'x op a \\text{ or } x op b'", f"{ray_low[0]} \\text{{ or }} {ray_high[0]}"),
                       ("'x op a or x op b'", f"{ray_low[0]} or {ray_high[0]}")]
        near = [("one bracket other", f"x {strict[low]} {a} \\text{{ or }} {ray_high[0]}"),
                ("an endpoint off by one", f"{ray_low[0]} \\text{{ or }} x {high} {b + 1}"),
                ("one ray alone", ray_low[0])]
    op = rng.choice(["<", "\\le", ">", "\\ge"])
    ray, ray_gold = _ray("x", op, a)
    flipped = {"<": ">", "\\le": "\\ge", ">": "<", "\\ge": "\\le"}[op]
    return (_cases(rng, gold, 1, right_forms) + _cases(rng, gold, 0, near)
            + _cases(rng, ray_gold, 1, [("'x op a' against a ray", ray), ("'a op x' against a ray", f"{a} {flipped} x")])
            + _cases(rng, ray_gold, 0, [("'x op a', the other direction", f"x {flipped} {a}"),
                                        ("'x op a', the other bracket", f"x {strict[op]} {a}")])
            + _cases(rng, right_forms[0][1], 1, [("the interval against the inequality", gold)]))


def empty_set(rng: random.Random) -> list[dict]:
    """The empty set, however it is written (\\emptyset, \\varnothing, \\{\\}, ∅); a set holding 0,
    or 0, is not empty."""
    forms = ["\\emptyset", "\\varnothing", "\\{\\}"]
    gold = rng.choice(forms)
    latex = [(f"'{f}'", f) for f in forms]
    plain = [("Unicode '∅'", "∅")]
    near = [("'\\{0\\}'", "\\{0\\}"), ("'0'", "0")]
    return _cases(rng, gold, 1, latex, plain) + _cases(rng, gold, 0, near, [("'{0}'", "{0}")])


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _spelled(n: int) -> str:
    if n < 20:
        return _ONES[n]
    return _TENS[n // 10 - 2] + (f"-{_ONES[n % 10]}" if n % 10 else "")


def number_word(rng: random.Random) -> list[dict]:
    """A count spelled out ("four", "\\text{twenty-one}") against its digits, either way round;
    the word of another number ("fourteen" for 4) is wrong."""
    n = rng.randint(0, 99)
    other = n + 10 if n < 10 else n + rng.choice([-1, 1])
    word, other_word = _spelled(n), _spelled(other)
    latex = [("\\text{word}", f"\\text{{{word}}}"), ("bare word", word), ("\\text{Word} capitalised", f"\\text{{{word.capitalize()}}}")]
    plain = [("bare word", word), ("bold word", f"**{word}**")]
    near = [("another number's word", f"\\text{{{other_word}}}")]
    return (_cases(rng, str(n), 1, latex, plain) + _cases(rng, str(n), 0, near, [("another number's word", other_word)])
            + _cases(rng, f"\\text{{{word}}}", 1, [("digits against the word", str(n))])
            + _cases(rng, f"\\text{{{word}}}", 0, [("other digits against the word", str(other))]))


def choice_in_text(rng: random.Random) -> list[dict]:
    """An answer choice and its value in one ``\\text{}`` ("\\text{(B) 7}"), against the value or a
    lettered gold; another value or another letter is wrong."""
    value, other_value = rng.sample(range(2, 999), 2)
    letter, other = rng.sample("ABCDE", 2)
    boxed = f"\\text{{({letter}) {value}}}"
    return (_cases(rng, str(value), 1, [("\\text{(L) v} against the value", boxed)])
            + _cases(rng, str(other_value), 0, [("\\text{(L) v} against another value", boxed)])
            + _cases(rng, f"\\textbf{{({letter}) }}{value}", 1, [("\\text{(L) v} against the lettered gold", boxed)])
            + _cases(rng, f"\\textbf{{({other}) }}{value}", 0, [("\\text{(L) v} against another letter", boxed)]))


# A sentence as the answer; {n} the value, {w} another number
_ANSWER_SENTENCES = (("'There are n ways.'", "There are {n} ways."), ("'The number of ways is n.'", "The number of ways is {n}."),
                     ("'There are exactly n such numbers.'", "There are exactly {n} such numbers."),
                     ("'There are $n$ ways.'", "There are ${n}$ ways."), ("'The minimum value is n.'", "The minimum value is {n}."))
_FINAL_SENTENCES = (("'Therefore, there are n ways.'", "Therefore, there are {n} ways."),
                    ("'So there are n ways to do it.'", "So there are {n} ways to do it."),
                    ("'In total, there are n arrangements.'", "In total, there are {n} arrangements."))


def answer_sentence(rng: random.Random) -> list[dict]:
    """The answer as a sentence: after "Answer:" ("**Answer:** There are 5 ways."), on the line
    below a bare "Answer:", or as the reply's last line ("Therefore, there are 5 ways."): its
    number is the answer. A line of other prose below "Answer:" gives none."""
    n, a = rng.randint(5, 500), rng.randint(1, 4)
    out = []
    for form, sentence in _ANSWER_SENTENCES:
        text = sentence.format(n=n)
        for where, template in (("after 'Answer:'", "Answer: {a}"), ("after a bold 'Answer:'", "**Answer:** {a}"),
                                ("after 'Answer:'", "**Answer:**\n\n{a}")):
            completion = _wrap(rng, template.format(a=text))
            out += [{"gold": str(n), "completion": completion, "expected": 1, "form": f"{form}, {where}"},
                    {"gold": str(n + 1), "completion": completion, "expected": 0, "form": f"{form} against another value, {where}"}]
    for form, sentence in _FINAL_SENTENCES:
        completion = f"{REASONING}\n\n{sentence.format(n=n)}"
        out += [{"gold": str(n), "completion": completion, "expected": 1, "form": f"{form}, a final sentence"},
                {"gold": str(n + 1), "completion": completion, "expected": 0, "form": f"{form} against another value, a final sentence"}]
    prose = _wrap(rng, f"**Answer:**\nLet me verify: {n - a} + {a} = {n}, which checks out.")
    out.append({"gold": str(n), "completion": prose, "expected": 0, "form": "other prose below the answer line, after 'Answer:'"})
    return out


# A base model continuing a few-shot prompt: this question's answer, then the next exercise
# and its answer ({w}), as the prompt's examples lay them out. Each statement's name ends in
# its context, as forms_dapo selects the answer-line ones.
_FEW_SHOT_STATEMENTS = (("a box", "So there are $\\boxed{{{a}}}$ ways.", "boxed"),
                        ("Minerva's 'Final Answer: The final answer is $a$.'",
                         "Final Answer: The final answer is ${a}$. I hope it is correct.", "after 'the final answer is'"),
                        ("'Answer: a'", "Answer: {a}", "after 'Answer:'"),
                        ("'**Answer:** a'", "**Answer:** {a}", "after a bold 'Answer:'"))
_NEXT_QUESTIONS = (("'Problem:' and 'Solution:'", "Problem:\n{q}\n\nSolution:\n{work}\n{answer}"),
                   ("'Question:'", "Question: {q}\n{work}\n{answer}"),
                   ("'Q:' and 'A:'", "Q: {q}\nA: {work} {answer}"),
                   ("a bold '**Problem:**'", "**Problem:** {q}\n\n**Solution:** {work}\n\n{answer}"),
                   ("'Human:' and 'Assistant:'", "Human: {q}\n\nAssistant: {work}\n{answer}"),
                   ("'User:', cut off", "User: {q}\nAssistant: Let me think about"))


def next_question(rng: random.Random) -> list[dict]:
    """A reply that goes on to write the next question of a few-shot prompt and answers it:
    its answer is the one before the next question; the next question's answer is not. A
    "Question:" line that restates this row's own question is the reply re-reading it: the
    answer after it counts."""
    v, w, a, b = rng.randint(2, 300), rng.randint(301, 999), rng.randint(2, 30), rng.randint(2, 30)
    question = f"In how many ways can the {v} tiles be placed in a row of {v + 1} squares?"
    out = []
    for form, statement, where in _FEW_SHOT_STATEMENTS:
        for marker, template in _NEXT_QUESTIONS:
            nxt = template.format(q=f"What is ${a} \\cdot {b} + {w - a * b}$?", work=f"We have ${a} \\cdot {b} = {a * b}$.",
                                  answer=statement.format(a=w))
            completion = _wrap(rng, f"{REASONING}\n{statement.format(a=v)}\n\n{nxt}")
            for gold, expected, whom in ((str(v), 1, "its answer"), (str(w), 0, "the next question's answer")):
                if expected or "cut off" not in marker:
                    out.append({"gold": gold, "completion": completion, "expected": expected, "question": question,
                                "form": f"{form}, then {marker}, against {whom}, {where}"})
        reread = (f"{statement.format(a=w)}\n\nHmm, let me re-read the question.\n\nQuestion: {question}\n\n"
                  f"The tiles are identical, so the count is smaller.\n{statement.format(a=v)}")
        for gold, expected, whom in ((str(v), 1, "the answer after it"), (str(w), 0, "the answer before it")):
            out.append({"gold": gold, "completion": _wrap(rng, reread), "expected": expected, "question": question,
                        "form": f"{form}, then this question restated, against {whom}, {where}"})
    return out


def marked_line(rng: random.Random) -> list[dict]:
    """A GSM8K-style solution that ends in a ``#### X`` line: X is the answer; a number of the
    working is not, nor is a step's number in a ``#### Step k`` heading."""
    v, k = rng.randint(10, 9999), rng.randint(2, 6)
    half = v // 2
    work = f"Natalia sold {half} clips in May.\nAltogether she sold {v - half} + {half} = {v} clips.\n"
    written = ((f"{v}", "####"), (f"${v}$", "#### in $"), (f"{v:,}", "#### with a thousands comma"))
    out = []
    for answer, form in written:
        completion = _wrap(rng, f"{work}#### {answer}")
        out += [{"gold": str(v), "completion": completion, "expected": 1, "form": f"'{form}' line against the answer, after '####'"},
                {"gold": str(half), "completion": completion, "expected": 0, "form": f"'{form}' line against a number of the working, after '####'"}]
    heading = _wrap(rng, f"#### Step {k}: Count the clips\n{work}We still need the cost, which the next step finds.")
    out.append({"gold": str(k), "completion": heading, "expected": 0, "form": "a '#### Step k' heading against k, after '####'"})
    return out


# A value, then where it holds: {v} the value, {w} the condition's value. Each form's name ends in
# its context, as forms_dapo selects the answer-line ones.
_CONDITIONS_AFTER_VALUE = (("'v \\quad (x = w)'", "$\\boxed{{{v} \\quad (x = {w})}}$", "boxed"),
                           ("'v \\; (n = w)'", "$\\boxed{{{v} \\; (n = {w})}}$", "boxed"),
                           ("'v \\text{ at } x = w'", "$\\boxed{{{v} \\text{{ at }} x = {w}}}$", "boxed"),
                           ("'v \\text{ (when } t = w)'", "$\\boxed{{{v} \\text{{ (when }} t = {w})}}$", "boxed"),
                           ("'v, \\text{ for } n = w'", "$\\boxed{{{v}, \\text{{ for }} n = {w}}}$", "boxed"),
                           ("'v (n = w)'", "Answer: {v} (n = {w})", "after 'Answer:'"),
                           ("'$v$ ($n = w$)'", "**Answer:** ${v}$ ($n = {w}$)", "after a bold 'Answer:'"),
                           ("'$v$, achieved when $x = w$'", "Answer: ${v}$, achieved when $x = {w}$", "after 'Answer:'"),
                           ("'v, attained at x = w'", "Answer: {v}, attained at x = {w}", "after 'Answer:'"),
                           ("'$v$ at $x = w$'", "Answer: ${v}$ at $x = {w}$", "after 'Answer:'"),
                           ("'For $n = w$, there are v tilings.'", "**Answer:** For $n = {w}$, there are {v} tilings.",
                            "after a bold 'Answer:'"),
                           ("'When x = w, the maximum value is v.'", "Answer: When x = {w}, the maximum value is {v}.",
                            "after 'Answer:'"),
                           ("'the answer is v at x = w'", "So the answer is {v} at x = {w}.", "after 'the answer is'"))


def condition_after_value(rng: random.Random) -> list[dict]:
    """A value with the case it holds for ("the maximum is 7 (x = 3)", "233 tilings for n = 12"),
    after it or opening its sentence: the value is the answer; the condition's value, which
    math-verify reads off the equation, is not."""
    v, w = rng.sample(range(-40, 400), 2)
    out = []
    for form, statement, where in _CONDITIONS_AFTER_VALUE:
        if v < 0 and "tilings" in statement:
            continue
        completion = _wrap(rng, statement.format(v=v, w=w))
        for gold, expected, whom in ((str(v), 1, "the value"), (str(w), 0, "the condition's value")):
            out.append({"gold": gold, "completion": completion, "expected": expected,
                        "form": f"{form} against {whom}, {where}"})
    return out


_SCALE_WORDS = (("hundred", 100), ("thousand", 1000), ("million", 10 ** 6), ("billion", 10 ** 9), ("dozen", 12))


def scale_word(rng: random.Random) -> list[dict]:
    """A number with a scale word ("12 thousand", "2.5\\text{ million}", "3 dozen"): the number it
    names is right; the number before the word alone, a unit it is not, is wrong. Parts ("5
    hundredths") divide."""
    word, scale = rng.choice(_SCALE_WORDS)
    n = rng.randint(2, 99)
    if word in ("million", "billion") and rng.random() < 0.5:
        n = n + Fraction(rng.choice((1, 5)), 10)
    written = f"{float(n):g}" if isinstance(n, Fraction) else str(n)
    value = str(int(n * scale))
    latex = [(f"'n\\text{{ {word}}}'", f"{written}\\text{{ {word}}}")]
    plain = [(f"'n {word}'", f"{written} {word}")]
    parts = rng.randint(2, 99)
    return (_cases(rng, value, 1, latex, plain) + _cases(rng, written, 0, latex, plain)
            + _cases(rng, f"{parts / 100:g}", 1, plain=[("'n hundredths'", f"{parts} hundredths")])
            + _cases(rng, str(parts), 0, plain=[("'n hundredths' against n", f"{parts} hundredths")]))


# An answer statement whose answer is a markdown list below it: {items} the list
_LISTED_ANSWERS = (("a bold 'Answer:'", "**Answer:**\n\n{items}", "after 'Answer:'"),
                   ("'Answer:'", "Answer:\n{items}\n\nBoth satisfy the original equation.", "after 'Answer:'"),
                   ("a '### Final Answer' heading", "### Final Answer\n\n{items}", "under a '### Final Answer' heading"),
                   ("'the final answer is:'", "The final answer is:\n{items}", "after 'the final answer is'"))
_LIST_MARKERS = (("'-' bullets", lambda i: "- "), ("'*' bullets", lambda i: "* "), ("numbers", lambda i: f"{i + 1}. "))
_LIST_ITEMS = (("$x = v$", "$x = {v}$"), ("$v$", "${v}$"), ("v", "{v}"), ("\\(v\\)", "\\({v}\\)"))


def listed_answer(rng: random.Random) -> list[dict]:
    """An answer statement with its values listed below it, one per item ("**Answer:**" then
    "- $x = 2$", "- $x = 7$"): the answer is every item, so the set of them is right; the first
    item alone is wrong, and a "-" bullet is no minus sign."""
    values = rng.sample(range(1, 60), rng.choice((2, 2, 3)))
    out = []
    for form, template, where in _LISTED_ANSWERS:
        marker_form, marker = rng.choice(_LIST_MARKERS)
        item_form, item = rng.choice(_LIST_ITEMS)
        items = "\n".join(marker(i) + item.format(v=v) for i, v in enumerate(values))
        completion = _wrap(rng, template.format(items=items))
        golds = ((", ".join(map(str, rng.sample(values, len(values)))), 1, "every value"),
                 (str(values[0]), 0, "the first value alone"), (str(-values[0]), 0, "the first value negated"))
        for gold, expected, whom in golds:
            out.append({"gold": gold, "completion": completion, "expected": expected,
                        "form": f"{item_form} as {marker_form} below {form} against {whom}, {where}"})
    return out


def classes() -> dict[str, Callable[[random.Random], list[dict]]]:
    return {"integer": integer, "decimal": decimal, "fraction": fraction, "mixed_number": mixed_number,
            "sci_notation": sci_notation, "constant_expression": constant_expression, "interval": interval,
            "inequality": inequality, "list": unordered_list, "tuple": ordered_tuple, "matrix": matrix, "vector": vector,
            "complex": complex_number, "units": units,
            "percent": percent, "revised_answer": revised_answer, "answer_choice": answer_choice,
            "angle_degrees": angle_degrees, "money": money, "thousands": thousands, "polynomial": polynomial,
            "line_equation": line_equation, "radical": radical, "power": power, "text_answer": text_answer,
            "negative_fraction": negative_fraction, "unit_of_gold": unit_of_gold,
            "spoken_operation": spoken_operation, "anagram_name": anagram_name,
            "answer_after_box": answer_after_box, "remark_after_answer": remark_after_answer,
            "answer_below_answer_line": answer_below_answer_line, "hypothetical_after_box": hypothetical_after_box,
            "more_answer_in_parentheses": more_answer_in_parentheses,
            "correction_or_condition_after_box": correction_or_condition_after_box,
            "inequality_interval": inequality_interval, "empty_set": empty_set, "number_word": number_word,
            "choice_in_text": choice_in_text, "answer_sentence": answer_sentence,
            "next_question": next_question, "marked_line": marked_line,
            "condition_after_value": condition_after_value, "scale_word": scale_word,
            "listed_answer": listed_answer}
