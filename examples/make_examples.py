"""Write the example shards under examples/<task>/ (run from anywhere; output is committed).

Each task gets a handful of questions with several completions in the styles models
produce: reasoning models (<think> ... </think> then an answer), plain chat answers, right
and wrong answers, and a few that never reach an answer.
"""
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent


def think(reasoning: str, answer: str) -> str:
    return f"<think>\n{reasoning}\n</think>\n\n{answer}"


def unfinished(reasoning: str) -> str:
    return f"<think>\n{reasoning}"


def rows(task, items, gold_column):
    out = []
    for question_index, (question, gold, completions) in enumerate(items):
        for sample_index, completion in enumerate(completions):
            out.append({"question": question, gold_column: gold, "original_source": f"example/{task}",
                        "completion": completion, "finish_reason": "length" if "</think>" not in completion and "<think>" in completion else "stop",
                        "num_output_tokens": len(completion.split()), "two_step_applied": False,
                        "question_index": question_index, "sample_index": sample_index})
    return out


MATH = [
    ("What is the sum of the interior angles of a hexagon, in degrees?", "720", [
        think("A hexagon has 6 sides, so (6-2)*180 = 720.", "The sum is $\\boxed{720}$."),
        think("Each interior angle of a regular hexagon is 120 and there are 6: 720.", "$\\boxed{720^\\circ}$"),
        "Using $(n-2)\\cdot 180^\\circ$ with $n=6$ gives $4 \\cdot 180 = 720$.\n\nThe final answer is $720$.",
        think("Maybe 6*180 = 1080? I'll go with that.", "$\\boxed{1080}$"),
    ]),
    ("Simplify $\\frac{6}{8}$ and give it as a decimal.", "The fraction reduces: $\\frac{6}{8} = \\frac{3}{4} = \\boxed{0.75}$.", [
        think("6/8 = 3/4 = 0.75.", "$\\boxed{\\frac{3}{4}}$"),
        think("6/8 = 0.75.", "$\\boxed{0.75}$"),
        unfinished("6 divided by 8... let me do long division. 8 goes into 60 seven times, remainder 4, then"),
        think("6/8 is about 0.8.", "$\\boxed{0.8}$"),
    ]),
    ("Solve for $x$: $2x + 3 = 11$.", "4", [
        think("2x = 8, so x = 4.", "$\\boxed{x = 4}$"),
        "Subtract 3 from both sides: $2x = 8$, so $x = \\boxed{4}$.",
        think("2x = 14, x = 7.", "$\\boxed{7}$"),
        think("2x = 8, x = 4.", "So $x=\\boxed{4"),
    ]),
]

DAPO = [
    ("Find the remainder when $2^{10}$ is divided by 7.", "2", [
        think("2^3 = 8 = 1 mod 7, so 2^10 = 2^9 * 2 = 2 mod 7.", "Answer: 2"),
        think("1024 = 7*146 + 2.", "The remainder is 2.\nAnswer: 2"),
        think("1024 / 7 = 146 remainder 3?", "Answer: 3"),
        unfinished("Powers of 2 mod 7 cycle: 2, 4, 1, 2, 4, 1, ... so the exponent 10 mod 3 is"),
    ]),
    ("How many positive divisors does 36 have?", "9", [
        think("36 = 2^2 * 3^2, so (2+1)(2+1) = 9.", "Answer: 9"),
        think("Divisors: 1,2,3,4,6,9,12,18,36. That is 9.", "Answer: 9"),
        think("36 = 6^2, so 3 divisors.", "Answer: 3"),
    ]),
]

NEWTON = {"value": "Isaac Newton", "aliases": ["Isaac Newton", "Sir Isaac Newton", "Newton"],
          "normalized_aliases": ["isaac newton", "sir isaac newton", "newton"],
          "normalized_value": "isaac newton", "type": "WikipediaEntity"}
NILE = {"value": "Nile", "aliases": ["Nile", "River Nile", "Nile River"],
        "normalized_aliases": ["nile", "river nile", "nile river"],
        "normalized_value": "nile", "type": "WikipediaEntity"}
SAO_PAULO = {"value": "São Paulo", "aliases": ["São Paulo", "Sao Paulo"],
             "normalized_aliases": ["são paulo", "sao paulo"],
             "normalized_value": "são paulo", "type": "WikipediaEntity"}

TRIVIA = [
    ("Who formulated the laws of motion and universal gravitation?", NEWTON, [
        think("This is Newton, Principia 1687.", "\\boxed{Isaac Newton}"),
        "The answer is \\boxed{Sir Isaac Newton}.",
        think("Kepler had the planetary laws, but gravitation...", "\\boxed{Johannes Kepler}"),
        think("Galileo or Newton? Newton.", "\\boxed{Newton}"),
    ]),
    ("Which is the longest river in Africa?", NILE, [
        think("The Nile, about 6650 km.", "\\boxed{\\text{The Nile}}"),
        think("Congo is deepest, Nile is longest.", "\\boxed{Congo or Nile}"),
        unfinished("The Nile flows north through Egypt; the Congo is second. Actually I should check the Niger"),
    ]),
    ("Which is the most populous city in Brazil?", SAO_PAULO, [
        think("Sao Paulo, over 12 million.", "\\boxed{Sao Paulo}"),
        think("Rio de Janeiro is famous but smaller.", "\\boxed{Rio de Janeiro}"),
        "So the answer is São Paulo.",
    ]),
]

MMLU_PRO = [
    ("Which gas makes up most of Earth's atmosphere?\n\nA. Oxygen\nB. Nitrogen\nC. Argon\nD. Carbon dioxide\n"
     "E. Hydrogen\nF. Helium\nG. Neon\nH. Water vapour\nI. Methane\nJ. Ozone", "B", [
        think("About 78% nitrogen.", "\\boxed{B}"),
        think("Nitrogen is option B.", "The answer is (B)."),
        think("Oxygen is what we breathe.", "\\boxed{A}"),
        think("Nitrogen.", "\\boxed{Nitrogen}"),
    ]),
    ("What is the derivative of $x^3$?\n\nA. $x^2$\nB. $3x$\nC. $3x^2$\nD. $x^3/3$\nE. $3x^3$\nF. $2x^2$"
     "\nG. $x^4/4$\nH. $3$\nI. $6x$\nJ. $0$", "C", [
        think("Power rule: 3x^2.", "Answer: C"),
        think("3x^2 or x^4/4...", "\\boxed{C, G}"),
        unfinished("Power rule says bring down the exponent, so d/dx x^3 is 3x^2 which is option"),
    ]),
]

GPQA = [
    ("Which particle mediates the electromagnetic force?\n\nA. Gluon\nB. Photon\nC. W boson\nD. Graviton", "B", [
        think("The photon.", "\\boxed{B}"),
        think("Photon is the gauge boson of QED.", "\\boxed{\\text{Photon}}"),
        think("W boson mediates the weak force, so not C... I'll say C anyway.", "\\boxed{C}"),
    ]),
    ("What is the spin of an electron?\n\nA. 0\nB. 1/2\nC. 1\nD. 3/2", "B", [
        think("Electrons are fermions with spin 1/2.", "\\boxed{1/2}"),
        think("Spin one half.", "Final answer: B"),
        unfinished("Fermions have half-integer spin, the electron is a lepton and"),
    ]),
]


def main():
    shards = {
        "math": (rows("math", MATH, "solution"), "parquet"),
        "dapo": (rows("dapo", DAPO, "solution"), "jsonl"),
        "trivia": (rows("trivia", TRIVIA, "answer"), "parquet"),
        "mmlu_pro": (rows("mmlu_pro", MMLU_PRO, "answer"), "jsonl"),
        "gpqa": (rows("gpqa", GPQA, "answer"), "jsonl"),
    }
    for task, (task_rows, fmt) in shards.items():
        folder = HERE / task
        folder.mkdir(exist_ok=True)
        path = folder / f"shard-000001.{fmt}"
        if fmt == "parquet":
            pq.write_table(pa.Table.from_pylist(task_rows), path)
        else:
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in task_rows), encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)} ({len(task_rows)} rows)")


if __name__ == "__main__":
    main()
