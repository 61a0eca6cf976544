# Reference fits of GARCH(1,1) with a mean equation and of GJR-GARCH(1,1) for
# tests/volatility/garch_family.cpp and garch_family_fit.cpp.
# Run from the repository root:
#   Rscript tests/reference/garch_family_fgarch.R > tests/reference/garch_family_fgarch.out
# rugarch (the other common R package) is not packaged for Debian 12, so fGarch is the R reference;
# EGARCH, which fGarch lacks, is checked by tests/reference/garch_family_egarch.py.
#
# Series: fGarch's `dem2gbp` data set, the daily DEM/GBP exchange-rate returns (in percent,
# 1974 observations, 3 Jan 1984 - 31 Dec 1991) of T. Bollerslev & E. Ghysels, "Periodic
# autoregressive conditional heteroscedasticity", J. Business & Economic Statistics 14 (1996)
# 139-151, the GARCH benchmark of B. D. McCullough & C. G. Renfro, "Benchmarks and software
# standards: a case study of GARCH procedures", J. Economic and Social Measurement 25 (1998)
# 59-71. Step 1 exports it once to tests/reference/garch_dem2gbp.csv (as stored in fGarch).
#
# Fits (garchFit, include.mean = TRUE, init.rec = "mci", hessian = "rcd"):
#   [garch-norm] [garch-std]  ~garch(1,1)                         constant mean mu
#   [ar1-garch-norm]          ~arma(1,0) + garch(1,1)             mu + ar1 x_{t-1}
#   [gjr-norm] [gjr-std]      ~aparch(1,1), include.delta = FALSE, delta = 2
# Standard errors: fGarch inverts the numerical Hessian of the negative log-likelihood;
# hessian = "rcd" is central differences with steps 1e-4 x |parameter| (the scheme margincall
# uses), the default "ropt" (R optimHess) is printed beside it for comparison.
#
# GJR from APARCH with delta = 2 (Ding, Granger & Engle 1993):
#   h_t = omega + a (|e| - g e)^2 + beta h_{t-1},  e = e_{t-1}
#       = omega + a (1 - g)^2 e^2 + beta h_{t-1}           for e >= 0
#       = omega + a (1 + g)^2 e^2 + beta h_{t-1}           for e < 0
# and GJR (Glosten, Jagannathan & Runkle 1993): h_t = omega + (alpha + gamma 1{e < 0}) e^2 + beta h_{t-1}.
# Matching the two branches: alpha = a (1 - g)^2 and alpha + gamma = a (1 + g)^2, so
#   gamma = a [(1 + g)^2 - (1 - g)^2] = 4 a g.
# The map is one-to-one for a > 0, |g| < 1, so the maximum-likelihood estimates map exactly, and the
# GJR covariance is J C J' with J = d(alpha, gamma)/d(a, g) = [[(1 - g)^2, -2 a (1 - g)], [4 g, 4 a]]
# (at a maximum the inverse Hessian transforms exactly so, the gradient being zero).
# fGarch's persistence (mci start h_1 = omega + P mean(e^2)) is beta + a E(|z| - g z)^2 =
# beta + a (1 + g^2) = beta + alpha + gamma / 2 for any symmetric unit-variance z.
# The APARCH fits use control = list(llh = "filter"), fGarch's R likelihood (.aparchLLH.filter),
# which starts with that P (garchKappa). The default compiled likelihood ("internal", Fortran
# garchllh) starts from omega + (a + beta) mean(e^2), without the kappa factor 1 + g^2 (seen
# by comparing its volatility(fit)[1] with the formula): its estimates differ by ~1e-4 relative
# and its ln L by ~1e-3, so it is not the reference. For ~garch the two agree.
options(digits = 17)
suppressMessages(library(fGarch))
cat("R version:", R.version.string, "\n")
cat("fGarch version:", as.character(packageVersion("fGarch")), "\n")

data(dem2gbp)
write.table(data.frame(r = sprintf("%.17g", dem2gbp[, 1])), "tests/reference/garch_dem2gbp.csv",
            row.names = FALSE, col.names = TRUE, quote = FALSE)
x <- read.csv("tests/reference/garch_dem2gbp.csv")$r
cat("n =", length(x), " mean =", sprintf("%.10g", mean(x)), "\n")

fits <- list(
  "garch-norm"     = list(f = ~garch(1, 1),               dist = "norm", gjr = FALSE),
  "garch-std"      = list(f = ~garch(1, 1),               dist = "std",  gjr = FALSE),
  "ar1-garch-norm" = list(f = ~arma(1, 0) + garch(1, 1),  dist = "norm", gjr = FALSE),
  "gjr-norm"       = list(f = ~aparch(1, 1),              dist = "norm", gjr = TRUE),
  "gjr-std"        = list(f = ~aparch(1, 1),              dist = "std",  gjr = TRUE))

for (name in names(fits)) {
  s <- fits[[name]]
  fit_with <- function(hessian) {
    if (s$gjr) garchFit(s$f, data = x, include.mean = TRUE, cond.dist = s$dist, trace = FALSE,
                        include.delta = FALSE, delta = 2, hessian = hessian, control = list(llh = "filter"))
    else garchFit(s$f, data = x, include.mean = TRUE, cond.dist = s$dist, trace = FALSE, hessian = hessian)
  }
  fit <- fit_with("rcd"); ropt <- fit_with("ropt")
  cf <- coef(fit); cv <- fit@fit$cvar; se <- sqrt(diag(cv)); se_ropt <- sqrt(diag(ropt@fit$cvar))
  res <- residuals(fit); sg <- volatility(fit)
  ll <- if (s$dist == "norm") sum(dnorm(res, 0, sg, log = TRUE)) else
        sum(log(dstd(res, mean = 0, sd = sg, nu = cf["shape"])))
  cat(sprintf("\n[%s]\n", name))
  for (nm in names(cf)) cat(sprintf("%s = %.10g  se(rcd) = %.10g  se(ropt) = %.10g\n", nm, cf[nm], se[nm], se_ropt[nm]))
  if (s$gjr) {
    a <- cf["alpha1"]; g <- cf["gamma1"]
    J <- matrix(c((1 - g)^2, -2 * a * (1 - g), 4 * g, 4 * a), 2, 2, byrow = TRUE)
    C <- cv[c("alpha1", "gamma1"), c("alpha1", "gamma1")]
    gse <- sqrt(diag(J %*% C %*% t(J)))
    cat(sprintf("gjr_alpha = %.10g  se(rcd) = %.10g\n", a * (1 - g)^2, gse[1]))
    cat(sprintf("gjr_gamma = %.10g  se(rcd) = %.10g\n", 4 * a * g, gse[2]))
  }
  cat(sprintf("loglik = %.10g\n", ll))
  cat(sprintf("sigma[1:2] = %.10g %.10g  sigma[n] = %.10g\n", sg[1], sg[2], sg[length(x)]))
  p <- predict(fit, n.ahead = 5)
  cat("forecast mean:", sprintf("%.10g", p$meanForecast), "\n")
  cat("forecast sd:  ", sprintf("%.10g", p$standardDeviation), "\n")
  # One-day 99 % VaR and ES of the loss -r_{T+1} = -(m + sd z): q = the 1 % quantile of z,
  # ES = -m + sd E[-z | z < q] (normal: dnorm(q) / 0.01; std: by integrate()).
  m <- p$meanForecast[1]; sd1 <- p$standardDeviation[1]
  if (s$dist == "norm") { q <- qnorm(0.01); tail <- dnorm(q) / 0.01 } else {
    nu <- cf[["shape"]]; q <- qstd(0.01, nu = nu)
    tail <- -integrate(function(z) z * dstd(z, nu = nu), -Inf, q, rel.tol = 1e-12)$value / 0.01 }
  cat(sprintf("one-day 99%% VaR = %.10g  ES = %.10g\n", -(m + sd1 * q), -m + sd1 * tail))
}

# GJR-t with AR(1) mean at fixed parameters by a plain R loop (no fGarch), fGarch's conventions:
# e_1 = 0 (no x_0), e_t = x_t - mu - phi x_{t-1}; h_1 = omega + (alpha + gamma/2 + beta) mean(e^2).
ll_gjr_ar1_t <- function(mu, phi, omega, alpha, gamma, beta, nu) {
  n <- length(x); e <- c(0, x[-1] - mu - phi * x[-n])
  h <- omega + (alpha + gamma / 2 + beta) * mean(e^2); ll <- 0
  for (t in 1:n) {
    ll <- ll + log(dstd(e[t], 0, sqrt(h), nu))
    h <- omega + (alpha + gamma * (e[t] < 0)) * e[t]^2 + beta * h
  }
  c(ll = ll, next_h = h, next_mean = mu + phi * x[n])
}
a <- ll_gjr_ar1_t(-0.01, 0.02, 0.01, 0.12, 0.05, 0.80, 5)
cat(sprintf("\n[fixed gjr-ar1-std(-0.01, 0.02, 0.01, 0.12, 0.05, 0.80, 5), plain R loop]\nloglik = %.15g next_variance = %.15g next_mean = %.15g\n",
            a[1], a[2], a[3]))
