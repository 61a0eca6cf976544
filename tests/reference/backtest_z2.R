# Reference values for tests/risk/backtest_acerbi_szekely.cpp (base R only).
# Run: Rscript tests/reference/backtest_z2.R > tests/reference/backtest_z2.out
# Z2 (Acerbi & Szekely 2014, loss form): 1 - sum(L * (L > VaR) / ES) / (T * (1 - alpha)).
options(digits = 17)
cat("R version:", R.version.string, "\n")
alpha <- 0.975
var <- qnorm(alpha); es <- dnorm(qnorm(alpha)) / (1 - alpha)
cat("standard normal loss, alpha = 0.975: VaR =", var, " ES =", es, "\n")
# T = 1: P(Z2 <= z(L)) = P(L_sim >= L) for an observed L > VaR.
for (L in c(2.1, 2.5)) cat(sprintf("T=1 L=%.1f p = 1 - pnorm(L) = %.17g\n", L, pnorm(L, lower.tail = FALSE)))
# The H0 distribution of Z2 for T = 250 i.i.d. standard normal losses, by an independent simulation:
# its 5 % and 1 % quantiles (Acerbi & Szekely report about -0.7 at 5 % for T = 250, alpha = 2.5 %).
set.seed(1)
M <- 100000; T <- 250
z2 <- replicate(M, { L <- rnorm(T); 1 - sum(L[L > var]) / es / (T * (1 - alpha)) })
cat("H0 mean of Z2 =", mean(z2), " sd =", sd(z2), "\n")
cat("H0 quantiles of Z2 at 0.05 and 0.01 =", quantile(z2, c(0.05, 0.01), type = 7), "\n")
