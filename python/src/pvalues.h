#pragma once
// The two-sided p-values scipy.stats gives with pearsonr and spearmanr (and
// so gensim's evaluate_word_pairs), computed here so the module needs no
// SciPy: both are tails of a beta distribution, from the regularised
// incomplete beta function.

namespace wembed::py {

// I_x(a, b), a, b > 0, x in [0, 1] (Lentz's continued fraction).
double incompleteBeta(double a, double b, double x);
// pearsonr: 2 * P(|R| >= |r|) for n pairs under independence, R's
// distribution Beta(n/2 - 1, n/2 - 1) on [-1, 1]. NaN for NaN r or n < 2.
double pearsonPValue(double r, long n);
// spearmanr: Student's t with n - 2 degrees of freedom,
// t = r * sqrt((n - 2) / ((1 + r)(1 - r))). NaN for NaN r or n < 3.
double spearmanPValue(double r, long n);

}  // namespace wembed::py
