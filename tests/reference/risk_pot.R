# Reference values for tests/risk/peaks_over_threshold.cpp.
# Run: Rscript tests/reference/risk_pot.R > tests/reference/risk_pot.out
# Writes the sample tests/reference/risk_pot_sample.txt (2000 Student-t(3) losses, seed 20261128,
# printed with 17 significant digits so C++ reads the same doubles), then fits a GPD to the
# excesses over each threshold by maximum likelihood with evd::fpot (Debian r-cran-evd) and
# prints the fit, its log-likelihood, and VaR/ES by McNeil & Frey (2000) eq. (5)-(6):
#   VaR = u + s/xi ((n/Nu (1-a))^(-xi) - 1),  ES = VaR/(1-xi) + (s - xi u)/(1-xi).
options(digits = 17)
suppressPackageStartupMessages(library(evd))
cat(R.version.string, " evd", as.character(packageVersion("evd")), "\n")
set.seed(20261128)
x <- rt(2000, df = 3)
writeLines(sprintf("%.17g", x), "risk_pot_sample.txt")
x <- as.numeric(readLines("risk_pot_sample.txt"))
n <- length(x)
cat("# threshold, Nu, xi, sigma, loglik, then (alpha, VaR, ES) at 0.99 and 0.995\n")
for (u in c(1.5, 2.0, 2.5)) {
  f <- fpot(x, u, model = "gpd", std.err = FALSE, method = "BFGS",
            control = list(reltol = 1e-15, maxit = 10000))
  s <- unname(f$estimate["scale"]); xi <- unname(f$estimate["shape"]); nu <- sum(x > u)
  ll <- -f$deviance / 2
  out <- sprintf("{%s, %d, %.17g, %.17g, %.17g", u, nu, xi, s, ll)
  for (a in c(0.99, 0.995)) {
    v <- u + s / xi * ((n / nu * (1 - a))^(-xi) - 1)
    out <- paste0(out, sprintf(", %.17g, %.17g", v, v / (1 - xi) + (s - xi * u) / (1 - xi)))
  }
  cat(out, "},\n", sep = "")
}
