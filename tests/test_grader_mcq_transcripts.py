"""Whole replies to multiple-choice questions in the shapes model families write them
(DeepSeek-R1 and its distills, QwQ and Qwen3 thinking, Qwen2.5 and Llama-3 instruct, GPT-4o,
Gemma and Mistral, base models under a few-shot prompt; cut off, changing their mind,
refusing, hedging), each with a gold as MMLU-Pro or GPQA store it and the label a careful
person gives. Long reasoning is shortened to a few sentences, keeping its shape."""
import pytest

from form_tally import labeller

PRIME = "Which of the following numbers is prime?\nA. 4\nB. 6\nC. 7\nD. 9"
SPIN = ("A spin-half particle is in the state 0.5|up> + sqrt(3)/2|down>. What is the expectation value, "
        "to one decimal place, of the operator 10 sigma_z + 5 sigma_x?\nA. -1.4\nB. 0.85\nC. 1.65\nD. -0.7")
ECON = ("Which of the following is a consequence of a price ceiling set below the equilibrium price?\n"
        "Options:\nA. A surplus of the good\nB. A shortage of the good\nC. An increase in supply\n"
        "D. No change in the quantity demanded\nE. A decrease in demand\nF. Higher prices for consumers\n"
        "G. Lower quantity demanded\nH. An increase in producer surplus\nI. A shift of the demand curve to the right\n"
        "J. Equilibrium is restored")
MONEY = ("Mr. Smith borrows $1,200 at 6% simple interest for 90 days. How much interest does he pay?\n"
         "A. $18.00\nB. $16.00\nC. $20.00\nD. $72.00\nE. $12.00\nF. $24.00\nG. $6.00\nH. $9.00\nI. $36.00\nJ. $14.40")
FIELD = ("What is the electric field 2 m from a point charge of 4 microcoulombs?\n"
         "A. 9.0 × 10^3 N/C\nB. 1.8 × 10^4 N/C\nC. 3.6 × 10^4 N/C\nD. 4.5 × 10^3 N/C")
PCT = ("A bond's price falls from 100 to 88. What is the percentage drop?\nA. 8%\nB. 10%\nC. 12%\nD. 14%")
LAW = ("A buyer sued a seller for breach of contract. Which is the seller's best defense?\n"
       "A. The contract was not in writing.\nB. The buyer did not give notice of the defect.\n"
       "C. The seller was a merchant.\nD. The goods were delivered late.")

R1_THINK = ("<think>\nOkay, so I need to figure out which number is prime. 4 = 2 x 2, 6 = 2 x 3, 9 = 3 x 3. "
            "7 has no divisors besides 1 and itself, so the answer should be C. Wait, let me double-check 9... "
            "yes 9 = 3 x 3. So C.\n</think>\n\n")
# (question, completion, gold, expected, the model style and what it tests)
CASES = [
 # DeepSeek-R1 / distills
 (PRIME, R1_THINK + "The only prime among the options is 7.\n\n**Final Answer**\n\\boxed{C}", "C", 1, "R1 final answer box"),
 (PRIME, R1_THINK + "To determine which number is prime:\n\n- **4**: divisible by 2\n- **6**: divisible by 2 and 3\n- **7**: prime\n- **9**: divisible by 3\n\n**Answer:** C. 7", "C", 1, "R1 summary, bold Answer"),
 (PRIME, R1_THINK + "**Final Answer**\n\\boxed{C}\n\n**Explanation:** Option A (4), option B (6) and option D (9) are composite.", "C", 1, "R1 box then explanation naming other options"),
 (PRIME, R1_THINK + "The answer is \\boxed{7}.", "C", 1, "R1 boxes the option's value"),
 (PRIME, "<think>\n7 is prime, so C... but hold on, the question may want composites. Then D.\n</think>\n\n**Final Answer**\n\\boxed{D}", "C", 0, "R1 gold in thought, wrong box"),
 (PRIME, R1_THINK + "Option C (7) looks prime at first, but the question asks about the square of an odd prime.\n\n**Answer: D**", "C", 0, "R1 mentions gold first, final other"),
 (SPIN, "<think>\n<up|sz|up> ... expectation of sigma_z = 0.25 - 0.75 = -0.5, times 10 = -5. sigma_x: 2*0.5*0.866 = 0.866, times 5 = 4.33. Sum -0.67, about -0.7.\n</think>\n\nThe expectation value is $-5 + 4.33 \\approx -0.7$.\n\n\\boxed{D}", "-0.7", 1, "R1 on GPQA, gold as option text"),
 (SPIN, "<think>\nSum about -0.7.\n</think>\n\n$$\\boxed{-0.7}$$", "-0.7", 1, "R1 boxes the value, gold as text"),
 (SPIN, "<think>\nSum is -5 + 4.33.\n</think>\n\n$$\\boxed{-1.4}$$", "-0.7", 0, "R1 boxes another option's value"),
 # QwQ / Qwen3 thinking
 (PRIME, "Okay, let's see. 4 is even. 6 is even. 7 is prime. So the answer is C. Hmm, but wait, let me check 9 again. 9 divided by 3 is 3, so it is composite. Yes, C.\n</think>\n\nThe answer is C.", "C", 1, "QwQ, think opened by the template"),
 (PRIME, "<think>\nOkay, let's see. 4 is even. 6 is even. 7 is prime. So the answer is C. Hmm, but wait, let me check 9 again. 9 = 3*3", "C", 0, "Qwen3 think never closes (max tokens)"),
 (PRIME, "<think>\n7 is prime.\n</think>\n\nTo determine which number is prime, we check each option:\n\n### Analysis of Options:\n- **A. 4**: composite (2 x 2)\n- **B. 6**: composite\n- **C. 7**: prime\n- **D. 9**: composite (3 x 3)\n\n### Conclusion:\nThe only prime number is **7**, which corresponds to option **C**.\n\n$$\n\\boxed{C}\n$$", "C", 1, "Qwen3 analysis then display box"),
 (PRIME, "<think>\n7 is prime.\n</think>\n\n### Final Answer:\n**C. 7**", "C", 1, "Qwen3 heading then bold"),
 (PRIME, "<think>\n7 is prime.\n</think>\n\n答案：C", "C", 1, "Qwen Chinese statement"),
 (ECON, "<think>\nA ceiling below equilibrium: quantity demanded exceeds supplied, a shortage. B.\n</think>\n\nA binding price ceiling keeps the price below equilibrium, so quantity demanded exceeds quantity supplied.\n\nThe answer is (B).", "B", 1, "Qwen3 MMLU-Pro prompt style"),
 # Qwen2.5 / Llama-3 instruct
 (PRIME, "## Step 1: Recall what a prime is\nA prime has exactly two divisors.\n\n## Step 2: Check each option\n4, 6 and 9 are composite; 7 is prime.\n\nThe final answer is: $\\boxed{C}$", "C", 1, "Llama-3 final answer is"),
 (PRIME, "### Step 1: Check each option\n4, 6 and 9 are composite; 7 is prime.\n\nThe final answer is: $\\boxed{(C)}$", "C", 1, "Llama-3 box with parentheses"),
 (ECON, "A price ceiling below equilibrium leads to excess demand.\n\nThe best answer is B.", "B", 1, "Llama-3 'The best answer is'"),
 (ECON, "A price ceiling below equilibrium causes excess demand.\n\nThe correct answer is: B. A shortage of the good", "B", 1, "Qwen2.5 letter and text"),
 (MONEY, "Interest = 1200 x 0.06 x 90/360 = 18.\n\nThe answer is $\\boxed{\\$18.00}$.", "A", 1, "Qwen2.5 boxes a dollar amount"),
 (MONEY, "Interest = 1200 x 0.06 x 90/365 = 17.75, closest to $18.\n\nThe answer is (A) $18.00", "A", 1, "letter then dollar text"),
 (FIELD, "E = kq/r^2 = 9e9 * 4e-6 / 4 = 9000 N/C.\n\nThe final answer is $\\boxed{9.0 \\times 10^3 \\text{ N/C}}$.", "A", 1, "value with unit in box"),
 (PCT, "The drop is 12 out of 100.\n\nThe final answer is $\\boxed{12\\%}$.", "C", 1, "percentage boxed"),
 # GPT-4o style
 (PRIME, "**Answer: (C) 7**\n\n7 is only divisible by 1 and itself, while 4, 6 and 9 have other factors.", "C", 1, "GPT-4o bold answer then explanation"),
 (PRIME, "The correct answer is **C) 7**.\n\n- A) 4 = 2 x 2\n- B) 6 = 2 x 3\n- D) 9 = 3 x 3", "C", 1, "GPT-4o answer then list of the others"),
 (PRIME, "**C. 7**\n\n7 is the only number in the list whose only divisors are 1 and itself; 4, 6 and 9 are all composite.", "C", 1, "GPT-4o bold choice first, explanation after"),
 (PRIME, "**C. 7** is the correct answer, since it has no divisors other than 1 and itself.", "C", 1, "GPT-4o bold choice called correct"),
 (PRIME, "The answer is C, since options A, B and D are all composite.", "C", 1, "reason naming the other letters"),
 (PRIME, "The answer is C because 7 has no other divisors, unlike B (6 = 2 x 3).", "C", 1, "reason with 'unlike B'"),
 (LAW, "The seller's best defense is that the buyer failed to give notice of the defect, as the UCC requires.\n\nAnswer: B", "B", 1, "GPT-style law, Answer: last line"),
 (LAW, "The correct answer is (B). Option A fails because the contract is for less than $500, and C and D are irrelevant.", "B", 1, "answer then why the others fail"),
 # Gemma / Mistral terse
 (PRIME, "C", "C", 1, "terse letter"),
 (PRIME, "**C**", "C", 1, "terse bold letter"),
 (PRIME, "The answer is C. 7 is the only prime number among the options.", "C", 1, "Mistral one sentence"),
 (PRIME, "C) 7", "C", 1, "Gemma letter and option"),
 # base models, few-shot
 (ECON, "Let's think step by step. A price ceiling below the equilibrium price means sellers supply less than buyers want. The answer is (B).\n\nQuestion:\nWhich of the following would shift the supply curve to the right?\nOptions:\nA. A tax\nB. A subsidy\nAnswer: Let's think step by step. A subsidy lowers costs. The answer is (B).", "B", 1, "base model continues with the next question"),
 (ECON, "Let's think step by step. A price ceiling creates a surplus. The answer is (A).\n\nQuestion:\nWhat does a subsidy do?\nOptions:\nA. Shifts supply left\nB. Shifts supply right\nAnswer: Let's think step by step. The answer is (B).", "B", 0, "base model wrong, next question answered with gold letter"),
 (ECON, "Let's think step by step. A price ceiling below equilibrium means quantity demanded exceeds quantity supplied, so there is a", "B", 0, "base model truncated"),
 # changes of mind
 (PRIME, "</think>\n\nThe answer is (B). Wait, 6 is divisible by 2. The answer is (C).", "C", 1, "changes mind on the same line"),
 (PRIME, "Answer: C\n\nWait, actually, let me reconsider: the question asks for the composite odd number, so the answer is D.", "C", 0, "answer, then revised to another"),
 (PRIME, "Answer: D\n\nHmm, 9 = 3 x 3 is composite. Actually, the correct answer is C.", "C", 1, "wrong then corrected to gold"),
 # refusal / hedge
 (PRIME, "I cannot determine the answer without more context.", "C", 0, "refusal"),
 (PRIME, "The answer is either C or D, depending on the definition.", "C", 0, "hedge between gold and another"),
 (PRIME, "None of the options is prime.", "C", 0, "rejects all options"),
 (PRIME, "**Answer: C or D**", "C", 0, "bold hedge"),
 # conditional remarks after the answer
 (PRIME, "**Answer: C**\n\nNote: if the question intended composite numbers, the answer would be D.", "C", 1, "answer then a conditional remark on another"),
 (PRIME, "**Answer: D**\n\nNote: if the question intended prime numbers, the answer would be C.", "C", 0, "wrong answer then a conditional remark on the gold"),
 # picks in other words
 (PRIME, "After checking all four, I'd go with C.", "C", 1, "I'd go with"),
 (PRIME, "After checking all four, I would choose C.", "C", 1, "I would choose"),
 (PRIME, "After checking all four numbers, the correct one is C.", "C", 1, "the correct one is"),
 (PRIME, "After checking all four numbers, the correct one is not C; it is D.", "C", 0, "the correct one is not C"),
]

# shapes found while probing (same tuple layout)
CASES += [
 (PRIME, "</think>\n\nAnswer: C<|im_end|>", "C", 1, "a special token left after the letter"),
 (PRIME, "</think>\n\nThe answer is C for the reasons above.", "C", 1, "words after the letter"),
 (PRIME, "</think>\n\nThe answer is C and D together.", "C", 0, "a letter joined to another"),
 (PRIME, "</think>\n\nC\n\nExplanation: 7 is prime; 4, 6 and 9 are composite.", "C", 1, "letter first, explanation after"),
 (PRIME, "</think>\n\nC\n\nHmm, it could also be D.", "C", 0, "letter first, then another left open"),
 (PRIME, "</think>\n\nC\n\nD\n\n9 = 3 x 3", "C", 0, "letters as headings of a walk"),
 (PRIME, "</think>\n\n**C. 7**\n\n- A: 4 = 2 x 2\n- B: 6 = 2 x 3\n- D: 9 = 3 x 3", "C", 1, "bold choice, then why not the others"),
 (PRIME, "</think>\n\nThe answer is C. Options A, B and D are composite.", "C", 1, "answer, then a sentence on the others"),
 (PRIME, "</think>\n\nThe answer is C. D is also possible.", "C", 0, "answer, then another left open"),
 (PRIME, "</think>\n\nThe answer is C rather than D.", "C", 1, "'rather than' sets the other aside"),
 (PRIME, "</think>\n\nC is the answer, not D.", "C", 1, "letter called the answer, another set aside"),
 (PRIME, "</think>\n\nIf the number were even, I would choose C.", "C", 0, "a pick under a condition"),
 (PRIME, "</think>\n\nAnswer: C is wrong, 9 is 3x3... so D", "C", 0, "a letter as the subject of 'is wrong'"),
]

TASK_OF = {PRIME: "gpqa", SPIN: "gpqa", FIELD: "gpqa", PCT: "gpqa", LAW: "gpqa", ECON: "mmlu_pro", MONEY: "mmlu_pro"}


@pytest.fixture(scope="module")
def label():
    return {task: labeller(task) for task in set(TASK_OF.values())}


@pytest.mark.parametrize("question, completion, gold, expected, style", CASES, ids=[c[4] for c in CASES])
def test_transcript_is_labelled_as_a_person_would(label, question, completion, gold, expected, style):
    case = {"question": question, "completion": completion, "gold": gold}
    assert label[TASK_OF[question]](case) == expected, style
