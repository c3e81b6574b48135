// evaluate_word_analogies and evaluate_word_pairs, as gensim returns them,
// scored by the library's evaluation (the eval command's code, whose numbers
// equal gensim's). Only gensim's default case_insensitive=True is scored (the
// library folds case as gensim does); other settings raise ValueError.
#include <vector>

#include "bindings.h"
#include "pvalues.h"
#include "wembed/vectors/evaluate.h"

namespace wembed::py {

namespace {

void needDefaults(bool case_insensitive, const char* what) {
  if (!case_insensitive)
    throw pyb::value_error(std::string(what) + ": only case_insensitive=True is supported (as the eval command)");
}

pyb::dict section(const pyb::str& name) {
  pyb::dict s;
  s["section"] = name;
  s["correct"] = pyb::list();
  s["incorrect"] = pyb::list();
  return s;
}

pyb::tuple analogies(PyKeyedVectors& kv, const std::string& path, int64_t restrict_vocab, bool case_insensitive,
                     bool dummy4unknown) {
  needDefaults(case_insensitive, "evaluate_word_analogies");
  checkWordRestrict("restrict_vocab", restrict_vocab);
  const AnalogySet set = readAnalogies(path);
  std::vector<int8_t> outcomes;
  evaluateAnalogies(kv.index(), set, restrict_vocab, &outcomes);
  pyb::list sections;
  for (const auto& name : set.sections) sections.append(section(textFromBytes(name)));
  pyb::dict total = section(pyb::str("Total accuracy"));
  pyb::list all_correct = total["correct"], all_incorrect = total["incorrect"];
  std::vector<std::vector<pyb::tuple>> correct(set.sections.size()), incorrect(set.sections.size());
  for (size_t i = 0; i < set.questions.size(); ++i) {
    const AnalogyQuestion& q = set.questions[i];
    // gensim leaves a question with an unknown word out, or (dummy4unknown) counts it wrong.
    if (outcomes[i] < 0 && !dummy4unknown) continue;
    pyb::tuple t = pyb::make_tuple(textFromBytes(q.a), textFromBytes(q.b), textFromBytes(q.c),
                                   textFromBytes(q.expected));
    (outcomes[i] > 0 ? correct : incorrect)[static_cast<size_t>(q.section)].push_back(t);
  }
  // gensim's total lists the questions section by section.
  for (size_t s = 0; s < set.sections.size(); ++s) {
    pyb::list c = sections[s]["correct"], w = sections[s]["incorrect"];
    for (auto& t : correct[s]) c.append(t), all_correct.append(t);
    for (auto& t : incorrect[s]) w.append(t), all_incorrect.append(t);
  }
  sections.append(total);
  const size_t right = pyb::len(all_correct), answered = right + pyb::len(all_incorrect);
  const double score = answered ? static_cast<double>(right) / static_cast<double>(answered) : 0.0;
  return pyb::make_tuple(score, sections);
}

pyb::tuple wordPairs(PyKeyedVectors& kv, const std::string& path, const std::string& delimiter, int64_t restrict_vocab,
                     bool case_insensitive, bool dummy4unknown) {
  needDefaults(case_insensitive, "evaluate_word_pairs");
  if (delimiter != "\t") throw pyb::value_error("evaluate_word_pairs: only delimiter='\\t' is supported");
  if (dummy4unknown) throw pyb::value_error("evaluate_word_pairs: dummy4unknown=True is not supported");
  checkWordRestrict("restrict_vocab", restrict_vocab);
  const std::vector<WordPair> pairs = readWordPairs(path);
  const PairsReport r = evaluateWordPairs(kv.index(), pairs, restrict_vocab);
  return pyb::make_tuple(pyb::make_tuple(r.pearson, pearsonPValue(r.pearson, static_cast<long>(r.pairs))),
                         pyb::make_tuple(r.spearman, spearmanPValue(r.spearman, static_cast<long>(r.pairs))),
                         r.oovRatio());
}

}  // namespace

void bindEvaluation(KvClass& c) {
  using pyb::arg;
  c.def("evaluate_word_analogies", &analogies, arg("analogies"), arg("restrict_vocab") = 300000,
        arg("case_insensitive") = true, arg("dummy4unknown") = false,
        "Analogy accuracy on a questions-words file, as gensim: 3CosAdd among the first restrict_vocab\n"
        "words, case-insensitive. Returns (score, sections): sections is a list of dicts {'section',\n"
        "'correct', 'incorrect'} (lists of (A, B, C, expected), upper-cased), the last one 'Total accuracy'.\n"
        "Questions with a word outside the restricted words are left out (dummy4unknown=True: incorrect).");
  c.def("evaluate_word_pairs", &wordPairs, arg("pairs"), arg("delimiter") = "\t", arg("restrict_vocab") = 300000,
        arg("case_insensitive") = true, arg("dummy4unknown") = false,
        "Correlation with human similarity judgements ('word1<TAB>word2<TAB>score' lines), as gensim:\n"
        "returns ((pearson, p-value), (spearman, p-value), oov_ratio), the p-values two-sided as\n"
        "scipy.stats computes them, oov_ratio the percentage of pairs with a word outside the first\n"
        "restrict_vocab words (left out of the correlations).");
}

}  // namespace wembed::py
