"""The math and dapo plugins, checked through the components gnosis registers for them."""
from __future__ import annotations

import threading

import pytest

import gnosis_math
from gnosis_math import grading
from gnosis_core import limits
from gnosis_core.errors import RowTimeout, Unverifiable
from gnosis_core.plugins import components
from gnosis_core.registry import get_task



def component(kind: str, task_name: str):
    task = get_task(task_name)
    name = task.extractor if kind == "extractors" else task.grader
    found = components().get(kind, name)
    assert found is not None, f"task {task_name!r} names unregistered {kind[:-1]} {name!r}"
    return found


def extract(completion: str, task: str = "math"):
    return component("extractors", task)(completion, {})


def grade(prediction: str, gold, task: str = "math"):
    return component("graders", task)(prediction, gold, {})


def answer(text: str) -> str:
    return f"<think>\nSome reasoning.\n</think>\n\n{text}"


# ---------------------------------------------------------------- registration

def test_components_are_registered_by_their_plugins():
    found = components()
    assert found.owner("extractors", "math-boxed") == "math"
    assert found.owner("graders", "math-verify") == "math"
    assert found.owner("extractors", "dapo-answer-line") == "dapo"
    assert found.owner("graders", "dapo-math") == "dapo"
    assert get_task("math").extractor == "math-boxed"
    assert get_task("dapo").extractor == "dapo-answer-line"


def test_plugin_modules_are_documented():
    import gnosis_dapo

    assert gnosis_math.__doc__ and gnosis_dapo.__doc__


# ---------------------------------------------------------------- math-boxed extractor

@pytest.mark.parametrize("completion, expected", [
    (answer(r"So $\boxed{3}$ then $\boxed{\frac{1}{6}}$."), r"\frac{1}{6}"),    # last box wins
    (r"<think>$\boxed{2}$</think> Hence $\boxed{5}$", "5"),                      # draft ignored
    (r"<think>a</think>x<think>b</think> $\boxed{9}$", "9"),                     # last </think>
    (r"No reasoning tags: $\boxed{x+1}$", "x+1"),                                # whole text
    (answer(r"$\fbox{12}$"), "12"),
    (answer(r"$\boxed{\left(\frac{1}{2}, 3\right)}$"), r"\left(\frac{1}{2}, 3\right)"),
    (answer("Therefore, the final answer is $\\frac{3}{7}$. I hope it is correct."), r"\frac{3}{7}"),
    (answer("So the answer is 250."), "250"),
    (answer(r"The answer is \(2\sqrt{5}\)."), r"2\sqrt{5}"),
])
def test_math_extractor_finds_the_final_answer(completion, expected):
    assert extract(completion) == expected


@pytest.mark.parametrize("completion", [
    "<think>\nStill working, the answer is 12 and",        # thinking never closed
    "<think>\n$\\boxed{12}$\n",                             # a box inside open thinking
    answer(r"Thus $\boxed{\sqrt{2}$ is it."),               # unclosed last box
    answer(r"First $\boxed{4}$, finally $\boxed{5$."),      # the last box is unclosed
    answer(r"$\boxed{}$"),                                  # empty box
    answer("I computed 17 somewhere but never said so."),   # no box, no statement
    "<think>x</think>   ",
    "",
    None,
])
def test_math_extractor_returns_none_without_a_final_answer(completion):
    assert extract(completion) is None


# ---------------------------------------------------------------- math-verify grader

@pytest.mark.parametrize("prediction, gold", [
    ("0042", "42"),                                   # leading zeros
    (r"\dfrac{3}{4}", "0.75"),                        # fraction vs decimal
    (r"\frac{1}{8}", r"0.125"),
    ("0.5", r"\frac{1}{2}"),
    (r"\sqrt{12}", r"2\sqrt{3}"),                     # radicals simplified
    (r"\frac{\sqrt{2}}{2}", r"\frac{1}{\sqrt{2}}"),
    ("x = 5", "5"),                                   # an equation's value
    (r"k=\frac{1}{2}", "0.5"),
    (r"12\text{ cm}", "12"),                          # units ignored
    (r"7 \text{ days}", "7"),
    (r"3\,\mathrm{kg}", "3"),
    ("15 widgets", "15"),                             # a plain unit word
    (r"30^\circ", "30"),
    (r"(0, 2]", "(0,2]"),                             # intervals
    (r"(-\infty, 3)", r"(-\infty,3)"),
    (r"(3, 4)", "(3,4)"),                             # ordered pairs
    (r"\left(\frac{1}{2}, -1\right)", "(0.5,-1)"),
    (r"x^2+2x+1", "(x+1)^2"),                         # symbolic equivalence
    (r"\frac{x^2-1}{x-1}", "x+1"),
    (r"\frac{2}{3}", r"We get $\frac{4}{6} = \boxed{\frac{2}{3}}$."),   # worked solution
    ("12", "Thus the count is $\\boxed{012}$ ways."),
    ("8", r"A first guess \boxed{6} fails, so the answer is \boxed{8}."),   # its last box
    (r"\frac{1}{2}", r"$\frac{1}{2}$"),               # gold with delimiters
    ("12", 12),                                       # numeric golds
    (r"\frac{1}{4}", 0.25),
])
def test_equivalent_answers_are_correct(prediction, gold):
    assert grade(prediction, gold) is True


@pytest.mark.parametrize("prediction, gold", [
    ("43", "42"),
    (r"\frac{1}{3}", "0.3"),                          # by value, not by a loose rounding
    (r"\sqrt{12}", r"3\sqrt{2}"),
    ("x = 6", "5"),
    (r"13\text{ cm}", "12"),
    (r"(0, 2)", "(0,2]"),                             # endpoints matter
    (r"[0, 2]", "(0,2]"),
    (r"(4, 3)", "(3,4)"),                             # order matters
    (r"(-1, \frac{1}{2})", "(0.5,-1)"),
    (r"x^2+1", "(x+1)^2"),
    (r"\frac{1}{0}", "1"),                            # undefined
    (r"0^{-1}", "0"),
    (r"\frac{", "1"),                                 # malformed LaTeX
    ("}{", "1"),
    ("", "1"),
    ("   ", "1"),
])
def test_different_answers_are_wrong(prediction, gold):
    assert grade(prediction, gold) is False


@pytest.mark.parametrize("gold, reason", [
    (None, "no gold"), (float("nan"), "no gold"), ("", "empty"), ("  ", "empty"),
    (r"\frac{", "not parseable"), ("}{", "not parseable"),
    ("The answer is $\\boxed{3", "not closed"), (r"so \boxed{3", "not closed"), (r"\boxed{}", "empty"),
    ([], "list"), ({}, "dict"),
])
def test_unusable_gold_is_unverifiable_with_a_reason(gold, reason):
    with pytest.raises(Unverifiable, match=reason):
        grade("3", gold)


def test_numpy_golds_are_numbers():
    np = pytest.importorskip("numpy")
    assert grade("7", np.int64(7)) is True
    with pytest.raises(Unverifiable):
        grade("7", np.float64("nan"))


def test_each_distinct_gold_is_parsed_once(monkeypatch):
    calls = []
    real_parse = grading.parse

    def counting_parse(text, *args, **kwargs):
        calls.append(text)
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr(grading, "parse", counting_parse)
    grading._parsed_gold.cache_clear()
    grading._matches.cache_clear()
    gold = r"\frac{17}{29}"
    results = [grade(p, gold) for p in (r"\dfrac{34}{58}", "0.5", r"\tfrac{17}{29}", "17/29")]
    results.append(grade("0.5", f" {gold} ", "dapo"))  # same gold, other task and spacing
    assert results == [True, False, True, True, False]
    assert calls.count(f"${gold}$") == 1
    assert len(calls) == 5  # one gold parse, four distinct predictions (a repeat is cached)


def test_pathological_prediction_is_wrong_or_times_out(short_row_limit):
    try:
        assert grade("3^{3^{3^{3^{3^{12}}}}}", "5") is False
    except RowTimeout:
        pass


def test_math_verify_timeout_is_reported_as_row_timeout(monkeypatch):
    from math_verify.errors import TimeoutException

    def slow_verify(*args, **kwargs):
        raise TimeoutException("Timeout during comparison")

    monkeypatch.setattr(grading, "verify", slow_verify)
    grading._matches.cache_clear()
    with pytest.raises(RowTimeout):
        grade("12/2", "6")  # equal in value but not in text: math-verify must decide


def test_other_math_verify_errors_mean_wrong(monkeypatch):
    def broken_verify(*args, **kwargs):
        raise RuntimeError("sympy blew up")

    monkeypatch.setattr(grading, "verify", broken_verify)
    grading._matches.cache_clear()
    assert grade("12/2", "6") is False


def test_fractional_short_row_limit_still_grades():
    # signal.alarm needs whole seconds; a fraction must not silently break parsing.
    before = limits.row_timeout_s()
    limits.set_row_timeout_s(0.5)
    try:
        assert grade(r"\frac{9}{12}", "0.75") is True
    finally:
        limits.set_row_timeout_s(before)


def test_grader_and_extractor_work_outside_the_main_thread():
    results = {}

    def work():
        try:
            results["extract"] = extract(answer("The final answer is $21$."))
            results["grade"] = grade(r"\sqrt{18}", r"3\sqrt{2}")
        except BaseException as exc:  # surfaced by the assertion below
            results["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert results == {"extract": "21", "grade": True}


# ---------------------------------------------------------------- dapo

@pytest.mark.parametrize("completion, expected", [
    (answer("Work.\nAnswer: 204"), "204"),
    (answer("Answer: 1\nWait, I erred.\nAnswer: 2"), "2"),                  # last line wins
    ("<think>\nAnswer: 5\n</think>\nAnswer: 6", "6"),                       # thinking ignored
    (answer("**Answer:** 37"), "37"),
    (answer("Final answer: $-12$."), "-12"),
    (answer(r"Answer: \(\frac{3}{2}\)"), r"\frac{3}{2}"),
    (answer(r"Answer: $\boxed{88}$"), "88"),
    (answer(r"So $\boxed{77}$ it is."), "77"),                               # box fallback
    (answer("$\\boxed{1}$\nAnswer: 2"), "2"),                                # the line wins
    ("Answer: 9", "9"),                                                      # no reasoning tags
    (answer("Answer: **odd**"), "odd"),                                      # bold is markup
    (answer("**Answer: 42**"), "42"),
    (answer("Answer: z^*"), "z^*"),                                          # one star is math
])
def test_dapo_extractor_reads_the_answer_line(completion, expected):
    assert extract(completion, "dapo") == expected


@pytest.mark.parametrize("completion", [
    "<think>\nAnswer: 5\n",                         # unterminated thinking
    answer("The result is 5."),                     # no answer line, no box
    answer("Answer:"),                              # empty answer line
    answer(r"Hence $\boxed{5$"),                    # unclosed box fallback
    None,
])
def test_dapo_extractor_returns_none_without_an_answer(completion):
    assert extract(completion, "dapo") is None


def test_dapo_grader_delegates_to_math():
    dapo_grade = components().get("graders", "dapo-math")
    assert dapo_grade("0091", "91", {}) is True
    assert dapo_grade(r"\frac{182}{2}", "91", {}) is True
    assert dapo_grade("19", "91", {}) is False
    with pytest.raises(Unverifiable):
        dapo_grade("91", None, {})


def test_identical_answer_text_needs_no_sympy(monkeypatch):
    monkeypatch.setattr(grading, "verify", lambda *a, **k: pytest.fail("verify called"))
    assert grade(r" \frac{3}{4} ", r"\frac{3}{4}") is True


@pytest.mark.parametrize("prediction, gold, expected", [
    ("36", r"5\sqrt{7}", False),       # far apart: decided without simplification
    (r"\sqrt{175}", r"5\sqrt{7}", True),
    ("0.333333", r"\frac{1}{3}", True),  # close values still go to math-verify's rounding
    ("9\\%", "9", True),               # percentages keep math-verify's own rule
])
def test_numeric_shortcut_keeps_math_verify_semantics(prediction, gold, expected):
    grading._matches.cache_clear()
    assert grade(prediction, gold) is expected


# ---------------------------------------------------------------- answers over several boxes

@pytest.mark.parametrize("completion, expected", [
    (answer(r"The solutions are $\boxed{4}$ and $\boxed{-7}$."), "4, -7"),
    (answer(r"So $y = \boxed{0}$ or $y = \boxed{5}$"), "0, 5"),
    (answer(r"Pairs: \boxed{(1, 5)}, \boxed{(3, 0)}"), "(1, 5), (3, 0)"),
    (answer("Both work:\n- $\\boxed{2}$\n- $\\boxed{9}$"), "2, 9"),             # a list
    (answer(r"$\boxed{6}$ and again $\boxed{6}$"), "6"),                        # repeats
    # a self-correction: a new sentence, a blank line or a word between the boxes
    (answer(r"So $\boxed{12}$. Wait, I dropped a term, so $\boxed{15}$."), "15"),
    (answer("$\\boxed{12}$\n\nRechecking the sum gives $\\boxed{15}$."), "15"),
    (answer(r"$\boxed{12}$, hmm, no: $\boxed{15}$"), "15"),
    # two boxed quantities of one sentence are not one answer
    (answer(r"There are $\boxed{3}$ red balls, so the chance is $\boxed{\frac{3}{8}}$."), r"\frac{3}{8}"),
])
def test_boxes_of_the_final_statement_are_one_answer(completion, expected):
    assert extract(completion) == expected


@pytest.mark.parametrize("prediction, gold, expected", [
    ("4, -7", "-7, 4", True),                                  # a set: order does not matter
    ("4, -7", r"The roots are $x=\boxed{-7}$ and $x=\boxed{4}$.", True),   # a gold of several boxes
    ("4, -7", "4", False),                                      # one root is not both
    ("4", r"$x=\boxed{-7}$ or $x=\boxed{4}$", False),
    ("(1, 5), (3, 0)", r"\boxed{(3,0)}, \boxed{(1,5)}", True),
])
def test_several_boxes_grade_as_a_set(prediction, gold, expected):
    assert grade(prediction, gold) is expected


def test_an_answer_in_several_boxes_is_labeled_correct_end_to_end():
    completion = answer(r"Hence $x = \boxed{-2}$ or $x = \boxed{\frac{1}{3}}$.")
    assert grade(extract(completion), r"\frac{1}{3}, -2") is True


# ---------------------------------------------------------------- later statements, short replies

@pytest.mark.parametrize("completion, expected", [
    (answer("First $\\boxed{14}$, then $\\boxed{30}$.\n\nAdding up, the final answer is $3{,}214$."), "3,214"),
    (answer("Partial result $\\boxed{8}$.\nTherefore, the final answer is 96."), "96"),
    (answer("The answer is 4. Hmm, let me redo it: $\\boxed{5}$"), "5"),        # a later box wins too
    (answer("$\\boxed{8}$\nThis is the answer we wanted."), "8"),              # no value: the box stays
    (answer("$\\boxed{8}$\nThis answer meets all 3 conditions."), "8"),        # not a statement of it
])
def test_the_later_of_box_and_statement_wins(completion, expected):
    assert extract(completion) == expected


@pytest.mark.parametrize("reply, gold", [
    ("-12", "-12"),
    ("3,150,000", "3150000"),
    ("45 percent", r"45\%"),
    (r"$y \leq -2$", r"y \le -2"),
    (r"\(\frac{7}{2}\).", "3.5"),
    ("**81**", "81"),
])
def test_a_reply_that_is_only_a_short_expression_is_the_answer(reply, gold):
    prediction = extract(answer(reply))
    assert prediction is not None
    assert grade(prediction, gold) is True


@pytest.mark.parametrize("reply", [
    "I think it is 7.",
    "Not sure, maybe 7",
    "7\nor perhaps 8",                                  # more than one line
    "x" * 100,                                          # not short
])
def test_prose_after_thinking_is_no_answer(reply):
    assert extract(answer(reply)) is None


# ---------------------------------------------------------------- golds math-verify cannot read

@pytest.mark.parametrize("prediction, gold", [
    ("north-east", "north-east"),
    (r"$a \to b$", r"a\to b"),
    (r"\mathbb{Z}_{>0}", r" \mathbb{Z}_{ > 0} "),
])
def test_unparseable_gold_equal_as_text_is_correct(prediction, gold):
    assert grade(prediction, gold) is True


def test_unparseable_gold_not_equal_as_text_is_unverifiable():
    with pytest.raises(Unverifiable, match="gold not parseable"):
        grade("south-west", "north-east")


# ---------------------------------------------------------------- matrices

MATRIX = r"\begin{pmatrix} 2 & -1 \\ 0 & 3 \end{pmatrix}"


@pytest.mark.parametrize("prediction, expected", [
    (r"\begin{pmatrix}2&-1\\0&3\end{pmatrix}", True),             # text-identical but spacing
    (r"\begin{pmatrix} \frac{4}{2} & -1 \\ 0 & 3 \end{pmatrix}", True),
    (r"\begin{bmatrix} 2 & -1 \\ 0 & 3 \end{bmatrix}", True),
    (r"\begin{pmatrix} 2 & 1 \\ 0 & 3 \end{pmatrix}", False),
    ("3", False),
])
def test_matrix_golds_grade_without_error(prediction, expected):
    grading._matches.cache_clear()
    assert grade(prediction, MATRIX) is expected
    assert grade(prediction, MATRIX) is expected  # and again, from the cache


# ---------------------------------------------------------------- adversarial answers are cheap

ADVERSARIAL = {
    "power tower": r"7^{7^{7^{7}}}",
    "tower of twos": r"2^{2^{2^{2^{2^{2}}}}}",
    "tower in a binomial": r"\binom{8^{8^{8}}}{3}",
    "tower in a set": r"\{1, 6^{6^{6}}\}",
    "factorial chain": r"((6!)!)!",
    "factorial of a large number": r"(10^{7})!",
    "huge box": "9" * 150_000,
    "closing braces": "1" + "}" * 4_000,
    "deep fractions": r"\frac{2}{" * 150 + "3" + "}" * 150,
    "deep parentheses": "(" * 60 + "1" + ")" * 60,
    "many answers": ", ".join(str(n) for n in range(15_000)),
}


@pytest.mark.parametrize("prediction", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_prediction_is_rejected_before_sympy_compares(monkeypatch, prediction):
    monkeypatch.setattr(grading, "verify", lambda *a, **k: pytest.fail("verify called"))
    grading._matches.cache_clear()
    with pytest.raises(RowTimeout) as raised:
        grade(prediction, "5")
    assert str(raised.value)  # a reason for grade_detail


@pytest.mark.parametrize("prediction", ["huge box", "closing braces", "deep fractions", "many answers"])
def test_oversized_prediction_is_rejected_before_parsing(monkeypatch, prediction):
    monkeypatch.setattr(grading, "parse", lambda *a, **k: pytest.fail("parse called"))
    grading._matches.cache_clear()
    with pytest.raises(RowTimeout, match="too long|deep"):
        grade(ADVERSARIAL[prediction], "5")


@pytest.mark.parametrize("gold", [ADVERSARIAL["power tower"], ADVERSARIAL["deep fractions"]])
def test_adversarial_gold_is_unverifiable(gold):
    grading._parsed_gold.cache_clear()
    with pytest.raises(Unverifiable, match="gold"):
        grade("5", gold)


@pytest.mark.parametrize("prediction, gold", [
    (r"2^{1024}", r"2^{1024}\cdot 1"),
    (r"2^{2^{10}}", r"2^{1024}"),
    (r"20!", "2432902008176640000"),
    (r"(3!)!", "720"),
    (r"\frac{\frac{1}{2}}{\frac{3}{4}}", r"\frac{2}{3}"),
    (r"\begin{pmatrix} 1 & 0 & 0 \\ 0 & 1 & 0 \\ 0 & 0 & 1 \end{pmatrix}",
     r"\begin{pmatrix} 1 & 0 & 0 \\ 0 & 1 & 0 \\ 0 & 0 & 1.0 \end{pmatrix}"),
    (" + ".join(f"{k}x^{{{k}}}" for k in range(1, 40)), " + ".join(f"{k}x^{{{k}}}" for k in reversed(range(1, 40)))),
])
def test_large_but_real_answers_are_still_graded(prediction, gold):
    assert grade(prediction, gold) is True


@pytest.mark.parametrize("region", [
    r"\boxed{" * 20_000,                                # 20,000 unclosed boxes
    r"\boxed{1" + "{" * 5_000,                          # unbalanced braces
    "The answer is $" + "{" * 5_000,
])
def test_extraction_of_adversarial_text_finds_no_answer(region):
    assert extract(answer(region)) is None


MANY_BOXES = " ".join(f"$\\boxed{{{n}}}$" for n in range(20_000))


def test_a_statement_of_thousands_of_boxes_is_too_large_to_grade():
    with pytest.raises(RowTimeout, match="boxes"):
        extract(answer(MANY_BOXES))
    with pytest.raises(Unverifiable, match="boxes"):
        grade("7", MANY_BOXES)
    assert extract(answer(MANY_BOXES + ". Wait, no: $\\boxed{7}$")) == "7"  # a new statement


# ---------------------------------------------------------------- comparison rules (issue 15)

@pytest.mark.parametrize("prediction, gold, expected, rule", [
    ("1.6e-19", "1.7e-19", False, "below 0.01"),            # 6 decimal places would call them equal
    ("1.60 \\times 10^{-19}", "1.6e-19", True, "math-verify: equal"),
    ("230000", "2.3\\cdot 10^{5}", True, "binary rounding"),  # 2.3*10^5 is 229999.99999999997 in binary
    ("1000000000000001", "1000000000000000", False, "not equal"),  # exact numbers stay exact
    ("i^3", "-i", True, "imaginary unit"),
    ("i^2", "i", False, "not equal"),
    ("[9, 1, 4]", "1, 4, 9", True, "math-verify: equal"),   # a bracketed list against a set
    ("3.5%", "3.5", True, "percent sign read as a unit"),
    ("0.35%", "0.35", False, "not equal"),                  # the gold may be the fraction itself
])
def test_each_comparison_rule_decides_and_is_named(prediction, gold, expected, rule):
    assert grade(prediction, gold) is expected
    assert rule in gnosis_math.rule(prediction, gold)


def test_a_tolerance_decides_only_where_the_strict_comparison_says_no():
    assert grade("0.333", "\\frac{1}{3}") is False
    assert gnosis_math.grade("0.333", "\\frac{1}{3}", rel_tol=0.01) is True
    assert "rel_tol=0.01" in gnosis_math.rule("0.333", "\\frac{1}{3}", rel_tol=0.01)
    assert gnosis_math.rule("2/6", "\\frac{1}{3}", rel_tol=0.01) == "math-verify: equal"
    assert gnosis_math.grade("0.3", "\\frac{1}{3}", abs_tol=0.01) is False


# ---------------------------------------------------------------- rules found by generated classes

@pytest.mark.parametrize("prediction, gold, expected", [
    ("1 000 000", "1000000", True),
    (r"82\,295\,424", r"82,\!295,\!424", True),
    ("12 345.5", "12345.5", True),
    ("1 000 000", "0", False),             # LaTeX reads the groups apart: 1*0*0
    ("82 295 424", "801", False),          # ... or as 82 + 295 + 424
    (r"1\,000\,000", "0", False),
    ("3 1/4", r"\frac{13}{4}", True),      # a mixed number's fraction is no digit group
])
def test_digits_grouped_in_threes_by_spaces_are_one_number(prediction, gold, expected):
    assert grade(prediction, gold) is expected


@pytest.mark.parametrize("completion, expected", [
    (answer("Answer: \\(90\\degree\\)"), "90^\\circ"),                 # gensymb's \degree
    # a dollar sign, not math: kept as the amount's unit (12.50 cents is another amount)
    (answer("Putting it together, the answer is:\n\n$871.00"), "\\$871.00"),
    (answer("Therefore, the result is $12.50."), "\\$12.50"),
    (answer("So the answer is **odd**."), "odd"),                      # a word where no math is
    (answer("Therefore, the day is Monday."), "Monday"),
    (answer("Monday"), "Monday"),
    (answer("The answer is 5. Checking: the answer is correct."), "5"),  # math beats a word
])
def test_statements_of_degrees_dollars_and_words(completion, expected):
    assert extract(completion) == expected


def test_markdown_bold_around_a_prediction_is_no_part_of_the_answer():
    assert grade("**odd**", r"\text{odd}", "dapo") is True  # as `gnosis grade --completion` may pass it
    assert grade("**even**", r"\text{odd}", "dapo") is False
    assert grade("z^*", "z^*") is True


@pytest.mark.parametrize("prediction, gold, expected", [
    ("12 squared", "12", False),              # an operation word is never a unit to drop
    ("12 squared", "144", True),
    ("5 factorial", "120", True),
    ("7 to the fourth power", "2401", True),
    ("7 to the fourth power", "7", False),
    ("4 halves", "2", True),
    ("0.2 repeating", "0.2", False),
    ("0.2 repeating", r"\frac{2}{9}", True),
    (r"0.\overline{7}", r"\frac{7}{9}", True),  # math-verify cannot read the bar
    (r"0.1\overline{6}", r"\frac{1}{6}", True),
    ("12 ways", "12", True),                   # a counting noun changes nothing
])
def test_spoken_operations_are_the_values_they_name(prediction, gold, expected):
    assert grade(prediction, gold) is expected


@pytest.mark.parametrize("prediction, gold, expected", [
    ("51.8 m", r"51.8\text{ km}", False),
    ("50 cents", r"\$50", False),
    ("90 minutes", r"90\text{ seconds}", False),
    (r"37^\circ\text{F}", r"37^\circ\text{C}", False),
    ("$81.9", r"81.9\text{ cents}", False),
    ("51.8 kilometers", r"51.8\text{ km}", True),  # the same unit, spelled out
    ("90 sec", r"90\text{ seconds}", True),
    ("37°C", r"37^\circ\text{C}", True),
    ("51.8", r"51.8\text{ km}", True),             # a prediction without a unit, as before
    ("50 m", "50", True),                          # a gold without a unit, as before
])
def test_a_unit_other_than_the_golds_is_wrong(prediction, gold, expected):
    assert grade(prediction, gold) is expected


@pytest.mark.parametrize("prediction, gold, expected", [
    ("69 radians", "69^{\\circ}", False),
    (r"90\text{ rad}", "90^\\circ", False),
    ("90 degrees", "90^\\circ", True),
    ("90 degrees", "90", True),
    ("90°", "90", True),
])
def test_radians_are_not_degrees(prediction, gold, expected):
    assert grade(prediction, gold) is expected


@pytest.mark.parametrize("prediction, gold, expected", [
    ("Noel", "Leon", False),                   # math-verify reads both as the product L*e*o*n
    (r"\text{May}", r"\text{Amy}", False),
    ("edna", "Edna", True),
    (r"\text{Leon}", "Leon", True),
    ("BA", "AB", True),                        # points, not words: left to math-verify
    ("yx", "xy", True),                        # a product of variables, not a word
    ("cba", "abc", True),
])
def test_words_are_compared_as_text(prediction, gold, expected):
    assert grade(prediction, gold) is expected


@pytest.mark.parametrize("after, expected", [
    ("The answer is in the box above; the other root, 5, is extraneous.", "12"),
    ("The answer is shown above. The rejected root $x = 5$ fails the check.", "12"),
    ("This answer is the only one that works: 5 makes the denominator zero.", "12"),
    ("Hmm, that is off: the final answer is 5.", "5"),         # a correction still wins
    ("The answer is actually $5$.", "5"),
])
def test_a_statement_pointing_back_to_the_box_keeps_it(after, expected):
    assert extract(answer(f"The candidates are $x = 12$ and $x = 5$. So $\\boxed{{12}}$.\n\n{after}")) == expected
