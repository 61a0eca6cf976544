# Reference GARCH(1,1) fits for tests/volatility/garch11.cpp and garch11_fit.cpp.
# Run from the repository root:
#   Rscript tests/reference/garch_fgarch.R > tests/reference/garch_fgarch.out
# 1. Simulates 2000 daily returns from a known GARCH(1,1)-t process with a fixed seed
#    (omega = 2e-6, alpha = 0.08, beta = 0.90, nu = 6, standardised t innovations), written to
#    tests/reference/garch_series.csv (17 significant digits).
# 2. Fits fGarch::garchFit(~garch(1,1), include.mean = FALSE) with cond.dist = "norm" and "std",
#    and prints the estimates, their standard errors (fGarch's default: inverse of the numerical
#    Hessian, hessian = "ropt"), and the log-likelihood recomputed on the original scale from
#    fGarch's own conditional standard deviations (fGarch fits a series scaled by sd()).
#    Then refits with hessian = "rcd" (central differences, step 1e-4 x parameter: the scheme
#    margincall uses; the default "ropt" is R optimHess with absolute steps 1e-3 on the scaled
#    problem, about 1 % less accurate) and with robust.cvar = TRUE (Bollerslev-Wooldridge sandwich
#    from fGarch's per-observation central-difference scores).
# 3. Prints a filter check: fGarch's first conditional variances and the closed-form forecast.
options(digits = 17)
suppressMessages(library(fGarch))
cat("R version:", R.version.string, "\n")
cat("fGarch version:", as.character(packageVersion("fGarch")), "\n")

set.seed(20261128)
n <- 2000; omega <- 2e-6; alpha <- 0.08; beta <- 0.90; nu <- 6
z <- rt(n + 500, df = nu) * sqrt((nu - 2) / nu)
h <- omega / (1 - alpha - beta); r <- numeric(n + 500)
for (t in 1:(n + 500)) { r[t] <- sqrt(h) * z[t]; h <- omega + alpha * r[t]^2 + beta * h }
x <- r[501:(n + 500)]   # drop a 500-day burn-in
write.table(data.frame(r = sprintf("%.17g", x)), "tests/reference/garch_series.csv",
            row.names = FALSE, col.names = TRUE, quote = FALSE)
x <- read.csv("tests/reference/garch_series.csv")$r

for (dist in c("norm", "std")) {
  fit <- garchFit(~garch(1, 1), data = x, include.mean = FALSE, cond.dist = dist, trace = FALSE)
  cf <- coef(fit); se <- fit@fit$se.coef; s <- volatility(fit)
  ll <- if (dist == "norm") sum(dnorm(x, 0, s, log = TRUE)) else
        sum(log(dstd(x, mean = 0, sd = s, nu = cf["shape"])))
  cat(sprintf("\n[%s]\n", dist))
  for (nm in names(cf)) cat(sprintf("%s = %.10g  se = %.10g\n", nm, cf[nm], se[nm]))
  cat(sprintf("loglik = %.10g\n", ll))
  cat(sprintf("sigma2[1:3] = %.10g %.10g %.10g\n", s[1]^2, s[2]^2, s[3]^2))
  cat(sprintf("sigma2[n] = %.10g\n", s[n]^2))
  rcd <- garchFit(~garch(1, 1), data = x, include.mean = FALSE, cond.dist = dist, trace = FALSE,
                  hessian = "rcd")
  rob <- garchFit(~garch(1, 1), data = x, include.mean = FALSE, cond.dist = dist, trace = FALSE,
                  hessian = "rcd", robust.cvar = TRUE)
  for (nm in names(cf)) cat(sprintf("%s: se(rcd) = %.10g  robust se(rcd) = %.10g\n", nm,
                                    rcd@fit$se.coef[nm], rob@fit$se.coef[nm]))
}

# Log-likelihood at fixed parameters with fGarch's start h1 = omega + (alpha + beta) mean(x^2),
# computed by a plain R loop (no fGarch), for the filter / likelihood test.
ll_at <- function(omega, alpha, beta, nu = NA) {
  h <- omega + (alpha + beta) * mean(x^2); ll <- 0
  for (t in seq_along(x)) {
    ll <- ll + (if (is.na(nu)) dnorm(x[t], 0, sqrt(h), log = TRUE)
                else log(dstd(x[t], 0, sqrt(h), nu)))
    h <- omega + alpha * x[t]^2 + beta * h
  }
  c(ll = ll, next_h = h)
}
cat("\n[fixed parameters, plain R loop]\n")
a <- ll_at(2e-6, 0.08, 0.90); cat(sprintf("norm(2e-6, 0.08, 0.90): loglik = %.15g next_variance = %.15g\n", a[1], a[2]))
b <- ll_at(2e-6, 0.08, 0.90, 6); cat(sprintf("std(2e-6, 0.08, 0.90, 6): loglik = %.15g next_variance = %.15g\n", b[1], b[2]))
