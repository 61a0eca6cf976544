# Reference values for tests/risk/backtest_kupiec.cpp, backtest_christoffersen.cpp and
# backtest_traffic_light.cpp, computed with base R only (stats::dbinom, pbinom, pchisq, qchisq).
# Run: Rscript tests/reference/backtest_reference.R > tests/reference/backtest_reference.out
# The Kupiec statistic is computed from the binomial log-likelihoods (dbinom(log = TRUE)), an
# independent route from the closed form in the C++ code (the binomial coefficients cancel).
options(digits = 17)
cat("R version:", R.version.string, "\n")

cat("\n# chi-squared critical values (published tables: 3.841 df 1, 5.991 df 2 at 95%)\n")
cat("qchisq(0.95, 1) =", qchisq(0.95, 1), "\n")
cat("qchisq(0.95, 2) =", qchisq(0.95, 2), "\n")
cat("qchisq(0.99, 1) =", qchisq(0.99, 1), "\n")

kupiec <- function(T, x, alpha) {
  p <- 1 - alpha
  lr <- -2 * (dbinom(x, T, p, log = TRUE) - dbinom(x, T, x / T, log = TRUE))
  c(lr = lr, p = pchisq(lr, 1, lower.tail = FALSE))
}
cat("\n# Kupiec POF: T, x, alpha, LR_uc, p-value\n")
for (case in list(c(250, 0, 0.99), c(250, 2, 0.99), c(250, 5, 0.99), c(250, 10, 0.99),
                  c(1000, 30, 0.99), c(500, 40, 0.95), c(10, 10, 0.99), c(1, 1, 0.99))) {
  r <- kupiec(case[1], case[2], case[3])
  cat(sprintf("T=%d x=%d alpha=%.2f LR=%.17g p=%.17g\n", case[1], case[2], case[3], r["lr"], r["p"]))
}

# Christoffersen (1998): Markov chain vs Bernoulli likelihoods, computed with dbinom on each row.
christoffersen <- function(hits, alpha) {
  prev <- hits[-length(hits)]; cur <- hits[-1]
  n00 <- sum(prev == 0 & cur == 0); n01 <- sum(prev == 0 & cur == 1)
  n10 <- sum(prev == 1 & cur == 0); n11 <- sum(prev == 1 & cur == 1)
  pi01 <- if (n00 + n01 > 0) n01 / (n00 + n01) else 0
  pi11 <- if (n10 + n11 > 0) n11 / (n10 + n11) else 0
  pi <- (n01 + n11) / (n00 + n01 + n10 + n11)
  l1 <- dbinom(n01, n00 + n01, pi01, log = TRUE) + dbinom(n11, n10 + n11, pi11, log = TRUE)
  l0 <- dbinom(n01, n00 + n01, pi, log = TRUE) + dbinom(n11, n10 + n11, pi, log = TRUE)
  lr_ind <- -2 * (l0 - l1)
  uc <- kupiec(length(hits), sum(hits), alpha)
  lr_cc <- uc["lr"] + lr_ind
  cat(sprintf("n00=%d n01=%d n10=%d n11=%d LR_uc=%.17g LR_ind=%.17g p_ind=%.17g LR_cc=%.17g p_cc=%.17g\n",
              n00, n01, n10, n11, uc["lr"], lr_ind, pchisq(lr_ind, 1, lower.tail = FALSE),
              lr_cc, pchisq(lr_cc, 2, lower.tail = FALSE)))
}
cat("\n# Christoffersen: hit sequences are given by the positions of their exceptions (1-based)\n")
hits_of <- function(T, at) { h <- rep(0, T); h[at] <- 1; h }
cat("A: T=250, exceptions at 10 11 12 50 51 100 200 (clustered), alpha=0.99: ")
christoffersen(hits_of(250, c(10, 11, 12, 50, 51, 100, 200)), 0.99)
cat("B: T=250, exceptions at 20 60 120 180 240 (isolated, n11 = 0), alpha=0.99: ")
christoffersen(hits_of(250, c(20, 60, 120, 180, 240)), 0.99)
cat("C: T=100, exception only at 100 (n10 + n11 = 0), alpha=0.95: ")
christoffersen(hits_of(100, c(100)), 0.95)
cat("D: T=20, exceptions at 1..20 except 5 and 6, alpha=0.95: ")
christoffersen(hits_of(20, setdiff(1:20, c(5, 6))), 0.95)

cat("\n# Basel traffic light: pbinom(x, 250, 0.01), x = 0..12 (BCBS 1996 Table 2 column)\n")
for (x in 0:12) cat(sprintf("x=%d P(X<=x)=%.17g\n", x, pbinom(x, 250, 0.01)))
zones <- function(T, alpha) {
  cdf <- pbinom(0:T, T, 1 - alpha)
  c(yellow_begin = which(cdf >= 0.95)[1] - 1, red_begin = which(cdf >= 0.9999)[1] - 1)
}
cat("\n# zone boundaries (first yellow count, first red count) for other samples\n")
for (case in list(c(250, 0.99), c(500, 0.99), c(1000, 0.99), c(250, 0.975), c(100, 0.95), c(750, 0.999))) {
  z <- zones(case[1], case[2])
  cat(sprintf("T=%d alpha=%.3f yellow_begin=%d red_begin=%d\n", case[1], case[2], z[1], z[2]))
}
