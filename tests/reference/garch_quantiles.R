# Innovation quantiles and tail means for tests/volatility/garch11.cpp (base R only).
# Run: Rscript tests/reference/garch_quantiles.R > tests/reference/garch_quantiles.out
options(digits = 17)
cat("R version:", R.version.string, "\n")
cat("qnorm(0.01) =", qnorm(0.01), "\n")
cat("normal ES99 = integrate(z * dnorm(z), qnorm(0.99), Inf) / 0.01 =",
    integrate(function(z) z * dnorm(z), qnorm(0.99), Inf, rel.tol = 1e-13)$value / 0.01, "\n")
cat("qt(0.01, 5) =", qt(0.01, 5), "\n")
cat("t5 ES99 (unstandardised) = integrate(z * dt(z, 5), qt(0.99, 5), Inf) / 0.01 =",
    integrate(function(z) z * dt(z, 5), qt(0.99, 5), Inf, rel.tol = 1e-13)$value / 0.01, "\n")
