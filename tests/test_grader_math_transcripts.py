"""Realistic whole completions (math and dapo), as model families write them, each with a gold
in its dataset's style and the label a careful human grader gives: long reasoning is shortened to
a few sentences, keeping its shape (a <think> block, closed or not, restatements, a summary, a
final box or statement, a next question written by a base model)."""
from __future__ import annotations

from functools import cache

import pytest

from form_tally import labeller

labeller_of = cache(labeller)

R1 = ("<think>\nOkay, so I need to find the value. Let me write down what is given.\n"
      "Hmm, if x = 3 then 2x+1 = 7. Wait, that is not right, let me recompute.\n"
      "So the answer should be {t}. Let me double-check: yes.\n</think>\n\n")
THOUGHT = "<think>\nLet me compute.\n</think>\n\n"
VIETA = ("Let's denote the roots by $r$ and $s$. By Vieta, $r+s=7$ and $rs=10$.\n\n"
         "Then $r^2+s^2 = 49-20 = 29$.\n\n")
MINERVA = ("$4 \\cdot 5 = 20$.\nFinal Answer: The final answer is $20$. I hope it is correct.\n\n"
           "Problem:\nCompute $\\dbinom{8}{4}$.\n\nSolution:\n$\\dbinom{8}{4} = 70$.\n"
           "Final Answer: The final answer is $70$. I hope it is correct.")
FEW_SHOT = ("The total is $4 \\cdot 5 = 20$. The final answer is $20$. I hope it is correct.\n\n"
            "Problem:\nWhat is the value of $3^4$?\n\nSolution:\n$3^4 = 81$. The final answer is $81$. I hope it is correct.")
NEXT_QUESTION_BOXED = ("So there are $\\boxed{15}$ ways.\n\nQuestion: How many ways can 3 books be arranged?\n"
                       "Answer: $3! = \\boxed{6}$.")
DAPO_NEXT = VIETA + "Answer: 29\n\nQuestion: What is $2+2$?\nAnswer: 4"
GSM8K = "Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.\n#### 72"
REVISED = ("<think>\nThe sum telescopes to 1 - 1/(n+1).\n</think>\n\nSo the answer is $\\boxed{{{first}}}$.\n\n"
           "Wait, the problem asks for $n={n}$. Then the sum is $\\frac{{{n}}}{{{m}}}$.\n\n"
           "The final answer is $\\boxed{{\\frac{{{n}}}{{{m}}}}}$.")

TRANSCRIPTS = [
    # task, completion, gold, expected, style
    ("math", R1.format(t="13") + "To solve the problem, we expand and compare coefficients.\n\n1. From the first "
     "equation, $a+b=5$.\n2. Then $ab = 6$.\n\nThus $a^2+b^2 = 25-12 = 13$.\n\n**Final Answer**\n\\[\n\\boxed{13}\n\\]",
     "13", 1, "R1: summary, then **Final Answer** and a display box"),
    ("math", R1.format(t="3/4") + "\\[\nP = \\frac{9}{12} = \\frac{3}{4}\n\\]\n\n**Final Answer**\n"
     "The probability is \\boxed{\\dfrac{3}{4}}.", "\\frac{3}{4}", 1, "R1: \\dfrac in a sentence"),
    ("math", R1.format(t="x") + "**Final Answer**\n\\boxed{(-\\infty, -2] \\cup [3, \\infty)}",
     "(-\\infty,-2]\\cup [3,\\infty)", 1, "R1: a union of intervals"),
    ("math", R1.format(t="x") + "**Final Answer**\nThe solutions are \\(\\boxed{2}\\) and \\(\\boxed{-5}\\).",
     "-5, 2", 1, "R1: two boxes joined by 'and'"),
    ("math", R1.format(t="v") + "**Final Answer**\n\\boxed{\\begin{pmatrix} 2 \\\\ -1 \\\\ 4 \\end{pmatrix}}",
     "\\begin{pmatrix} 2 \\\\ -1 \\\\ 4 \\end{pmatrix}", 1, "R1: a vector"),
    ("math", R1.format(t="8") + "**Final Answer**\n\\[\n\\boxed{8\\sqrt{3}}\n\\]", "8\\sqrt{2}", 0, "R1: another radical"),
    ("math", R1.format(t="C") + "The value $\\frac{5}{2}$ matches choice (C).\n\n**Final Answer**\n\\boxed{C}",
     "\\text{(C)}", 1, "R1: the letter against MATH's \\text{(C)}"),
    ("math", R1.format(t="D") + "**Final Answer**\n\\boxed{\\text{(D)}}", "\\text{(C)}", 0, "R1: another letter"),
    ("math", R1.format(t="64") + "**Final Answer**\n\\boxed{64}", "The side is 8, so the area is $8^2=\\boxed{64}$.",
     1, "R1 against a worked-solution gold"),
    ("math", "Okay, let's see. The problem asks for the remainder.\n\n2^10 = 1024, and 1024 mod 7 = 2.\n\n"
     "So the remainder is 2.\n</think>\n\nThe remainder when \\(2^{10}\\) is divided by 7 is \\(\\boxed{2}\\).",
     "2", 1, "QwQ: <think> opened by the template, only </think> in the reply"),
    ("math", "<think>\nOkay, 1024 mod 7 = 2. So the answer is \\boxed{2}.\n\nWait, but let me check again. "
     "7*146 = 1022, so 1024-1022 = 2. Yes.\n\nBut hold on, maybe the question means", "2", 0,
     "QwQ: thinking never closed (truncated): no answer"),
    ("math", REVISED.format(first="\\frac{n}{n+1}", n=99, m=100), "\\frac{99}{100}", 1,
     "Qwen3: a general box, then the box for the asked n"),
    ("math", REVISED.format(first="\\frac{99}{100}", n=100, m=101), "\\frac{99}{100}", 0, "Qwen3: the gold boxed first, then corrected away"),
    ("math", "## Step 1: Identify the sequence\nThe sequence is arithmetic.\n\n## Step 2: Find the 20th term\n"
     "$a_{20} = 3 + 19 \\cdot 4 = 79$.\n\nThe final answer is: $\\boxed{79}$", "79", 1, "Llama-3: ## Step, 'The final answer is:'"),
    ("math", "## Step 1: Identify the sequence\n$a_{20} = 79$.\n\nThe final answer is: $\\boxed{79}$", "83", 0, "Llama-3: wrong"),
    ("math", "### Step 1: Set up\nLet the width be $w$.\n\n### Step 2: Solve\n$w = 6$, so the area is 72 square units.\n\n"
     "Therefore, the final answer is $\\boxed{72}$. I hope it is correct.", "72", 1, "Qwen2.5: 'I hope it is correct'"),
    ("math", "The triangle is right-angled with legs 6 and 8.\n\n**Area** = ½ · 6 · 8 = **24**\n\n**Answer: 24**",
     "24", 1, "GPT-4o: bold 'Answer: 24'"),
    ("math", "The count is $(3+1)(2+1)(1+1) = 24$.\n\n**The answer is 24.** Each divisor is a choice of exponents.",
     "24", 1, "GPT-4o: a bold statement, then an explanation"),
    ("math", "$$S = \\frac{3}{1 - 1/3} = \\frac{9}{2}$$\n\n**Answer:** $\\frac{9}{2}$ (or 4.5)", "\\frac{9}{2}", 1,
     "GPT-4o: the value and its decimal in parentheses"),
    ("math", "The slope is 2, so $y = 2x - 1$.\n\n**Final answer:** $y = 2x - 1$", "y=2x-1", 1, "GPT-4o: a line"),
    ("math", "We compute step by step.\n\n**Answer**: 29", "29", 1, "GPT-4o: bold 'Answer', then a colon"),
    ("math", "**18**", "18", 1, "Gemma: the value alone, in bold"),
    ("math", "The answer is 18.", "18", 1, "Mistral: terse"),
    ("math", "The answer is 18.", "81", 0, "Mistral: terse, another value"),
    ("math", "It gives $x = 1 \\pm \\sqrt{2}$.\n\nThe answer is $1 \\pm \\sqrt{2}$.", "1+\\sqrt{2}, 1-\\sqrt{2}", 1,
     "\\pm against a list gold"),
    ("math", FEW_SHOT, "20", 1, "base model (few-shot): goes on with the next 'Problem:'"),
    ("math", FEW_SHOT, "81", 0, "base model: the next problem's answer is no answer"),
    ("math", MINERVA, "20", 1, "base model (Minerva prompt): 'Final Answer:' lines, then the next problem"),
    ("math", MINERVA, "70", 0, "base model (Minerva prompt): the next problem's answer"),
    ("math", NEXT_QUESTION_BOXED, "15", 1, "base model: a box, then the next 'Question:' with its own box"),
    ("math", NEXT_QUESTION_BOXED, "6", 0, "base model: the next question's box"),
    ("math", GSM8K, "72", 1, "GSM8K-style few-shot: a '#### 72' line"),
    ("math", GSM8K, "24", 0, "GSM8K-style: a number of the working"),
    ("math", THOUGHT + "We have $f(2) = 6$ and $f(f(2)) = f(6) = 36 + 6 = ", "42", 0, "truncated at max tokens"),
    ("math", THOUGHT + "We get $f(f(2)) = 42$. So the answer is \\boxed{4", "42", 0, "truncated inside the box"),
    ("math", THOUGHT + "First I got $\\boxed{40}$, but I made an arithmetic error: $36+6=42$.\n\n"
     "The correct answer is $\\boxed{42}$.", "42", 1, "changes its mind: the last box"),
    ("math", THOUGHT + "The answer is $\\boxed{42}$.\n\nHmm, actually I made an error: $f(6) = 36 - 6 = 30$. "
     "So the answer is 30.", "42", 0, "changes its mind after the box"),
    ("math", THOUGHT + "The answer is $\\boxed{42}$.\n\nHmm, actually I made an error: $f(6) = 36 - 6 = 30$. "
     "So the answer is 30.", "30", 1, "changes its mind after the box: the correction"),
    ("math", "I'm not able to determine a unique answer: the problem does not give the radius.", "5", 0, "refusal"),
    ("math", "The answer is either 4 or 6, depending on whether the endpoints are included.", "4", 0, "a hedge"),
    ("math", "<think>\nlong\n</think>\n\nThe possible values are $\\boxed{4}$ or $\\boxed{6}$.", "4", 0, "a hedge in two boxes"),
    ("math", "<think>\nInitially I thought 12.\n</think>\n\nOne might say 12, but the arrangements with the two red "
     "balls swapped are identical, so we divide by 2.\n\n$$\\frac{12}{2} = \\boxed{6}$$", "12", 0,
     "the gold mentioned earlier, another final"),
    ("math", "<think>x</think>\n\n$$\\boxed{\\$18.90}$$", "\\$18.90", 1, "money"),
    ("math", "<think>x</think>\n\nThe answer is $\\boxed{18.90}$ dollars.", "\\$18.90", 1, "money without its sign"),
    ("math", "<think>x</think>\n\n**Final Answer**\n\\boxed{1,\\!000}", "1000", 1, "a thousands comma"),
    ("math", "<think>x</think>\n\nThe smallest such $n$ is $\\boxed{n = 7}$.", "7", 1, "'n = 7' in the box"),
    ("math", "<think>x</think>\n\n**Final Answer**\n\\[\n\\boxed{\\text{Evelyn}}\n\\]", "\\text{Evelyn}", 1, "a name"),
    ("math", "<think>x</think>\n\n**Final Answer**\n\\[\n\\boxed{f(x) = x^2}\n\\]", "f(x) = x^2 + 1", 0,
     "Omni-Math: another function"),
    ("math", "<think>x</think>\n\n**Final Answer**\n\\[\n\\boxed{x^2 + 1}\n\\]", "f(x) = x^2 + 1", 1,
     "Omni-Math: the function without its name"),
    ("math", "<think>x</think>\n\nThus, the maximum value is $\\boxed{\\frac{1}{4}}$, attained when $x = \\frac{1}{2}$.",
     "\\frac12", 0, "the argmax named after the boxed maximum"),
    ("math", "<think>x</think>\n\nThe final answer is $\\boxed{250}$.\n\n---\n\n**Note:** If the problem intended "
     "the radius, the answer would be 125.", "250", 1, "a hypothetical note after the box"),
    ("math", "<think>x</think>\n\n**Final Answer**\n\\boxed{\\textbf{(B)}}", "\\textbf{(B)}", 1, "AMC: the letter"),
    ("math", "<think>x</think>\n\n**Final Answer**\n\\boxed{E}", "\\textbf{(B)}", 0, "AMC: another letter"),
    ("dapo", VIETA + "Answer: 29", "29", 1, "DAPO: plain answer line"),
    ("dapo", VIETA + "Answer: $29", "29", 1, "DAPO: the prompt's '$Answer' kept its dollar"),
    ("dapo", VIETA + "Answer: 29\n\nI hope it is correct.", "29", 1, "DAPO: a closing remark"),
    ("dapo", "<think>\nr+s=7, rs=10.\n</think>\n\n" + VIETA + "**Answer: 29**", "29", 1, "DAPO: a bold line"),
    ("dapo", VIETA + "Answer: 29\n\nWait, I need $r^3+s^3 = 133$.\n\nAnswer: 133", "29", 0, "DAPO: a revised line"),
    ("dapo", DAPO_NEXT, "29", 1, "DAPO, base model: goes on with the next 'Question:'"),
    ("dapo", DAPO_NEXT, "4", 0, "DAPO, base model: the next question's answer"),
    ("dapo", VIETA + "Answer: 29 or 31", "29", 0, "DAPO: a hedge"),
    ("dapo", VIETA + "Answer: 029", "29", 1, "DAPO: AIME's three digits"),
    ("dapo", VIETA + "**Answer**: 29", "29", 1, "DAPO: bold 'Answer', then a colon"),
    ("dapo", VIETA + "**Final Answer**\n\\boxed{29}", "29", 1, "DAPO, R1 style: a box, no answer line"),
    ("dapo", VIETA + "The final answer is 29.", "29", 1, "DAPO: a statement, no answer line"),
    ("dapo", VIETA + "So the answer is **29**.", "29", 1, "DAPO: a bold statement, no answer line"),
    ("dapo", VIETA + "### Final Answer\n\n$$29$$", "29", 1, "DAPO: a heading, no answer line"),
    ("dapo", VIETA + "The final answer is 29.", "31", 0, "DAPO: a statement of another value"),
    ("dapo", VIETA + "#### 29", "29", 1, "DAPO: a GSM8K-style line"),
]


@pytest.mark.parametrize("task, completion, gold, expected, style", TRANSCRIPTS, ids=[t[4] for t in TRANSCRIPTS])
def test_transcript_is_labelled_as_a_person_would(task, completion, gold, expected, style):
    assert labeller_of(task)({"completion": completion, "gold": gold}) == expected
