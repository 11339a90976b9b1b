"""Realistic whole completions of the models whose replies gnosis labels (DeepSeek-R1 and its
distills, QwQ / Qwen3, Qwen2.5 and Llama-3 instruct, GPT-4o style chat, Gemma / Mistral, base
models under a few-shot prompt), each with a gold in a real dataset's format (TriviaQA dicts, NQ
alias lists, SimpleQA strings) and the label a careful person gives. Long reasoning is cut to a
few sentences, keeping its shape. KNOWN_MISS rows are replies the grader still labels wrongly."""
import pytest

from form_tally import labeller
from forms_trivia import trivia_gold

KNOWN_MISS = pytest.mark.xfail(strict=True, reason="a known false negative: see the note")

Q1 = "Which English king was killed at the Battle of Bosworth Field?"
g1 = trivia_gold("Richard III", "Richard the Third", "King Richard III", "Richard 3")
Q2 = "What is the capital of Australia?"
g2 = trivia_gold("Canberra", "Canberra, Australia", "Canberra, ACT")
Q3 = "Who wrote the novel 'The Tenant of Wildfell Hall'?"
g3 = trivia_gold("Anne Brontë", "Anne Bronte", "Acton Bell", "Anne Brontë")
Q4 = "In which year did the Titanic sink?"
g4 = trivia_gold("1912", "nineteen twelve")
Q5 = "How many players are there on a rugby union team?"
g5 = trivia_gold("15", "fifteen")
Q6 = "Which element has the chemical symbol 'Au'?"
g6 = "Gold"
Q7 = "Who painted the ceiling of the Sistine Chapel?"
g7 = ["Michelangelo", "Michelangelo Buonarroti"]
Q8 = "What is the name of the dog in the Famous Five books?"
g8 = trivia_gold("Timmy", "Timothy")
Q9 = "Who was the messenger of the gods in Greek mythology?"
g9 = trivia_gold("Hermes", "Hermes (god)", "Hermes Trismegistus")
Q10 = "Which planet is known as the Red Planet?"
g10 = trivia_gold("Mars", "Planet Mars", "Mars (planet)")
Q11 = "Who directed the film 'Jaws' (1975)?"
g11 = "Steven Spielberg"
Q12 = "What is the largest ocean on Earth?"
g12 = trivia_gold("Pacific Ocean", "Pacific", "The Pacific")
Q13 = "In which country is the city of Timbuktu?"
g13 = trivia_gold("Mali", "Republic of Mali", "Mali Republic")
Q14 = "What was the name of the ship on which Charles Darwin sailed?"
g14 = trivia_gold("HMS Beagle", "Beagle", "H.M.S. Beagle")
Q15 = "How many bones are there in the adult human body?"
g15 = trivia_gold("206", "two hundred and six")
Q16 = "Who was the first woman to win a Nobel Prize?"
g16 = trivia_gold("Marie Curie", "Marie Skłodowska-Curie", "Maria Sklodowska", "Madame Curie")
Q17 = "Which Shakespeare play features the characters Rosencrantz and Guildenstern?"
g17 = trivia_gold("Hamlet", "Hamlet, Prince of Denmark", "The Tragedy of Hamlet")
Q18 = "In which city was John F. Kennedy assassinated?"
g18 = trivia_gold("Dallas", "Dallas, Texas", "Dallas, TX")
Q19 = "What year did World War II end?"
g19 = trivia_gold("1945")
Q20 = "Who is the author of the Harry Potter series?"
g20 = trivia_gold("J. K. Rowling", "J.K. Rowling", "Joanne Rowling", "Rowling")
Q21 = "What is the chemical symbol for sodium?"
g21 = "Na"
Q22 = "Which country won the 2018 FIFA World Cup?"
g22 = trivia_gold("France", "French Republic")
Q23 = "What is the longest river in Africa?"
g23 = trivia_gold("Nile", "River Nile", "The Nile")
Q24 = "Who was the first President of the United States?"
g24 = trivia_gold("George Washington", "Washington")
Q25 = "Who painted 'The Night Watch'?"
g25 = trivia_gold("Rembrandt", "Rembrandt van Rijn", "Rembrandt Harmenszoon van Rijn")
Q26 = "Which country hosted the 2018 FIFA World Cup?"
g26 = trivia_gold("Russia", "Russian Federation")
Q27 = "Which is the largest planet in our solar system?"
g27 = trivia_gold("Jupiter", "Planet Jupiter")

TRANSCRIPTS = [
    ("<think>\nOkay, so the question is asking which English king died at Bosworth Field. I remember the Battle of Bosworth was in 1485, the end of the Wars of the Roses. Henry Tudor defeated... Richard III. Yes, Richard III was killed there, and his remains were found under a car park in Leicester in 2012.\n</think>\n\nThe English king killed at the Battle of Bosworth Field (1485) was **Richard III**, the last Plantagenet king. His defeat by Henry Tudor ended the Wars of the Roses.\n\n**Answer:** Richard III", g1, 1, Q1, "R1 summary + Answer"),
    ("<think>\nBosworth... 1485. Richard III.\n</think>\n\n**Final Answer**\n\\boxed{Richard III}", g1, 1, Q1, "R1 Final Answer box"),
    ("Okay, so I need to figure out which king was killed at Bosworth. Hmm, I think it was Henry VII? No wait, Henry VII won the battle. The one killed was Richard III.\n</think>\n\nKing Richard III was killed at the Battle of Bosworth Field in 1485.\n\n\\boxed{Richard III}", g1, 1, Q1, "R1-distill no opening think"),
    ("<think>\nBosworth Field, 1485. Henry Tudor defeated Richard III. So Richard III died.\n</think>\n\nThe king killed at Bosworth Field was Henry VII.\n\n**Final Answer**\n\\boxed{Henry VII}", g1, 0, Q1, "R1 wrong final after right reasoning"),
    ("### Step 1: Identify the battle\nThe Battle of Bosworth Field was fought in 1485.\n\n### Step 2: Identify the king killed\nKing Richard III was killed in the battle.\n\nThe final answer is: $\\boxed{Richard III}$", g1, 1, Q1, "Llama-3 steps"),
    ("Richard III", g1, 1, Q1, "Gemma terse"),
    ("Richard III was killed at the Battle of Bosworth Field in 1485.", g1, 1, Q1, "Mistral sentence"),
    (" Richard III\n\nQuestion: Who was the first Tudor king?\nAnswer: Henry VII\n\nQuestion: Who", g1, 1, Q1, "base few-shot continuation"),
    (" Henry VII\n\nQuestion: Who was the last Plantagenet king?\nAnswer: Richard III\n\nQuestion:", g1, 0, Q1, "base few-shot wrong then next Q names gold"),
    ("Answer: Richard III\n\nQuestion: Which king founded the Tudor dynasty?\nAnswer: Henry VII", g1, 1, Q1, "base few-shot with Answer: label"),
    ("**Canberra** is the capital of Australia. While Sydney is the largest city, Canberra was purpose-built as a compromise between Sydney and Melbourne and became the capital in 1913.", g2, 1, Q2, "GPT-4o bold + explanation"),
    ("The capital of Australia is **Canberra**.\n\nMany people assume it's Sydney or Melbourne, but Canberra was chosen as a compromise between the two rival cities.", g2, 1, Q2, "GPT-4o lead paragraph"),
    ("<think>\nThe capital of Australia. People often say Sydney, but it's Canberra.\n</think>\n\nSydney", g2, 0, Q2, "R1 wrong final terse"),
    ("<think>\nHmm, capital of Australia... Sydney? No, Canberra. Yes, Canberra.\n</think>\n\nThe capital of Australia is Sydney.", g2, 0, Q2, "R1 wrong final sentence"),
    ("The capital of Australia is Sydney. Wait, no — it's actually Canberra. Sydney is the largest city.", g2, 1, Q2, "changes mind in one line"),
    ("The capital of Australia is Sydney.\n\nActually, I need to correct myself: the capital of Australia is Canberra, not Sydney.", g2, 1, Q2, "corrects itself in a later paragraph"),
    ("It's either Sydney or Canberra — I believe Canberra.", g2, 0, Q2, "hedge between two"),
    ("I'm sorry, but I can't help with that.", g2, 0, Q2, "refusal"),
    ("Final Answer: The final answer is Canberra. I hope it is correct.", g2, 1, Q2, "Minerva few-shot style"),
    ("Final Answer: The final answer is Sydney. I hope it is correct.", g2, 0, Q2, "Minerva style wrong"),
    ("<think>\nCanberra.\n</think>\n\nThe answer is: **Canberra**", g2, 1, Q2, "QwQ answer is colon bold"),
    ("<think>\nOkay, the user wants the capital of Australia. It's Canberra. Let me make sure. Yes, Canberra is the capital, located in the ACT.\n\n**Final Answer**\n\\boxed{Canberra}", g2, 0, Q2, "QwQ unclosed think (reply never started)"),
    ("The capital of Australia is", g2, 0, Q2, "truncated before answer"),
    ("A: Canberra", g2, 1, Q2, "A: label"),
    ("Answer: Canberra (Australian Capital Territory)", g2, 1, Q2, "answer with parenthetical"),
    ("**Answer: Canberra**\n\nCanberra has been the capital since 1913.", g2, 1, Q2, "bold whole answer line"),
    pytest.param("- **Capital:** Canberra\n- **Largest city:** Sydney\n- **Population:** ~26 million", g2, 1, Q2, "markdown facts list", marks=KNOWN_MISS),
    ("答案是 Canberra。", g2, 1, Q2, "Qwen Chinese answer"),
    ("<think>\nThe Tenant of Wildfell Hall... Brontë sisters. Charlotte wrote Jane Eyre, Emily wrote Wuthering Heights, so Anne wrote Tenant.\n</think>\n\n'The Tenant of Wildfell Hall' (1848) was written by **Anne Brontë**, published under the pseudonym Acton Bell.\n\n\\boxed{Anne Brontë}", g3, 1, Q3, "R1 box with diacritic"),
    ("<think>\nI think Anne Brontë wrote it. Or was it Charlotte? Charlotte wrote Jane Eyre and Villette. Hmm.\n</think>\n\nThe Tenant of Wildfell Hall was written by **Charlotte Brontë**.", g3, 0, Q3, "R1 wrong sister after gold in thoughts"),
    ("The novel was written by Anne Brontë, the youngest of the Brontë sisters.", g3, 1, Q3, "sentence with aside"),
    ("Anne Brontë (under the pen name Acton Bell)", g3, 1, Q3, "name with pen name paren"),
    ("The answer is Anne Brontë, though some early editions credited it to Currer Bell.", g3, 1, Q3, "though others"),
    ("<think>\nThe Titanic sank on April 15, 1912 after hitting an iceberg.\n</think>\n\nThe Titanic sank on **April 15, 1912**.\n\n**Answer: 1912**", g4, 1, Q4, "R1 bold Answer line"),
    ("The Titanic sank in 1912.", g4, 1, Q4, "sentence year"),
    ("1912. The RMS Titanic struck an iceberg on the night of April 14 and sank early on April 15.", g4, 1, Q4, "bare + explanation"),
    ("<think>\nThe Titanic sank in 1912. Hmm, or was it 1911? No, 1912 is right; the Olympic was 1911.\n</think>\n\n\\boxed{1911}", g4, 0, Q4, "wrong box after right reasoning"),
    ("The Titanic sank in 1912 — no wait, that's when it was launched. It sank in 1913.", g4, 0, Q4, "changes to wrong"),
    ("I believe the Titanic sank in 1912.", g4, 1, Q4, "I believe"),
    ("<think>\nRugby union has 15 players; rugby league has 13.\n</think>\n\nA rugby union team has **15 players** on the field (rugby league has 13).\n\n\\boxed{15}", g5, 1, Q5, "R1 box count"),
    ("There are 15 players on a rugby union team.", g5, 1, Q5, "count sentence"),
    ("Fifteen.", g5, 1, Q5, "word count"),
    ("A rugby union team has 13 players, while rugby league has 15.", g5, 0, Q5, "swapped count"),
    ("<think>\nAu comes from Latin aurum, gold.\n</think>\n\nThe element with the chemical symbol **Au** is **gold** (from the Latin *aurum*).", g6, 1, Q6, "R1 NQ-string gold bold in sentence"),
    ("Gold (Au), atomic number 79.", g6, 1, Q6, "terse with paren"),
    ("**Gold**", g6, 1, Q6, "bold only"),
    ("Silver", g6, 0, Q6, "wrong"),
    ("Michelangelo painted the Sistine Chapel ceiling between 1508 and 1512, commissioned by Pope Julius II.", g7, 1, Q7, "NQ list gold, sentence with two names"),
    ("<think>\nSistine Chapel ceiling, 1508-1512, Michelangelo.\n</think>\n\nThe ceiling of the Sistine Chapel was painted by **Michelangelo Buonarroti**, commissioned by Pope Julius II.", g7, 1, Q7, "R1 sentence name + commission"),
    ("Raphael painted the ceiling of the Sistine Chapel, while Michelangelo painted the Stanza della Segnatura.", g7, 0, Q7, "swapped near miss"),
    ("The answer is likely Michelangelo.", g7, 0, Q7, "doubt"),
    ("The dog in Enid Blyton's Famous Five series is named **Timmy** (short for Timothy).", g8, 1, Q8, "GPT named is"),
    ("In Enid Blyton's *Famous Five* books, the dog is **Timmy**, George's loyal companion.", g8, 1, Q8, "GPT bold in sentence with author"),
    ("In Greek mythology, the messenger of the gods is Hermes.", g9, 1, Q9, "intro phrase"),
    ("In Greek mythology, the messenger of the gods was **Hermes**, son of Zeus and Maia. His Roman counterpart is Mercury.", g9, 1, Q9, "intro phrase bold + more"),
    ("In Roman mythology, the messenger of the gods is Mercury.", g9, 0, Q9, "intro phrase wrong"),
    ("<think>\nMessenger of the gods: Hermes in Greek, Mercury in Roman.\n</think>\n\nThe messenger of the gods was Mercury (Hermes in Greek).", g9, 0, Q9, "roman name with greek in paren"),
    ("Hermes (Roman equivalent: Mercury)", g9, 1, Q9, "terse with paren"),
    ("Mercury, known to the Greeks as Hermes.", g9, 0, Q9, "wrong name with gold in aside"),
    ("Mars is known as the Red Planet because of the iron oxide on its surface.", g10, 1, Q10, "sentence because"),
    ("<think>\nRed planet... Mars.\n</think>\n\n**Mars**\n\nIts reddish appearance comes from iron oxide (rust) on its surface.", g10, 1, Q10, "bold lead"),
    ("The Red Planet is Mars. It appears red due to iron oxide. Jupiter, by contrast, is a gas giant.", g10, 1, Q10, "restated, more sentences"),
    ("<think>\nMars\n</think>\nAnswer: Mars.\nConfidence: 95%", g10, 1, Q10, "answer + confidence line"),
    ("Answer: Jupiter\nConfidence: 40%", g10, 0, Q10, "wrong + confidence"),
    ("Explanation: The Red Planet is Mars because of iron oxide.\nExact Answer: Mars\nConfidence: 98%", g10, 1, Q10, "HLE-style Exact Answer"),
    ("Explanation: Many think of Jupiter's Red Spot, but the Red Planet is Mars.\nExact Answer: Venus\nConfidence: 30%", g10, 0, Q10, "HLE-style wrong exact answer"),
    ("Jaws (1975) was directed by Steven Spielberg.", g11, 1, Q11, "passive with year"),
    ("Steven Spielberg directed *Jaws* (1975), based on Peter Benchley's novel.", g11, 1, Q11, "subject + aside"),
    ("The film was directed by George Lucas, a close friend of Steven Spielberg.", g11, 0, Q11, "wrong with gold in aside"),
    ("Spielberg", g11, 1, Q11, "surname"),
    ("<think>\nJaws, 1975, Spielberg. His first blockbuster.\n</think>\n\nSteven Spielberg directed Jaws in 1975; it was his breakthrough film.", g11, 1, Q11, "semicolon more"),
    ("It was directed by Steven Spielberg.", g11, 1, Q11, "It was directed by"),
    ("That would be Steven Spielberg.", g11, 1, Q11, "That would be"),
    ("Steven Spielberg! Jaws was a massive hit.", g11, 1, Q11, "exclaim"),
    ("The largest ocean on Earth is the **Pacific Ocean**, covering about 165 million square kilometres.", g12, 1, Q12, "with numeric aside"),
    ("The Pacific Ocean is the largest ocean, covering more than 30% of Earth's surface.", g12, 1, Q12, "subject with percent"),
    ("The largest ocean is the Atlantic Ocean, second only to the Pacific.", g12, 0, Q12, "wrong then mentions gold"),
    ("Pacific.", g12, 1, Q12, "terse"),
    ("Timbuktu is in Mali.", g13, 1, Q13, "is in"),
    pytest.param("Timbuktu is located in Mali, West Africa.", g13, 1, Q13, "located in + region", marks=KNOWN_MISS),
    ("Timbuktu is located in Mali, near the Niger River.", g13, 1, Q13, "located in + aside"),
    ("<think>\nTimbuktu... Mali. Or Niger? No, Mali.\n</think>\n\nTimbuktu is a city in **Mali**, on the southern edge of the Sahara.", g13, 1, Q13, "a city in bold"),
    ("Timbuktu is in Niger, near the border with Mali.", g13, 0, Q13, "wrong then gold"),
    ("The city of Timbuktu is in Mali.", g13, 1, Q13, "city of"),
    ("Darwin sailed on HMS Beagle (1831–1836).", g14, 1, Q14, "dates paren"),
    ("Charles Darwin sailed on the HMS *Beagle* on its second voyage from 1831 to 1836.", g14, 1, Q14, "on the with dates"),
    ("The ship was the Beagle.", g14, 1, Q14, "The ship was"),
    ("An adult human body has 206 bones.", g15, 1, Q15, "count sentence"),
    ("There are 206 bones in the adult human body (babies are born with about 270).", g15, 1, Q15, "count + paren"),
    pytest.param("Adults have 206 bones, while newborns have around 270.", g15, 1, Q15, "count while contrast", marks=KNOWN_MISS),
    ("The adult human skeleton has about 206 bones.", g15, 1, Q15, "about"),
    ("**206**", g15, 1, Q15, "bold number"),
    ("The answer is 206 bones.", g15, 1, Q15, "answer is count"),
    ("Approximately 270 bones, which fuse to 206 in adulthood.", g15, 0, Q15, "wrong count then gold"),
    ("Marie Curie was the first woman to win a Nobel Prize, in Physics in 1903.", g16, 1, Q16, "sentence with in year"),
    ("The first woman to win a Nobel Prize was **Marie Curie** (Physics, 1903).", g16, 1, Q16, "bold with paren"),
    ("Marie Skłodowska Curie", g16, 1, Q16, "full name no hyphen"),
    ("The first woman was Bertha von Suttner in 1905 — no, Marie Curie was first, in 1903.", g16, 1, Q16, "dash takeback"),
    ("Rosencrantz and Guildenstern appear in *Hamlet*.", g17, 1, Q17, "appear in italic"),
    ("In Hamlet, Rosencrantz and Guildenstern are childhood friends of the prince.", g17, 1, Q17, "intro is the answer (work)"),
    ("In Shakespeare's plays, Rosencrantz and Guildenstern appear in Macbeth.", g17, 0, Q17, "intro then wrong"),
    ("<think>\nRosencrantz and Guildenstern... Hamlet. Tom Stoppard wrote a play about them too.\n</think>\n\n**Hamlet**\n\n(Tom Stoppard later wrote *Rosencrantz and Guildenstern Are Dead* based on them.)", g17, 1, Q17, "bold lead + paren para"),
    ("Answer: Rosencrantz and Guildenstern Are Dead", g17, 0, Q17, "wrong work"),
    ("John F. Kennedy was assassinated in Dallas, Texas, on November 22, 1963.", g18, 1, Q18, "in place with date"),
    ("In 1963, Kennedy was assassinated in Dallas.", g18, 1, Q18, "year intro"),
    pytest.param("On November 22, 1963, in Dallas, Texas.", g18, 1, Q18, "date then place", marks=KNOWN_MISS),
    pytest.param("JFK was shot in Dallas — though some conspiracy theories place the shooter elsewhere.", g18, 1, Q18, "dash remark", marks=KNOWN_MISS),
    ("He was assassinated in Houston.", g18, 0, Q18, "wrong city"),
    ("<think>\nDallas, Dealey Plaza. Lee Harvey Oswald.\n</think>\n\nDallas", g18, 1, Q18, "R1 terse"),
    ("Kennedy was assassinated in Dallas or Fort Worth, I can't recall.", g18, 0, Q18, "hedged or"),
    ("World War II ended in 1945.", g19, 1, Q19, "sentence"),
    ("In 1945, with Japan's surrender on September 2.", g19, 1, Q19, "in year intro, asks year"),
    ("World War II ended in 1945, when Japan surrendered on 2 September.", g19, 1, Q19, "year + when clause"),
    ("World War II ended in 1944.", g19, 0, Q19, "wrong year"),
    ("The war in Europe ended in May 1945, and in the Pacific in September 1945.", g19, 1, Q19, "two dates same year"),
    ("The Harry Potter series was written by J.K. Rowling.", g20, 1, Q20, "sentence"),
    ("<think>\nObviously J.K. Rowling.\n</think>\n\nJ.K. Rowling is the author of the Harry Potter series, published between 1997 and 2007.", g20, 1, Q20, "with years"),
    ("J. K. Rowling (Joanne Rowling), a British author.", g20, 1, Q20, "paren + appositive"),
    ("According to Bloomsbury, the series was written by J.K. Rowling.", g20, 1, Q20, "according intro"),
    ("The series was written by Robert Galbraith, a pseudonym.", g20, 0, Q20, "pseudonym wrong-ish"),
    ("The chemical symbol for sodium is **Na** (from the Latin *natrium*).", g21, 1, Q21, "short symbol"),
    ("Na", g21, 1, Q21, "terse symbol"),
    ("The chemical symbol for sodium is S.", g21, 0, Q21, "wrong symbol"),
    ("<think>\nSodium is Na, from natrium. Not S, which is sulfur.\n</think>\n\n$\\boxed{\\mathrm{Na}}$", g21, 1, Q21, "mathrm box"),
    ("France won the 2018 FIFA World Cup, beating Croatia 4–2 in the final.", g22, 1, Q22, "sentence with score"),
    ("France won the 2018 World Cup in Russia.", g22, 1, Q22, "with host"),
    ("Croatia won the 2018 World Cup, beating France in the final.", g22, 0, Q22, "swapped"),
    ("The 2018 FIFA World Cup was won by France, who defeated Croatia 4-2.", g22, 1, Q22, "passive with who clause"),
    pytest.param("In the 2018 FIFA World Cup, France beat Croatia 4–2 in the final to win the title.", g22, 1, Q22, "intro with year (asks? no)", marks=KNOWN_MISS),
    ("The Nile is the longest river in Africa, at about 6,650 km.", g23, 1, Q23, "with length"),
    ("The longest river in Africa is the Nile (about 6,650 km long).", g23, 1, Q23, "restated paren"),
    ("The Congo is the deepest river in Africa, but the Nile is the longest.", g23, 1, Q23, "contrast then gold"),
    ("The Nile is often said to be the longest, but the Congo is the longest in Africa by volume.", g23, 0, Q23, "contrast sets gold aside?"),
    ("George Washington served as the first President from 1789 to 1797.", g24, 1, Q24, "served with years"),
    ("The first President of the United States was George Washington (1789–1797).", g24, 1, Q24, "restated paren"),
    ("John Adams, who succeeded George Washington.", g24, 0, Q24, "wrong with gold in relative"),
    ("I'm not sure, but I think it was George Washington.", g24, 0, Q24, "doubt (spec: hedge)"),
    pytest.param("George Washington was the first President; John Adams was the second.", g24, 1, Q24, "semicolon second", marks=KNOWN_MISS),
    (" Rembrandt\n\nQ: Who painted 'Girl with a Pearl Earring'?\nA: Vermeer\n\nQ:", g25, 1, Q25, "base Q/A continuation"),
    (" Vermeer\n\nQ: Who painted 'The Anatomy Lesson of Dr. Nicolaes Tulp'?\nA: Rembrandt", g25, 0, Q25, "base Q/A wrong, next answer is gold"),
    ("A: Rembrandt van Rijn", g25, 1, Q25, "A: full"),
    ("A: Vermeer", g25, 0, Q25, "A: wrong"),
    ("**Question:** Who painted The Night Watch?\n**Answer:** Rembrandt", g25, 1, Q25, "chat restates question"),
    ("Question: Who painted 'The Night Watch'?\nLet me think. It was painted in 1642 by Rembrandt.\nAnswer: Rembrandt", g25, 1, Q25, "restated Question line in no-think reasoning"),
    ("In 1642, Rembrandt painted The Night Watch for the Amsterdam militia.", g25, 1, Q25, "year intro"),
    ("In Amsterdam, the painting was completed by Frans Hals.", g25, 0, Q25, "intro then wrong"),
    ("According to most art historians, it was Rembrandt, but some attribute parts to his pupils.", g25, 1, Q25, "according + but others"),
    ("Rembrandt's pupil Govert Flinck painted it.", g25, 0, Q25, "possessive gold, wrong answer"),
    ("The Night Watch was painted by Rembrandt's pupil, Ferdinand Bol.", g25, 0, Q25, "by possessive wrong"),
    ("It was painted in Amsterdam by Rembrandt.", g25, 1, Q25, "in place by gold"),
    ("It hangs in the Rijksmuseum, which bought it from Rembrandt's heirs.", g25, 0, Q25, "no answer, possessive gold"),
    ("France won the 2018 World Cup in Russia.", g26, 0, Q26, "answers another predicate, names gold after in"),
    pytest.param("The 2018 FIFA World Cup was held in Russia.", g26, 1, Q26, "held in", marks=KNOWN_MISS),
    ("Russia hosted the 2018 FIFA World Cup, the first held in Eastern Europe.", g26, 1, Q26, "subject"),
    pytest.param("Qatar hosted the 2022 World Cup, while the 2018 edition was held in Russia.", g26, 1, Q26, "contrast clause answers", marks=KNOWN_MISS),
    ("The 2018 World Cup was hosted by Russia, but I might be confusing it with 2014.", g26, 0, Q26, "doubt after but"),
    ("Saturn is often thought of as the largest because of its rings, but Jupiter is the largest planet.", g27, 1, Q27, "contrast then gold"),
    ("Jupiter is often thought of as the largest, but Saturn is the largest planet.", g27, 0, Q27, "contrast sets gold aside"),
    ("I'm not entirely sure, but I believe Jupiter is the largest.", g27, 0, Q27, "not sure but (spec hedge)"),
    ("Not Saturn, but Jupiter.", g27, 1, Q27, "not but"),
    ("Of all the planets, Jupiter is the largest.", g27, 1, Q27, "of intro"),
]


@pytest.fixture(scope="module")
def label():
    return labeller("trivia")


@pytest.mark.parametrize("completion, gold, expected, question, style", TRANSCRIPTS)
def test_a_transcript_is_labelled_as_a_person_would(label, completion, gold, expected, question, style):
    assert label({"question": question, "completion": completion, "gold": gold}) == expected, style
