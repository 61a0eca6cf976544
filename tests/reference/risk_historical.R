# Reference values for tests/risk/quantile.cpp and tests/risk/historical_simulation.cpp.
# Run: Rscript tests/reference/risk_historical.R > tests/reference/risk_historical.out
# Samples are integer arithmetic, so R and C++ build bit-identical doubles:
#   heavy:  m_i = (i * 7919) %% 100003, x_i = (m_i - 50001)^3 / 1e9,   i = 0 .. 100002
#   small:  m_i = (i * 37) %% 251,      x_i = (m_i - 125)^3 / 1e4,     i = 0 .. 249
#   ties:   x_i = ((i * 7919) %% 1009) %% 50 / 4,                      i = 0 .. 999
# VaR: R's quantile(type = t). ES: Acerbi & Tasche (2002) eq. (4.1) on the sorted sample,
#   w = n (1 - a), ES = (sum of the floor(w) largest + (w - floor(w)) * the next) / w.
options(digits = 17)
heavy <- { i <- 0:100002; m <- (i * 7919) %% 100003; (m - 40001)^3 / 1e9 }
small <- { i <- 0:249; m <- (i * 37) %% 251; (m - 100)^3 / 1e4 }
ties  <- { i <- 0:999; ((i * 7919) %% 1009) %% 50 / 4 }
at_es <- function(x, a) {
  s <- sort(x, decreasing = TRUE); n <- length(s); w <- n * (1 - a); k <- floor(w)
  (sum(s[seq_len(k)]) + (w - k) * s[k + 1]) / w
}
cat(R.version.string, "\n")
for (name in c("small", "ties", "heavy")) {
  x <- get(name)
  for (sgn in c(1, -1)) {           # sgn = -1: the sample read as P&L, loss = -x
    l <- sgn * x
    for (a in c(0.9, 0.95, 0.975, 0.99, 0.995, 0.999)) {
      q <- sapply(c(1, 6, 7), function(t) quantile(l, a, type = t, names = FALSE))
      cat(sprintf("{\"%s\", %d, %s, %.17g, %.17g, %.17g, %.17g},\n", name, sgn, format(a), q[1], q[2], q[3], at_es(l, a)))
    }
  }
}
# All nine types on the small sample at p = 0.37 and 0.99 (tests/risk/quantile.cpp).
for (p in c(0, 0.37, 0.99, 1)) {
  q <- sapply(1:9, function(t) quantile(small, p, type = t, names = FALSE))
  cat(sprintf("{%s, {%s}},\n", format(p), paste(sprintf("%.17g", q), collapse = ", ")))
}
