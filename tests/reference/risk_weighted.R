# Reference values for tests/risk/age_weighted.cpp and tests/risk/volatility_filtered.cpp.
# Run: Rscript tests/reference/risk_weighted.R > tests/reference/risk_weighted.out
# Sample "small" of risk_historical.R, chronological (last = most recent).
# Age-weighted (Boudoukh, Richardson & Whitelaw 1998): w_i = lambda^(i-1) (1-lambda)/(1-lambda^n),
# i = age (1 = last element); VaR = inverse weighted empirical CDF at a; ES = (1/(1-a)) * integral.
# Volatility-filtered (Hull & White 1998): sigma_t = 1 + (t %% 7)/10 (t = 0..n-1), sigma_now = 1.35,
# scaled losses x_t * sigma_now / sigma_t, then quantile(type = 1/7) and the Acerbi-Tasche ES.
options(digits = 17)
cat(R.version.string, "\n")
small <- { i <- 0:249; m <- (i * 37) %% 251; (m - 100)^3 / 1e4 }
brw <- function(l, lambda, a) {
  n <- length(l); age <- n:1
  w <- if (lambda == 1) rep(1 / n, n) else lambda^(age - 1) * (1 - lambda) / (1 - lambda^n)
  o <- order(l, decreasing = TRUE); ls <- l[o]; ws <- w[o]; p <- 1 - a
  cw <- cumsum(ws); j <- which(cw > p)[1]; before <- if (j > 1) cw[j - 1] else 0
  c(ls[j], (sum(ls[seq_len(j - 1)] * ws[seq_len(j - 1)]) + (p - before) * ls[j]) / p)
}
at_es <- function(x, a) {
  s <- sort(x, decreasing = TRUE); n <- length(s); w <- n * (1 - a); k <- floor(w)
  (sum(s[seq_len(k)]) + (w - k) * s[k + 1]) / w
}
cat("# age weighted: lambda, alpha, VaR, ES\n")
for (lambda in c(0.97, 0.99, 1)) for (a in c(0.95, 0.99)) {
  r <- brw(small, lambda, a)
  cat(sprintf("{%s, %s, %.17g, %.17g},\n", lambda, a, r[1], r[2]))
}
cat("# volatility filtered: alpha, VaR type 1, VaR type 7, ES\n")
sig <- 1 + ((0:249) %% 7) / 10; scaled <- small * (1.35 / sig)
for (a in c(0.95, 0.99)) {
  cat(sprintf("{%s, %.17g, %.17g, %.17g},\n", a, quantile(scaled, a, type = 1, names = FALSE),
              quantile(scaled, a, type = 7, names = FALSE), at_es(scaled, a)))
}
